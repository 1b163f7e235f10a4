"""Every write on case files. Callers have already passed cases.access."""

import logging
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases import hooks
from cases.models import (
    MINOR_AGE_BANDS,
    Case,
    CaseDocument,
    CaseIdentity,
    CaseRecord,
    CaseStatus,
    ClosureReason,
    Consent,
    FollowUp,
    RevealPurpose,
    Stage,
)
from cases.workflow import CASE_STAGE_WORKFLOW
from core.audit import audited_as_by
from core.db import update_fields
from core.uploads import CASE_DOCUMENT_TYPES, check_upload, store_checked_upload
from core.workflow import Transition
from members.models import MemberState, Role, User
from members.roles import team_group

logger = logging.getLogger(__name__)

# The state's contact points get these on each of its cases, through the team group.
TEAM_CASE_PERMISSIONS = ("cases.view_case", "cases.change_case", "cases.reveal_identity")


def allowed_stage_moves(case: Case) -> list[str]:
    """The stages an open case may move to now (cases.workflow); a closed one is reopened instead."""
    return [] if case.is_closed else CASE_STAGE_WORKFLOW.targets(case.stage)


def _status_for(stage: str, closure_reason: str) -> str:
    if stage == Stage.CLOSED:
        return CaseStatus.CLOSED_REFERRED if closure_reason == ClosureReason.REFERRED else CaseStatus.CLOSED
    if stage == Stage.FOLLOW_UP:
        return CaseStatus.FOLLOW_UP
    return CaseStatus.ACTIVE


def _log(case: Case, *, by: User | None, action: int, what: str, **extra: object) -> None:
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


@audited_as_by
@transaction.atomic
def case_create(
    *, member_state: MemberState, by: User, data: dict[str, Any], m2m: dict[str, Any] | None = None
) -> Case:
    """Open a case with the next reference of its state and year (EE-2026-0042)."""
    # Locking the state's row serialises reference allocation for that state only.
    MemberState.objects.select_for_update().get(pk=member_state.pk)
    year = timezone.localdate().year
    last = Case.objects.filter(member_state=member_state, year=year).aggregate(last=Max("sequence"))["last"]
    sequence = (last or 0) + 1
    case = Case(
        member_state=member_state,
        year=year,
        sequence=sequence,
        reference=f"{member_state.code}-{year}-{sequence:04d}",
        created_by=by,
        **data,
    )
    if case.age_band in MINOR_AGE_BANDS:
        case.is_minor = True
    case.full_clean()
    case.save()
    for name, values in (m2m or {}).items():
        getattr(case, name).set(values)
    ncp_team = team_group(member_state, Role.NCP)
    for permission in TEAM_CASE_PERMISSIONS:
        assign_perm(permission, ncp_team, case)
    return case


@audited_as_by
@transaction.atomic
def case_update(*, case: Case, by: User, data: dict[str, Any], m2m: dict[str, Any] | None = None) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    for name, value in data.items():
        setattr(case, name, value)
    if case.age_band in MINOR_AGE_BANDS:
        case.is_minor = True
    case.full_clean()
    case.save(update_fields=[*data.keys(), "is_minor", "updated_at"])
    for name, values in (m2m or {}).items():
        getattr(case, name).set(values)
    return case


