"""core.errors.error_text: a refusal as one line, whatever shape it was raised in."""

from django.core.exceptions import ValidationError

from core.errors import error_text


def test_a_refusal_of_any_shape_is_its_messages_in_one_line_without_field_codes():
    assert error_text(ValidationError("The training is full.")) == "The training is full."
    assert error_text(ValidationError(["Row 2: no consent.", "Row 3: no email."])) == (
        "Row 2: no consent. Row 3: no email."
    )
    by_field = ValidationError({"member_state": ["Choose a state."], "organisation": "Choose one of the state's."})
    assert error_text(by_field) == "Choose a state. Choose one of the state's."
    assert "member_state" not in error_text(by_field)
    with_params = ValidationError("%(name)s is already registered.", params={"name": "kadri@example.ee"})
    assert error_text(with_params) == "kadri@example.ee is already registered."
