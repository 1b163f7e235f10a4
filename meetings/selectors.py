"""Reads on meetings that depend on who asks (meetings.access decides what they may see)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.types import AnyUser
from meetings.access import is_member, manages, visible_items, visible_papers
from meetings.access import visible_minutes as access_visible_minutes
from meetings.models import (
    UPCOMING_STATUSES,
    ActionPoint,
    ActionStatus,
    AgendaItem,
    Attendee,
    Decision,
    Delegation,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MinutesComment,
    MinutesVersion,
    Paper,
    Reply,
)
from members.expert_group import acting_state, participating_states
from members.models import MemberState


def meeting_list(*, user: AnyUser) -> QuerySet[Meeting]:
    if not is_member(user):
        return Meeting.objects.none()
    return Meeting.objects.select_related("host_state").order_by("-starts_on", "-id")


def agenda(*, user: AnyUser, meeting: Meeting) -> list[AgendaItem]:
    """The items on the agenda, in order, each with the papers this user may read."""
    papers = visible_papers(user, meeting).order_by("title", "language", "id")
    return list(
        AgendaItem.objects.filter(meeting=meeting, status=ItemStatus.ACCEPTED)
        .select_related("proposing_state")
        .prefetch_related(Prefetch("papers", queryset=papers, to_attr="visible_papers"))
        .order_by("position", "id")
    )


def proposals(*, user: AnyUser, meeting: Meeting) -> list[AgendaItem]:
    """The proposals not on the agenda that this user may see: all of them for the
    secretariat, their own state's for a state's member, none for an observer."""
    return list(
        visible_items(user, meeting)
        .exclude(status=ItemStatus.ACCEPTED)
        .select_related("proposing_state", "merged_into")
        .order_by("status", "id")
    )


def general_papers(*, user: AnyUser, meeting: Meeting) -> list[Paper]:
    return list(visible_papers(user, meeting).filter(item__isnull=True).order_by("title", "language", "id"))


def item_papers(*, user: AnyUser, item: AgendaItem) -> list[Paper]:
    return list(visible_papers(user, item.meeting).filter(item=item).order_by("title", "language", "id"))


def own_delegation(*, user: AnyUser, meeting: Meeting) -> Delegation | None:
    state = acting_state(user)
    if state is None:
        return None
    return (
        Delegation.objects.filter(meeting=meeting, member_state=state)
        .select_related("answered_by")
        .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.select_related("user")))
        .first()
    )


def own_observer_registration(*, user: AnyUser, meeting: Meeting) -> Attendee | None:
    if not user.is_authenticated:
        return None
    return Attendee.objects.filter(meeting=meeting, user_id=user.pk, delegation__isnull=True).first()


@dataclass
class StateAnswer:
    state: MemberState
    delegation: Delegation | None

    @property
    def label(self) -> str:
        if self.delegation is None:
            return "No reply"
        if self.delegation.reply == Reply.NOT_ATTENDING:
            return "Not attending"
        return "Registered"


def delegation_board(*, meeting: Meeting) -> list[StateAnswer]:
    """Per participating state: registered, not attending, or no reply (the secretariat's)."""
    delegations = {
        delegation.member_state_id: delegation
        for delegation in Delegation.objects.filter(meeting=meeting)
        .select_related("answered_by")
        .prefetch_related(Prefetch("attendees", queryset=Attendee.objects.select_related("user")))
    }
    return [StateAnswer(state, delegations.get(state.pk)) for state in participating_states().order_by("name")]


def reply_counts(*, meeting: Meeting) -> dict[str, int]:
    counts = Delegation.objects.filter(meeting=meeting).aggregate(
        registered=Count("pk", filter=Q(reply=Reply.ATTENDING)),
        not_attending=Count("pk", filter=Q(reply=Reply.NOT_ATTENDING)),
    )
    counts["no_reply"] = participating_states().count() - counts["registered"] - counts["not_attending"]
    return counts


def observers(*, meeting: Meeting) -> list[Attendee]:
    return list(Attendee.objects.filter(meeting=meeting, delegation__isnull=True).select_related("user"))


def attendance_sheet(*, meeting: Meeting) -> list[Attendee]:
    """Everyone registered, by state (observers last), for recording who was there."""
    return list(
        Attendee.objects.filter(meeting=meeting)
        .select_related("user", "delegation__member_state")
        .order_by("delegation__member_state__name", "id")
    )


def _count_of(queryset: QuerySet) -> Coalesce:  # type: ignore[type-arg]
    """A correlated COUNT(*) of `queryset` (filtered on OuterRef("pk")), 0 when empty."""
    counted = queryset.order_by().values("meeting").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def upcoming_for_dashboard(*, user: AnyUser) -> QuerySet[Meeting]:
    """The meetings ahead, nearest first, with what they ask of this member: for a state's
    member whether the state has answered; for the secretariat the proposals waiting and how
    many states have answered. One query, whatever the number of meetings or answers."""
    if not is_member(user):
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(status__in=UPCOMING_STATUSES, starts_on__gte=timezone.localdate()).order_by(
        "starts_on", "id"
    )
    state = acting_state(user)
    if state is not None:
        answered = Delegation.objects.filter(meeting=OuterRef("pk"), member_state=state)
        meetings = meetings.annotate(state_answered=Exists(answered))
    if manages(user):
        meetings = meetings.annotate(
            pending_proposals=_count_of(AgendaItem.objects.filter(meeting=OuterRef("pk"), status=ItemStatus.PROPOSED)),
            answers=_count_of(Delegation.objects.filter(meeting=OuterRef("pk"))),
        )
    return meetings


def visible_minutes(*, user: AnyUser, meeting: Meeting) -> QuerySet[MinutesVersion]:
    """The versions of the minutes this member may read, newest first."""
    return access_visible_minutes(user, meeting).order_by("-number")


def minutes_comments(*, user: AnyUser, version: MinutesVersion) -> list[MinutesComment]:
    """The secretariat sees every state's comments; a state's member their own state's."""
    comments = MinutesComment.objects.filter(version=version).select_related("member_state", "author")
    if not manages(user):
        state = acting_state(user)
        if state is None:
            return []
        comments = comments.filter(member_state=state)
    return list(comments.order_by("paragraph", "created_at", "id"))


def meeting_outcomes(*, meeting: Meeting) -> tuple[list[Decision], list[ActionPoint]]:
    decisions = list(Decision.objects.filter(meeting=meeting).select_related("item").order_by("id"))
    actions = list(
        ActionPoint.objects.filter(meeting=meeting)
        .select_related("owner_state", "owner_user", "item")
        .order_by("due_on", "id")
    )
    return decisions, actions


def action_points(*, user: AnyUser, state: MemberState | None = None, status: str = "") -> QuerySet[ActionPoint]:
    """The group's action points across meetings (every member sees them), open ones by
    default, earliest due first; optionally one state's."""
    if not is_member(user):
        return ActionPoint.objects.none()
    actions = ActionPoint.objects.select_related("meeting", "owner_state", "owner_user")
    if state is not None:
        actions = actions.filter(owner_state=state)
    return actions.filter(status=status or ActionStatus.OPEN).order_by("due_on", "id")


def minutes_awaiting(*, user: AnyUser) -> QuerySet[MinutesVersion]:
    """Circulated minutes not yet approved: to comment on (a state, before the deadline) or
    to approve (the secretariat), earliest deadline first."""
    if not is_member(user):
        return MinutesVersion.objects.none()
    versions = MinutesVersion.objects.filter(
        circulated_at__isnull=False, approved_at__isnull=True, meeting__status=MeetingStatus.HELD
    ).select_related("meeting")
    if not manages(user):
        versions = versions.filter(comments_close_at__gt=timezone.now())
    return versions.order_by("comments_close_at", "id")


def own_open_action_points(*, user: AnyUser) -> QuerySet[ActionPoint]:
    """The open action points this member owns: their state's and their own; the secretariat's
    are the group's own ones."""
    if not is_member(user):
        return ActionPoint.objects.none()
    mine = Q(owner_user_id=user.pk)
    state = acting_state(user)
    if state is not None:
        mine |= Q(owner_state=state)
    if manages(user):
        mine |= Q(owner_secretariat=True)
    return (
        ActionPoint.objects.filter(mine, status=ActionStatus.OPEN)
        .select_related("meeting", "owner_state", "owner_user")
        .order_by("due_on", "id")
    )
