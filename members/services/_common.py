"""Small steps the members services share: the explicit audit entry and the email's normal form."""

from auditlog.models import LogEntry
from django.db import models

from core.audit import log_entry
from members.models import User


def audit_log(
    instance: models.Model, *, by: User | None, what: str, changes: dict[str, list[str]] | None = None
) -> None:
    """An explicit audit entry with the person who acted, also outside a request."""
    log_entry(instance, by=by, action=LogEntry.Action.UPDATE, what=what, changes=changes)


def normalise_email(email: str) -> str:
    return email.strip().lower()
