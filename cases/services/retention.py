"""Retention: cases closed longer than THB_CASE_RETENTION_DAYS are anonymised by a periodic job (cases.jobs)."""

from datetime import datetime, timedelta
from typing import TypedDict

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases import hooks
from cases.models import (
    AssistanceService,
    Case,
    CaseDocument,
    CaseIdentity,
    Consent,
    FollowUp,
    Proceedings,
    RiskAssessment,
)
from cases.services._audit import log_case_entry


def _anonymise(case: Case) -> None:
    CaseIdentity.objects.filter(case=case).delete()
    for document in CaseDocument.objects.filter(case=case):
        document.file.delete(save=False)
        document.delete()
    # The records stay, for the statistics; their free text goes.
    for record in (Consent, RiskAssessment, AssistanceService, Proceedings, FollowUp):
        record._default_manager.filter(case=case).update(**dict.fromkeys(record.PERSONAL_TEXT_FIELDS, ""))
    for name in Case.PERSONAL_TEXT_FIELDS:
        setattr(case, name, "")
    case.case_worker = None
    case.organisation = None
    case.anonymised_at = timezone.now()
    case.save(update_fields=[*Case.PERSONAL_TEXT_FIELDS, "case_worker", "organisation", "anonymised_at"])
    # After the case is marked: the referral events' trigger lets their data be blanked only then.
    shared: dict[str, int] = {}
    for handler in hooks.case_anonymised.handlers:
        shared.update(handler(case=case))
    # The bulk updates above bypass the audit signals, so the run is logged here.
    log_case_entry(case, by=None, action=LogEntry.Action.UPDATE, what="anonymised after the retention period", **shared)


class AnonymiseResult(TypedDict):
    """What a retention run reports (and its job run keeps): counts and the first references."""

    anonymised: int
    due: int
    dry_run: bool
    references: list[str]


def cases_anonymise_closed(*, now: datetime | None = None, dry_run: bool = False) -> AnonymiseResult:
    """Anonymise cases closed longer than THB_CASE_RETENTION_DAYS; keeps what statistics need."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.THB_CASE_RETENTION_DAYS)
    due = Case.objects.closed().not_anonymised().filter(closed_at__lt=cutoff).order_by("pk")
    references = list(due.values_list("reference", flat=True))
    if not dry_run:
        for case in due:
            with transaction.atomic():
                _anonymise(case)
    return AnonymiseResult(
        anonymised=0 if dry_run else len(references),
        due=len(references),
        dry_run=dry_run,
        references=references[:100],
    )
