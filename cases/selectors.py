import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TypedDict

from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Field,
    ForeignObjectRel,
    Model,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.text import capfirst

from cases.access import cases_for
from cases.models import Case, CaseIdentity, ControlMeans, ExploitationForm, FollowUp, Stage
from core.types import AnyUser


def case_list(*, user: AnyUser) -> QuerySet[Case]:
    """The cases the user may open, ready for the list page (no identity, ever)."""
    return (
        cases_for(user)
        .select_related("member_state", "case_worker")
        .prefetch_related("forms_of_exploitation")
        .order_by("-created_at", "-pk")
    )


class StageCount(TypedDict):
    stage: str
    label: str
    count: int


# The per-stage counts read every open case of the state with its grant (80 ms at a million
# cases), and the list's bounded count up to 1,000 of them (15 ms), so each user's are kept
# this long; any write to a case or a case grant of the state starts new ones at once
# (cases.apps bumps the state's version), so the wait is only for changes made outside the
# ORM's save and delete.
STAGE_COUNTS_SECONDS = 60


def _cases_version_key(member_state_id: int | None) -> str:
    return f"cases:version:{member_state_id}"


def cases_changed(*, member_state_id: int | None) -> None:
    """Makes every cached figure over the state's cases stale (called on each case write)."""
    key = _cases_version_key(member_state_id)
    try:
        cache.incr(key)
    except ValueError:  # not there (yet, or evicted): any new value differs from the old ones
        cache.set(key, time.time_ns(), timeout=None)


def case_list_count_cache(*, user: AnyUser) -> tuple[str, int]:
    """Where the case list keeps its bounded count (core.pagination.BoundedCountPaginator): per
    user and state version, like the per-stage counts, for as long."""
    state = getattr(user, "member_state_id", None)
    version = cache.get(_cases_version_key(state), 0)
    return (f"cases:list-count:{state}:{version}:{user.pk}", STAGE_COUNTS_SECONDS)


def open_cases_per_stage(*, user: AnyUser) -> list[StageCount]:
    state = getattr(user, "member_state_id", None)
    version = cache.get(_cases_version_key(state), 0)
    # Per user, not per state: what counts is what this user's access answers.
    key = f"cases:open-per-stage:{state}:{version}:{user.pk}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(
            cases_for(user)
            .open()
            .order_by()
            .values_list("stage")
            .annotate(count=Count("pk"))
            .values_list("stage", "count")
        )
        cache.set(key, counts, timeout=STAGE_COUNTS_SECONDS)
    return [
        StageCount(stage=stage, label=label, count=counts.get(stage, 0))
        for stage, label in Stage.choices
        if stage != Stage.CLOSED
    ]


def case_audit_trail(*, case: Case) -> QuerySet[LogEntry]:
    trail: QuerySet[LogEntry] = (
        LogEntry.objects.filter(additional_data__case_id=case.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    return trail


def _field_label(model: type[Model] | None, name: str) -> str:
    """The field's verbose name; a name the model no longer has is humanised, never shown raw.

    Reverse relations get a related_name such as "proceedingss" (%(class)ss), so their
    label comes from the related model's plural name instead.
    """
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        if isinstance(field, ForeignObjectRel) and not isinstance(field.related_model, str):
            return capfirst(str(field.related_model._meta.verbose_name_plural))
        if isinstance(field, Field):
            return capfirst(str(field.verbose_name))
    return capfirst(name.replace("_", " ").strip())


def audit_field_labels(entry: LogEntry) -> list[str]:
    """The labels of the fields an audit entry names, in the order it names them.

    Identity changes list the identity's field names in additional_data (never its
    values); other entries carry auditlog's change dict of their own model's fields.
    """
    extra = entry.additional_data or {}
    if extra.get("fields"):
        model: type[Model] | None = CaseIdentity if str(extra.get("what", "")).startswith("identity") else Case
        return [_field_label(model, name) for name in extra["fields"]]
    model = entry.content_type.model_class() if entry.content_type_id else None
    return [_field_label(model, name) for name in entry.changes_dict]


def label_audit_entries(entries: Iterable[LogEntry]) -> None:
    """Give each entry of a page its field labels, for the template (which cannot call functions)."""
    for entry in entries:
        entry.field_labels = audit_field_labels(entry)


# How many of the latest outside reads the case page lists; the audit trail has them all.
SEEN_OUTSIDE_TEAM_LIMIT = 20


def case_seen_outside_team(*, case: Case, limit: int = SEEN_OUTSIDE_TEAM_LIMIT) -> list[LogEntry]:
    """Who outside the owning state's team read or revealed the case's data through a referral.

    The referral services record each read with the referral's case and the acting side
    (referrals.services._audit.log_referral_entry); the sending side is always the case's own state, so
    the receiving side's entries are exactly the outside ones. Newest first, bounded, in
    one query whatever the number of entries.
    """
    return list(
        LogEntry.objects.filter(
            additional_data__case_id=case.pk,
            additional_data__side="receiving",
            action=LogEntry.Action.ACCESS,
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")[:limit]
    )


# The dashboard lists follow-ups due within this many days, besides the overdue ones.
FOLLOW_UP_SOON_DAYS = 7


def follow_ups_due(
    *, user: AnyUser, within_days: int = FOLLOW_UP_SOON_DAYS, today: date | None = None
) -> QuerySet[FollowUp]:
    """Open follow-ups of the cases the user may open, overdue or due within `within_days`, soonest first.

    Each carries `is_overdue`. The state, due date filter and order are followup_state_open_idx's
    (a state's open follow-ups by due date); the cases are the user's state's, through their team's grant.
    """
    if not user.is_authenticated:
        return FollowUp.objects.none()
    today = today or timezone.localdate()
    return (
        FollowUp.objects.filter(
            # The state first, from the follow-up's own column (followup_state_open_idx), so only
            # the state's open follow-ups are probed for the grant of their case.
            member_state_id=user.member_state_id,
            case__in=cases_for(user).values("pk"),
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=within_days),
        )
        .select_related("case")
        .annotate(is_overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
        .order_by("due_on", "pk")
    )


def case_labels(*, case: Case) -> dict[str, list[str]]:
    """The names of the case's forms of exploitation and means of control, in one query
    (the case page's query budget is 15), each list in name order."""
    forms = ExploitationForm.objects.filter(cases=case).annotate(kind=Value("forms")).values_list("kind", "name")
    means = ControlMeans.objects.filter(cases=case).annotate(kind=Value("means")).values_list("kind", "name")
    labels: dict[str, list[str]] = {"forms": [], "means": []}
    for kind, name in forms.order_by().union(means.order_by()).order_by("kind", "name"):
        labels[kind].append(name)
    return labels
