"""The audit entry every case service writes by hand: what was read or done, never a value."""

from auditlog.models import LogEntry

from cases.models import Case
from members.models import User


def log_case_entry(case: Case, *, by: User | None, action: int, what: str, **extra: object) -> None:
    """An audit entry that says what was read or done, never the identity's values.

    log_create goes through auditlog's request context, which fills in the client's
    address; the role is the one the actor held at that moment (roles change).
    """
    LogEntry.objects.log_create(
        case,
        force_log=True,
        action=action,
        actor=by,
        changes={},
        additional_data={"case_id": case.pk, "what": what, "role": by.role if by else None, **extra},
    )
