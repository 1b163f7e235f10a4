"""Reads of case data, each audited: a case's pages and downloads, statistics exports."""

from typing import Any

from auditlog.models import LogEntry

from cases.models import Case
from cases.services._audit import log_case_entry
from core.audit import audited_as_by, log_entry
from members.models import User


@audited_as_by
def case_read_record(*, case: Case, by: User, what: str, **extra: object) -> None:
    log_case_entry(case, by=by, action=LogEntry.Action.ACCESS, what=what, **extra)


@audited_as_by
def statistics_export_record(*, by: User, what: str, **extra: Any) -> None:
    """Audit an export of case statistics: it is a read of case data, though of no one case."""
    log_entry(
        # An unsaved Case stands for "case data": the entry's type is Case, its reference says what.
        Case(),
        by=by,
        action=LogEntry.Action.ACCESS,
        what=what,
        object_pk="statistics",
        object_repr="Case statistics",
        role=by.role,
        **extra,
    )
