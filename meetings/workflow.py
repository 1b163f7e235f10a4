"""The meeting's status and an agenda proposal's decision, one table each (core.workflow)."""

from django.core.exceptions import ValidationError

from core.workflow import Notice, Transition, Workflow
from meetings.models import ItemStatus, MeetingStatus

S = MeetingStatus


def _no_pending_proposals(meeting, data, now):
    if meeting.items.filter(status=ItemStatus.PROPOSED).exists():
        raise ValidationError("Decide every proposed item (accept, merge or decline) before closing the agenda.")
    return ()


def _started(meeting, data, now):
    if meeting.starts_on > now.date():
        raise ValidationError("The meeting has not started yet.")
    return ()


def _minutes_circulated(meeting, data, now):
    latest = meeting.minutes_versions.order_by("-number").first()
    if latest is None or latest.circulated_at is None:
        raise ValidationError("Circulate the minutes to the members before approving them.")
    return ()


def _cancel_reason(meeting, data, now):
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the meeting is cancelled: the members are told."})
    meeting.cancel_reason = reason
    return ("cancel_reason",)


MEETING_WORKFLOW = Workflow(
    name="meeting",
    noun="meeting",
    states=tuple(S.values),
    transitions=(
        Transition(
            name="open_agenda",
            label="Open the agenda for proposals",
            sources=(S.PLANNED,),
            target=S.AGENDA_OPEN,
            by=("secretariat",),
            url="meetings:step",
            notifies=(Notice(kind="meeting_agenda_open", audience="members"),),
        ),
        Transition(
            name="close_agenda",
            label="Close the agenda",
            sources=(S.AGENDA_OPEN,),
            target=S.AGENDA_CLOSED,
            by=("secretariat",),
            url="meetings:step",
            apply=_no_pending_proposals,
        ),
        Transition(
            name="reopen_agenda",
            label="Reopen the agenda",
            sources=(S.AGENDA_CLOSED,),
            target=S.AGENDA_OPEN,
            by=("secretariat",),
            url="meetings:step",
            branch=True,
        ),
        Transition(
            name="mark_held",
            label="Mark as held",
            sources=(S.AGENDA_CLOSED,),
            target=S.HELD,
            by=("secretariat",),
            url="meetings:step",
            apply=_started,
        ),
        Transition(
            name="approve_minutes",
            label="Approve the minutes",
            sources=(S.HELD,),
            target=S.MINUTES_APPROVED,
            by=("secretariat",),
            url="meetings:step",
            apply=_minutes_circulated,
            effects="meetings.services.minutes_mark_approved",
            confirmation="The circulated version becomes the approved minutes; it can no longer change.",
            notifies=(Notice(kind="meeting_minutes_approved", audience="members"),),
        ),
        Transition(
            name="cancel",
            label="Cancel the meeting",
            sources=(S.PLANNED, S.AGENDA_OPEN, S.AGENDA_CLOSED),
            target=S.CANCELLED,
            by=("secretariat",),
            url="meetings:step",
            apply=_cancel_reason,
            branch=True,
            destructive=True,
            confirmation="Cancelling cannot be undone: registrations end and every member is told.",
            notifies=(Notice(kind="meeting_cancelled", audience="members"),),
        ),
    ),
)

IS = ItemStatus

AGENDA_ITEM_WORKFLOW = Workflow(
    name="agenda item",
    noun="agenda item",
    states=tuple(IS.values),
    transitions=(
        Transition(
            name="accept",
            label="Put on the agenda",
            sources=(IS.PROPOSED,),
            target=IS.ACCEPTED,
            by=("secretariat",),
            url="meetings:item_decide",
            stamps=("decided_at",),
            notifies=(Notice(kind="meeting_item_decided", audience="proposing state"),),
        ),
        Transition(
            name="merge",
            label="Merge into another item",
            sources=(IS.PROPOSED,),
            target=IS.MERGED,
            by=("secretariat",),
            url="meetings:item_decide",
            stamps=("decided_at",),
            branch=True,
            notifies=(Notice(kind="meeting_item_decided", audience="proposing state"),),
        ),
        Transition(
            name="decline",
            label="Decline",
            sources=(IS.PROPOSED,),
            target=IS.DECLINED,
            by=("secretariat",),
            url="meetings:item_decide",
            stamps=("decided_at",),
            branch=True,
            notifies=(Notice(kind="meeting_item_decided", audience="proposing state"),),
        ),
    ),
)
