"""Small steps the members services share: the explicit audit entry and the email's normal form."""

from auditlog.models import LogEntry
from django.db import models

from members.models import User


def audit_log(
    instance: models.Model, *, by: User | None, what: str, changes: dict[str, list[str]] | None = None
) -> None:
    """An explicit audit entry with the person who acted, also outside a request."""
    LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes=changes or {},
        additional_data={"what": what},
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()
