"""Country profiles: each reporting state's public page. Its structure is edited by the
state's representatives and NCPs (every version kept) and confirmed once a year (a job asks);
its key figures are the region's public tables cut to the state, protected the same way; its
publications, projects and trainings are those linked to the state."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.audit import audited_as_by
from members.expert_group import state_members
from members.models import MemberState, User
from notifications.services import notify
from reporting.access import reporting_state
from reporting.models import CountryProfile, CountryProfileRevision
from reporting.services import reporting_states

# Asked to confirm the structure when its last confirmation is older than this.
CONFIRM_EVERY = datetime.timedelta(days=365)


def profile_of(state: MemberState) -> CountryProfile:
    """The state's profile; an empty one (not saved) until its members first fill it in."""
    profile = CountryProfile.objects.filter(member_state=state).select_related("confirmed_by").first()
    return profile or CountryProfile(member_state=state)


def _require_state_member(state: MemberState, by: User) -> None:
    own = reporting_state(by)
    if own is None or own.pk != state.pk:
        raise ValidationError("Only the state's representatives and NCPs change its profile.")


@audited_as_by
@transaction.atomic
def profile_save(*, state: MemberState, data: dict[str, Any], by: User) -> CountryProfile:
    """Save the structure (saving confirms it as current, too) and keep the version."""
    _require_state_member(state, by)
    profile, _ = CountryProfile.objects.select_for_update().get_or_create(member_state=state)
    now = timezone.now()
    for name in CountryProfile.STRUCTURE_FIELDS:
        setattr(profile, name, str(data.get(name, "")).strip())
    profile.changed_at, profile.changed_by = now, by
    profile.confirmed_at, profile.confirmed_by = now, by
    profile.full_clean()
    profile.save()
    CountryProfileRevision.objects.create(
        profile=profile,
        data={name: getattr(profile, name) for name in CountryProfile.STRUCTURE_FIELDS},
        changed_by=by,
        changed_at=now,
    )
    return profile


@audited_as_by
@transaction.atomic
def profile_confirm(*, state: MemberState, by: User) -> CountryProfile:
    """The structure shown is still right: its date of confirmation moves to today."""
    _require_state_member(state, by)
    profile = CountryProfile.objects.select_for_update().filter(member_state=state).first()
    if profile is None:
        raise ValidationError("Fill in the profile first.")
    profile.confirmed_at, profile.confirmed_by = timezone.now(), by
    profile.save(update_fields=["confirmed_at", "confirmed_by"])
    return profile


def confirmations_request(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Ask each reporting state whose profile was not confirmed for a year (or never filled
    in) to confirm it; once a year per state (the notices' dedupe key)."""
    now = now or timezone.now()
    notices = 0
    for state in reporting_states():
        profile = CountryProfile.objects.filter(member_state=state).first()
        if profile is not None and profile.confirmed_at and now - profile.confirmed_at < CONFIRM_EVERY:
            continue
        sent = notify(
            recipients=state_members(state),
            kind="reporting_profile_confirm",
            text=f"Please check {state}'s country profile: is its anti-trafficking structure still right?",
            link=reverse("countries:edit", args=[state.code.lower()]),
            dedupe_prefix=f"profile:{state.pk}:{now.year}",
        )
        notices += len(sent)
    return {"notices": notices}


def profile_history(profile: CountryProfile) -> QuerySet[CountryProfileRevision]:
    return profile.revisions.select_related("changed_by").order_by("-changed_at", "-id")


@dataclass
class ProfileVersion:
    revision: CountryProfileRevision
    # (field label, before, after) for each field this version changed; the first version's
    # "before" is empty.
    changes: list[tuple[str, str, str]]


def _label(name: str) -> str:
    field = CountryProfile._meta.get_field(name)
    assert isinstance(field, models.Field)  # the structure's fields are plain columns
    return str(field.verbose_name).capitalize()


def profile_versions(profile: CountryProfile, *, newest: int = 20) -> list[ProfileVersion]:
    """The newest versions, each with what it changed from the one before (one query)."""
    revisions = list(profile_history(profile)[: newest + 1])
    labels = {name: _label(name) for name in CountryProfile.STRUCTURE_FIELDS}
    versions = []
    for revision, before in zip(revisions[:newest], [*revisions[1:], None], strict=False):
        earlier = before.data if before is not None else {}
        changes = [
            (labels[name], str(earlier.get(name, "")), str(revision.data.get(name, "")))
            for name in CountryProfile.STRUCTURE_FIELDS
            if earlier.get(name, "") != revision.data.get(name, "")
        ]
        versions.append(ProfileVersion(revision=revision, changes=changes))
    return versions
