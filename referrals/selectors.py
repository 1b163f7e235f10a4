from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, CharField, DateTimeField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cases.models import Case as CaseModel
from core.pagination import bounded_count
from core.types import AnyUser
from members.models import Role
from notifications.models import Notification
from referrals.access import referrals_for
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus, Side
from referrals.workflow import REFERRAL_WORKFLOW


def inbox(*, user: AnyUser) -> QuerySet[Referral]:
    """Referrals sent to the user's state (drafts are never in an inbox)."""
    if not user.is_authenticated:
        return Referral.objects.none()
    return (
        referrals_for(user)
        .filter(receiving_state_id=user.member_state_id)
        .exclude(status="draft")
        .select_related("sending_state", "receiving_state")
        .with_overdue_flag()
        .order_by("-sent_at", "-pk")
    )


def outbox(*, user: AnyUser) -> QuerySet[Referral]:
    if not user.is_authenticated:
        return Referral.objects.none()
    return (
        referrals_for(user)
        .filter(sending_state_id=user.member_state_id)
        .select_related("sending_state", "receiving_state", "case")
        .with_overdue_flag()
        .order_by("-created_at", "-pk")
    )


def case_referrals(*, case: CaseModel, user: AnyUser) -> list[Referral]:
    """The case's referrals for its page, each with `next_deadline`: (what, when) or None."""
    referrals = list(
        referrals_for(user).filter(case=case).select_related("receiving_state").order_by("-created_at", "-pk")
    )
    now = timezone.now()
    for referral in referrals:
        # A page-only attribute the case page's template reads, like an annotation.
        referral.next_deadline = _next_deadline(referral, now)  # type: ignore[attr-defined]
    return referrals


def _next_deadline(referral: Referral, now: datetime) -> tuple[str, datetime] | None:
    if referral.status == ReferralStatus.SENT and referral.ack_deadline:
        return ("acknowledgement", referral.ack_deadline)
    if referral.status in (ReferralStatus.COMPLETED, ReferralStatus.CLOSED) and referral.completed_at:
        # The follow-up reminders (referrals.services.referrals_follow_up_reminders) use the same months.
        for months in settings.THB_REFERRAL_FOLLOW_UP_MONTHS:
            due = referral.completed_at + timedelta(days=round(months * 30.44))
            if due > now:
                return ("follow-up", due)
    return None


def access_ended_for(*, user: AnyUser, pk: int) -> tuple[Referral, ReferralEvent] | None:
    """The referral sent to the user's state whose access that state has lost, and the event that ended it.

    Used only where access_referral answered 404, so a contact point whose open referral was
    withdrawn meanwhile is told so instead of meeting a 404; anyone else learns nothing.
    """
    if not user.is_authenticated or not user.is_active or user.role != Role.NCP or user.member_state_id is None:
        return None
    referral = (
        Referral.objects.filter(
            pk=pk, receiving_state_id=user.member_state_id, receiving_access_revoked_at__isnull=False
        )
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("consent")
        .first()
    )
    if referral is None:
        return None
    event = referral.events.filter(kind=EventKind.ACCESS_REVOKED).first()
    return (referral, event) if event else None


# The dashboard's work queue ---------------------------------------------------------

# The steps of the normal path. Each waits on one side (referrals.workflow); a branch
# (decline, withdraw, refer onward) is a choice a state may make, never what a referral waits for.
WORK_ACTIONS = tuple(step.name for step in REFERRAL_WORKFLOW if not step.branch)


def _work_steps() -> dict[tuple[str, str], str]:
    """(side, status) -> the step that side takes next, by the labels of the referral's buttons."""
    labels: dict[tuple[str, str], list[str]] = {}
    for action in WORK_ACTIONS:
        transition = REFERRAL_WORKFLOW.get(action)
        for side in transition.by:
            for source in transition.sources:
                labels.setdefault((side, source), []).append(transition.label)
    return {key: " or ".join([first, *(label.lower() for label in rest)]) for key, (first, *rest) in labels.items()}


WORK_STEPS = _work_steps()

# Since when each status has waited: the moment the referral reached it.
_REACHED_AT: dict[str, str] = {
    ReferralStatus.DRAFT: "created_at",
    ReferralStatus.SENT: "sent_at",
    ReferralStatus.ACKNOWLEDGED: "acknowledged_at",
    ReferralStatus.ACCEPTED: "accepted_at",
    # Starting records no time of its own; the services began after acceptance.
    ReferralStatus.IN_PROGRESS: "accepted_at",
    ReferralStatus.COMPLETED: "completed_at",
}


