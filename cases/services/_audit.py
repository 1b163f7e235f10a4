"""The audit entry every case service writes by hand: what was read or done, never a value."""

from typing import Any

from cases.models import Case
from core.audit import log_entry
from members.models import User


def log_case_entry(case: Case, *, by: User | None, action: int, what: str, **extra: Any) -> None:
    """An audit entry that says what was read or done, never the identity's values.

    log_create goes through auditlog's request context, which fills in the client's
    address; the role is the one the actor held at that moment (roles change).
    """
    log_entry(case, by=by, action=action, what=what, case_id=case.pk, role=by.role if by else None, **extra)