@audited_as_by
@transaction.atomic
def case_move_stage(
    *,
    case: Case,
    to_stage: str,
    by: User,
    reason: str = "",
    closure_reason: str = "",
    reflection_start: date | None = None,
    reflection_end: date | None = None,
) -> Case:
    """Move a case to another stage, if that move is allowed from where it is now."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_stage not in Stage.values:
        raise ValidationError(f"“{to_stage}” is not a stage.")
    step = CASE_STAGE_WORKFLOW.between(case.stage, to_stage)
    if case.is_closed:
        raise ValidationError("The case is closed. Reopen it, with a reason, before moving it.")
    if step is None:
        raise ValidationError(f"A case cannot move from “{Stage(case.stage).label}” to “{Stage(to_stage).label}”.")
    data = {
        "reason": reason,
        "closure_reason": closure_reason,
        "reflection_start": reflection_start,
        "reflection_end": reflection_end,
    }
    return _take_stage_step(case, step, data)


@audited_as_by
@transaction.atomic
def case_reopen(*, case: Case, to_stage: str, reason: str, by: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_closed:
        raise ValidationError("Only a closed case can be reopened.")
    step = CASE_STAGE_WORKFLOW.between(Stage.CLOSED, to_stage)
    if step is None:
        raise ValidationError("Choose the stage the reopened case starts in.")
    return _take_stage_step(case, step, {"reason": reason})


def _take_stage_step(case: Case, step: Transition, data: dict[str, Any]) -> Case:
    """Take one entry of the stage table on the locked case: its hook checks and sets what
    the stage needs; the stage, its status and the time of the change always follow."""
    now = timezone.now()
    update = ["stage", "status", "stage_changed_at"]
    for name in step.stamps:
        setattr(case, name, now)
        update.append(name)
    if step.apply:
        update += step.apply(case, data, now)
    case.stage = step.target
    case.status = _status_for(step.target, case.closure_reason)
    case.stage_changed_at = now
    case.save(update_fields=update)
    return case


@audited_as_by
@transaction.atomic
def identity_save(*, case: Case, by: User, data: dict[str, Any]) -> CaseIdentity:
    identity, _ = CaseIdentity.objects.get_or_create(case=case)
    changed = [name for name in CaseIdentity.ENCRYPTED_FIELDS if name in data and getattr(identity, name) != data[name]]
    update_fields(identity, {name: data[name] for name in changed}, clean=False)
    if changed:
        # Which fields changed, never their values.
        _log(case, by=by, action=LogEntry.Action.UPDATE, what="identity changed", fields=changed)
    return identity


@audited_as_by
@transaction.atomic
def identity_reveal(*, case: Case, by: User, purpose: str, note: str = "") -> CaseIdentity | None:
    """Return the identity for display, and record who saw it, when and why."""
    label = RevealPurpose(purpose).label if purpose in RevealPurpose.values else purpose
    _log(case, by=by, action=LogEntry.Action.ACCESS, what="identity revealed", purpose=label, note=note[:500])
    return CaseIdentity.objects.filter(case=case).first()


@audited_as_by
def case_read_record(*, case: Case, by: User, what: str, **extra: object) -> None:
    _log(case, by=by, action=LogEntry.Action.ACCESS, what=what, **extra)


@audited_as_by
def statistics_export_record(*, by: User, what: str, **extra: object) -> None:
    """Audit an export of case statistics: it is a read of case data, though of no one case."""
    LogEntry.objects.log_create(
        # An unsaved Case stands for "case data": the entry's type is Case, its reference says what.
        Case(),
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={},
        object_pk="statistics",
        object_repr="Case statistics",
        additional_data={"what": what, "role": by.role, **extra},
    )


@audited_as_by
@transaction.atomic
def case_record_add(*, case: Case, record: CaseRecord, by: User, m2m: dict[str, Any] | None = None) -> CaseRecord:
    """Add a consent, assessment, service, proceedings or follow-up to a case."""
    if case.anonymised_at:
        raise ValidationError("This case was anonymised; nothing can be added to it.")
    record.case = case
    record.recorded_by = by
    record.recorded_at = timezone.now()
    record.full_clean()
    record.save()
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
    return record


@audited_as_by
@transaction.atomic
def consent_withdraw(*, consent: Consent, by: User, reason: str) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at:
        raise ValidationError("This consent was already withdrawn.")
    if not reason.strip():
        raise ValidationError("Give the reason for the withdrawal, as the person stated it.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    # What rested on the consent ends with it, in this transaction (referrals connects its
    # handler: every referral relying on it is closed to the receiving state at once).
    for handler in hooks.consent_withdrawn.handlers:
        handler(consent=consent, by=by)
    return consent


@audited_as_by
@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, by: User, done_on: date, outcome: str) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_on:
        raise ValidationError("This follow-up was already recorded as done.")
    follow_up.done_on = done_on
    follow_up.outcome = outcome
    follow_up.full_clean()
    follow_up.save(update_fields=["done_on", "outcome"])
    return follow_up


@audited_as_by
@transaction.atomic
def document_upload(*, case: Case, upload: "File[bytes]", title: str, by: User) -> CaseDocument:
    """Store a checked file under a generated name; a refused file leaves nothing behind."""
    if case.anonymised_at:
        raise ValidationError("This case was anonymised; documents cannot be added.")
    checked = check_upload(upload, allowed=CASE_DOCUMENT_TYPES)
    document = CaseDocument(case=case, title=title.strip() or checked.original_name, recorded_by=by)
    store_checked_upload(document, upload, checked)
    return document


# Retention ---------------------------------------------------------------------------

ANONYMISED_TEXT_FIELDS = [
    "not_identified_reason",
    "best_interests_note",
    "reopened_reason",
    "languages",
    "interpretation_language",
]


def _anonymise(case: Case) -> None:
    CaseIdentity.objects.filter(case=case).delete()
    for document in CaseDocument.objects.filter(case=case):
        document.file.delete(save=False)
        document.delete()
    case.consents.update(interpreter_language="", withdrawal_reason="")
    case.riskassessments.update(needs="", safety_plan="")
    case.assistanceservices.update(provider="")
    case.proceedingss.update(outcome="")
    case.followups.update(outcome="")
    for name in ANONYMISED_TEXT_FIELDS:
        setattr(case, name, "")
    case.case_worker = None
    case.organisation = None
    case.anonymised_at = timezone.now()
    case.save(update_fields=[*ANONYMISED_TEXT_FIELDS, "case_worker", "organisation", "anonymised_at"])
    # After the case is marked: the referral events' trigger lets their data be blanked only then.
    shared: dict[str, int] = {}
    for handler in hooks.case_anonymised.handlers:
        shared.update(handler(case=case))
    # The bulk updates above bypass the audit signals, so the run is logged here.
    _log(case, by=None, action=LogEntry.Action.UPDATE, what="anonymised after the retention period", **shared)


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


def identities_reencrypt(*, batch_size: int = 500) -> int:
    """Rewrite every identity with the newest key; raises DecryptionError on a value no key opens."""
    count, last_pk = 0, 0
    while batch := list(CaseIdentity.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size]):
        with transaction.atomic():
            for identity in batch:
                # Reading decrypts with whichever key fits; saving encrypts with the newest.
                identity.save(update_fields=CaseIdentity.ENCRYPTED_FIELDS)
        count += len(batch)
        last_pk = batch[-1].pk
    return count
