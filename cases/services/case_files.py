"""A case file and what is added to it: opening, editing, consents, assessments, services, follow-ups."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from guardian.shortcuts import assign_perm

from cases.models import MINOR_AGE_BANDS, Case, CaseRecord, FollowUp
from core.audit import audited_as_by
from members.models import MemberState, Role, User
from members.roles import team_group

# The state's contact points get these on each of its cases, through the team group.
TEAM_CASE_PERMISSIONS = ("cases.view_case", "cases.change_case", "cases.reveal_identity")


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
def follow_up_complete(*, follow_up: FollowUp, by: User, done_on: date, outcome: str) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_on:
        raise ValidationError("This follow-up was already recorded as done.")
    follow_up.done_on = done_on
    follow_up.outcome = outcome
    follow_up.full_clean()
    follow_up.save(update_fields=["done_on", "outcome"])
    return follow_up
