"""A refusal as text: the one way the apps turn a ValidationError into a line for a flash
message, an admin message or a list of problems."""

from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    """Every message of `error` in one line. An error raised with a dict ({"field": ...}) gives
    its messages only: the field names are codes, which a person is never shown."""
    return " ".join(error.messages)
