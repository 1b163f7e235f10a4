"""The only way from a URL id to a meeting, an agenda
item or a paper: each answers 404 both when it does not exist and when the user may not see it.

Who is in the expert group is members.expert_group's; the secretariat runs the meetings.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from core.types import AnyUser
from meetings.models import ActionPoint, AgendaItem, ItemStatus, Meeting, MinutesVersion, Paper
from members.expert_group import acting_state, is_group_member

MANAGE = "meetings.manage_meetings"


def manages(user: AnyUser) -> bool:
    """The secretariat, which runs the meetings (its role carries manage_meetings)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE))


def is_member(user: AnyUser) -> bool:
    return manages(user) or is_group_member(user)


def sees_restricted(user: AnyUser) -> bool:
    """Restricted papers are for the states' delegates and the secretariat, not observers."""
    return manages(user) or acting_state(user) is not None


def require_member(user: AnyUser) -> None:
    if not is_member(user):
        raise Http404("No such page.")


def require_manager(user: AnyUser) -> None:
    if not manages(user):
        raise Http404("No such page.")


def access_meeting(user: AnyUser, pk: int) -> Meeting:
    require_member(user)
    meeting = Meeting.objects.select_related("host_state").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def visible_items(user: AnyUser, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The items a member sees: the agenda, and the proposals their own state made (the
    secretariat sees every proposal; other states see a proposal once it is on the agenda)."""
    items = AgendaItem.objects.filter(meeting=meeting)
    if manages(user):
        return items
    state = acting_state(user)
    shown = Q(status=ItemStatus.ACCEPTED)
    if state is not None:
        shown |= Q(proposing_state=state)
    return items.filter(shown)


def access_agenda_item(user: AnyUser, meeting_pk: int, pk: int) -> AgendaItem:
    meeting = access_meeting(user, meeting_pk)
    item: AgendaItem | None = (
        visible_items(user, meeting).select_related("proposing_state", "merged_into").filter(pk=pk).first()
    )
    if item is None:
        raise Http404("No such agenda item.")
    item.meeting = meeting
    return item


def visible_papers(user: AnyUser, meeting: Meeting) -> QuerySet[Paper]:
    papers = Paper.objects.filter(meeting=meeting)
    if not sees_restricted(user):
        papers = papers.filter(restricted=False)
    if not manages(user):
        # A paper of a proposal is seen by those who see the proposal.
        papers = papers.filter(Q(item__isnull=True) | Q(item__in=visible_items(user, meeting)))
    return papers


def access_paper(user: AnyUser, meeting_pk: int, pk: int) -> Paper:
    meeting = access_meeting(user, meeting_pk)
    paper: Paper | None = visible_papers(user, meeting).filter(pk=pk).first()
    if paper is None:
        raise Http404("No such paper.")
    return paper


def visible_minutes(user: AnyUser, meeting: Meeting) -> QuerySet[MinutesVersion]:
    """Circulated and approved versions for the members; drafts for the secretariat too."""
    versions = MinutesVersion.objects.filter(meeting=meeting)
    if not manages(user):
        versions = versions.filter(circulated_at__isnull=False)
    return versions


def access_minutes_version(user: AnyUser, meeting_pk: int, number: int) -> MinutesVersion:
    meeting = access_meeting(user, meeting_pk)
    version: MinutesVersion | None = visible_minutes(user, meeting).filter(number=number).first()
    if version is None:
        raise Http404("No such version of the minutes.")
    version.meeting = meeting
    return version


def may_update_action_point(user: AnyUser, action: ActionPoint) -> bool:
    if manages(user):
        return True
    if action.owner_state_id is not None:
        state = acting_state(user)
        return state is not None and state.pk == action.owner_state_id
    return bool(action.owner_user_id is not None and user.is_authenticated and action.owner_user_id == user.pk)


def access_action_point(user: AnyUser, meeting_pk: int, pk: int) -> ActionPoint:
    """Every member sees the group's action points; updating one is its owner's (above)."""
    meeting = access_meeting(user, meeting_pk)
    action: ActionPoint | None = (
        ActionPoint.objects.filter(meeting=meeting, pk=pk).select_related("owner_state", "owner_user", "item").first()
    )
    if action is None:
        raise Http404("No such action point.")
    action.meeting = meeting
    return action