def _work_order(status: str) -> tuple[str, ...]:
    """How the referrals of one step wait: acknowledgement by its deadline (so the overdue come
    first), then each step since the referral reached it; the id breaks ties."""
    deadline = ("ack_deadline",) if status == ReferralStatus.SENT else ()
    return (*deadline, _REACHED_AT[status], "pk")


def referral_work_queue(*, user: AnyUser, limit: int, now: datetime | None = None) -> list[Referral]:
    """The first `limit` referrals waiting for the user's state to take a step, overdue ones
    first, then by deadline, then the longest waiting.

    Each row carries `work_step` (the step's label), `other_state_name`, `deadline` (only
    acknowledgement has one), `is_overdue` and `waiting_since`. A state may have tens of
    thousands waiting, so no query sorts them all: each step's first `limit` are read off its
    own partial index in its own order (referral_wait_<status>), and only those few
    (at most `limit` per step) are merged, in one UNION ALL query.
    """
    if not user.is_authenticated or limit <= 0:
        return []
    now = now or timezone.now()
    state = user.member_state_id
    # The access filter is built once; each step's part is a clone of it. Only what the
    # dashboard shows is read.
    waiting = referrals_for(user).only("reference", "urgency", "status").with_overdue_flag(now)
    parts = []
    for (side, status), label in WORK_STEPS.items():
        own, other = (
            ("sending_state", "receiving_state") if side == Side.SENDING else ("receiving_state", "sending_state")
        )
        part = waiting.filter(**{f"{own}_id": state, "status": status}).annotate(
            work_step=Value(label, output_field=CharField()),
            other_state_name=F(f"{other}__name"),
            deadline=F("ack_deadline") if status == ReferralStatus.SENT else Value(None, DateTimeField()),
            waiting_since=F(_REACHED_AT[status]),
        )
        parts.append(part.order_by(*_work_order(status))[:limit])
    if not connection.features.supports_slicing_ordering_in_compound:
        # SQLite (the embedded default, small) cannot order and limit each part of a UNION:
        # each step is its own query there, merged in the same order.
        return sorted((row for part in parts for row in part), key=_queue_order)[:limit]
    first, *rest = parts
    merged = first.union(*rest, all=True).order_by(
        F("is_overdue").desc(nulls_last=True),
        F("deadline").asc(nulls_last=True),
        F("waiting_since").asc(nulls_last=True),
        "pk",
    )
    return list(merged[:limit])


def _queue_order(referral: Referral) -> tuple[Any, ...]:
    # The UNION's ORDER BY in Python: overdue first, then by deadline, then the longest
    # waiting, each with its missing values last.
    overdue, deadline, since = referral.is_overdue, referral.deadline, referral.waiting_since  # type: ignore[attr-defined]
    # (A missing value is only ever compared with another: its flag before it decides first.)
    return (overdue is not True, overdue is None, deadline is None, deadline, since is None, since, referral.pk)


def referral_work_queue_count(*, user: AnyUser) -> int:
    """How many referrals wait for the user's state, counted up to core.pagination.COUNT_LIMIT
    (the dashboard then says "at least"); each step's count is read off its partial index."""
    if not user.is_authenticated:
        return 0
    state = user.member_state_id
    turn = Q()
    for side, status in WORK_STEPS:
        state_field = "sending_state_id" if side == Side.SENDING else "receiving_state_id"
        turn |= Q(**{state_field: state, "status": status})
    return bounded_count(referrals_for(user).filter(turn).order_by())


# The notice referrals.services.referral_message_post leaves the other side's contact points:
# "<reference>: new message from <name>". Steps leave notices of their own, which the queue shows.
MESSAGE_NOTICE_TEXT = ": new message from "


def unread_referral_messages(*, user: AnyUser) -> QuerySet[Notification]:
    """The user's unread notices of messages on referrals they may still open, newest first.

    Each carries `referral_reference` and `other_state_name`. Opening the referral marks
    them read (referrals.views.notices_read). A referral the user's state lost, or one of a
    state they no longer work for, is left out with its notices.
    """
    if not user.is_authenticated:
        return Notification.objects.none()
    referral_type = ContentType.objects.get_for_model(Referral)
    state = user.member_state_id
    about = Referral.objects.filter(pk=OuterRef("target_id")).order_by()
    other_state = about.annotate(
        other=Case(When(sending_state_id=state, then=F("receiving_state__name")), default=F("sending_state__name"))
    )
    return (
        Notification.objects.for_user(user)
        .unread()
        .filter(
            target_type=referral_type,
            target_id__in=referrals_for(user).values("pk"),
            text__contains=MESSAGE_NOTICE_TEXT,
        )
        .select_related("actor")
        .annotate(
            referral_reference=Subquery(about.values("reference")[:1]),
            other_state_name=Subquery(other_state.values("other")[:1]),
        )
        .order_by("-created_at", "-pk")
    )
