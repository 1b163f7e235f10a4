"""Writes on meetings: the secretariat's meeting form and steps, agenda proposals and
decisions, papers, delegations, observers' registrations, attendance, and the reminder job.

Every write takes `by`, the audit actor, and checks the rule it enforces itself: a view
that forgot a check still cannot register a delegation for another state or propose an
item after the cut-off.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from core.uploads import PAPER_TYPES, check_upload, store_checked_upload
from core.workflow import Transition, UnknownTransition
from meetings.access import manages, may_update_action_point
from meetings.models import (
    UPCOMING_STATUSES,
    ActionPoint,
    ActionStatus,
    AgendaItem,
    Attendee,
    CalendarFeed,
    Decision,
    Delegation,
    ItemStatus,
    Meeting,
    MeetingStatus,
    MinutesComment,
    MinutesVersion,
    Mode,
    Paper,
    Reply,
)
from meetings.workflow import AGENDA_ITEM_WORKFLOW, MEETING_WORKFLOW
from members.expert_group import (
    GROUP_STATE_KINDS,
    acting_state,
    group_members,
    is_group_member,
    is_observer,
    notify_states_without_answer,
    secretariat_members,
    state_members,
)
from members.models import STATE_ROLES, MemberState, Role, User
from notifications.services import notify

# Set only by the steps of MEETING_WORKFLOW, never by the meeting's form.
STEP_FIELDS = {"status", "cancel_reason"}


def _require_manager(by: User) -> None:
    if not manages(by):
        raise ValidationError("Only the secretariat runs the expert group's meetings.")


# The meeting ---------------------------------------------------------------------------


@audited_as_by
@transaction.atomic
def meeting_save(*, meeting: Meeting, data: dict[str, Any], by: User) -> Meeting:
    """Create a meeting (planned), or change its details, from the secretariat's form."""
    _require_manager(by)
    if STEP_FIELDS & set(data):
        raise ValidationError("A meeting's status changes through its steps, not its form.")
    if meeting.pk is None:
        for name, value in data.items():
            setattr(meeting, name, value)
        meeting.created_by = by
        meeting.full_clean()
        meeting.save()
        return meeting
    if not meeting.is_upcoming:
        raise ValidationError(f"A meeting that is {meeting.get_status_display().lower()} can no longer be changed.")
    return update_fields(meeting, data)


def meeting_step_refusal(meeting: Meeting, step: Transition, *, by: User) -> str | None:
    if not manages(by):
        return "Only the secretariat runs the expert group's meetings."
    if meeting.status not in step.sources:
        return MEETING_WORKFLOW.refusal(step, meeting.get_status_display())
    return None


@audited_as_by
@transaction.atomic
def meeting_transition(*, meeting: Meeting, step: str, by: User, data: dict[str, Any] | None = None) -> Meeting:
    """Take one step of MEETING_WORKFLOW (meetings.workflow)."""
    data = data or {}
    try:
        transition = MEETING_WORKFLOW.get(step)
    except UnknownTransition as error:
        raise ValidationError(str(error)) from None
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refusal = meeting_step_refusal(meeting, transition, by=by)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    update = ["status", "updated_at"]
    if transition.apply:
        update += transition.apply(meeting, data, now)
    meeting.status = transition.target
    meeting.updated_at = now
    meeting.save(update_fields=update)
    effects = transition.effects_function()
    if effects is not None:
        effects(meeting, step=transition, by=by, now=now)
    for notice in transition.notifies:
        text = {
            "meeting_agenda_open": f"{meeting.title}: the agenda is open for proposals until "
            f"{timezone.localtime(meeting.proposals_close_at):%d %B %Y %H:%M}.",
            "meeting_cancelled": f"{meeting.title} is cancelled: {meeting.cancel_reason}",
            "meeting_minutes_approved": f"{meeting.title}: the minutes are approved.",
        }[notice.kind]
        notify(recipients=group_members(), kind=notice.kind, text=text, link=meeting.get_absolute_url(), actor=by)
    return meeting


# The agenda ----------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    top = meeting.items.filter(status=ItemStatus.ACCEPTED).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


@audited_as_by
@transaction.atomic
def agenda_item_propose(*, meeting: Meeting, data: dict[str, Any], by: User) -> AgendaItem:
    """A member state proposes an item (before the cut-off); the secretariat's own items go
    on the agenda at once, at its end."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    secretariat = manages(by)
    state = acting_state(by)
    if not secretariat and state is None:
        raise ValidationError("Only a member state's representatives or the secretariat propose agenda items.")
    if meeting.status != MeetingStatus.AGENDA_OPEN:
        raise ValidationError(
            f"The agenda is not open for proposals (the meeting is “{meeting.get_status_display()}”)."
        )
    if not secretariat and timezone.now() > meeting.proposals_close_at:
        raise ValidationError("The cut-off for agenda proposals has passed; write to the secretariat.")
    item = AgendaItem(
        meeting=meeting,
        title=data.get("title", ""),
        purpose=data.get("purpose", ""),
        note=data.get("note", ""),
        proposed_by=by,
        proposing_state=None if secretariat else state,
    )
    if secretariat:
        item.status = ItemStatus.ACCEPTED
        item.position = _next_position(meeting)
        item.rapporteur = data.get("rapporteur", "")
        item.decided_by, item.decided_at = by, timezone.now()
    item.full_clean()
    item.save()
    if not secretariat:
        notify(
            recipients=secretariat_members(),
            kind="meeting_item_proposed",
            text=f"{state}: “{item.title}” proposed for {meeting.title}.",
            link=item.get_absolute_url(),
            actor=by,
        )
    return item


def _record_merge(item: AgendaItem, data: dict[str, Any]) -> None:
    target = data.get("merged_into")
    if target is None:
        raise ValidationError({"merged_into": "Choose the item on the agenda it is merged into."})
    # Read again: the chosen item's status is the database's, not that of the object passed in.
    on_agenda = AgendaItem.objects.filter(meeting_id=item.meeting_id, status=ItemStatus.ACCEPTED).exclude(pk=item.pk)
    merged_into = on_agenda.filter(pk=target.pk).first()
    if merged_into is None:
        raise ValidationError({"merged_into": "Merge into an item on this meeting's agenda."})
    item.merged_into = merged_into


@audited_as_by
@transaction.atomic
def agenda_item_decide(*, item: AgendaItem, step: str, by: User, data: dict[str, Any] | None = None) -> AgendaItem:
    """Accept, merge or decline a proposal, with a reason (AGENDA_ITEM_WORKFLOW)."""
    data = data or {}
    _require_manager(by)
    try:
        transition = AGENDA_ITEM_WORKFLOW.get(step)
    except UnknownTransition as error:
        raise ValidationError(str(error)) from None
    locked = AgendaItem.objects.select_for_update(of=("self",))
    item = locked.select_related("meeting", "proposing_state").get(pk=item.pk)
    if item.status not in transition.sources:
        raise ValidationError(AGENDA_ITEM_WORKFLOW.refusal(transition, item.get_status_display()))
    if not item.meeting.is_upcoming:
        raise ValidationError("The meeting is over: its agenda can no longer change.")
    reason = (data.get("reason") or "").strip()
    if transition.target != ItemStatus.ACCEPTED and not reason:
        raise ValidationError({"reason": "Give the proposing state a reason."})
    if transition.target == ItemStatus.MERGED:
        _record_merge(item, data)
    if transition.target == ItemStatus.ACCEPTED:
        item.position = _next_position(item.meeting)
        item.rapporteur = data.get("rapporteur") or item.rapporteur
    item.status = transition.target
    item.decision_reason = reason
    item.decided_by, item.decided_at = by, timezone.now()
    item.full_clean()
    item.save()
    if item.proposing_state is not None:
        said = f": {reason}" if reason else "."
        notify(
            recipients=state_members(item.proposing_state),
            kind="meeting_item_decided",
            text=f"“{item.title}” ({item.meeting.title}): {item.get_status_display().lower()}{said}",
            link=item.get_absolute_url(),
            actor=by,
        )
    return item


@audited_as_by
@transaction.atomic
def agenda_item_move(*, item: AgendaItem, direction: str, by: User) -> AgendaItem:
    """Move an item on the agenda one place up or down (it swaps with its neighbour)."""
    _require_manager(by)
    if direction not in ("up", "down"):
        raise ValidationError("Move an item up or down.")
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    if item.status != ItemStatus.ACCEPTED or not item.meeting.is_upcoming:
        raise ValidationError("Only items on the agenda of an upcoming meeting can be moved.")
    agenda = AgendaItem.objects.select_for_update().filter(meeting=item.meeting, status=ItemStatus.ACCEPTED)
    neighbour = (
        agenda.filter(position__lt=item.position).order_by("-position").first()
        if direction == "up"
        else agenda.filter(position__gt=item.position).order_by("position").first()
    )
    if neighbour is None:
        return item
    item.position, neighbour.position = neighbour.position, item.position
    AgendaItem.objects.bulk_update([item, neighbour], ["position"])
    return item


# Papers --------------------------------------------------------------------------------


@audited_as_by
@transaction.atomic
def paper_add(
    *,
    meeting: Meeting,
    upload: Any,
    title: str,
    language: str,
    by: User,
    item: AgendaItem | None = None,
    restricted: bool = False,
) -> Paper:
    """Store a checked paper under a generated name and tell the members who may read it."""
    _require_manager(by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting is cancelled: no papers can be added.")
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting."})
    checked = check_upload(upload, allowed=PAPER_TYPES)
    paper = Paper(
        meeting=meeting,
        item=item,
        title=title.strip() or checked.original_name,
        language=language,
        restricted=restricted,
        added_by=by,
    )
    paper.full_clean(exclude=["file", "original_name", "content_type", "size", "sha256"])
    store_checked_upload(paper, upload, checked)
    readers = group_members()
    if restricted:
        readers = readers.exclude(role=Role.OBSERVER)
    if item is not None and item.status != ItemStatus.ACCEPTED:
        # A proposal's paper: for those who see the proposal.
        readers = readers.filter(Q(role=Role.SECRETARIAT) | Q(member_state=item.proposing_state))
    notify(
        recipients=readers,
        kind="meeting_papers_added",
        text=f"{meeting.title}: paper “{paper.title}” added.",
        link=meeting.get_absolute_url(),
        actor=by,
    )
    return paper


# Delegations and attendance ------------------------------------------------------------


def _require_registration_open(meeting: Meeting, by: User) -> None:
    if not meeting.is_upcoming:
        raise ValidationError(f"The meeting is {meeting.get_status_display().lower()}: registration has ended.")
    if timezone.now() > meeting.registration_closes_at and not manages(by):
        raise ValidationError("Registration has closed; write to the secretariat to change your delegation.")


@audited_as_by
@transaction.atomic
def delegation_register(
    *,
    meeting: Meeting,
    state: MemberState,
    reply: str,
    by: User,
    members: Iterable[tuple[User, str]] = (),
    guests: Iterable[tuple[str, str, str]] = (),
    note: str = "",
) -> Delegation:
    """A state's answer: who attends (its own users with a mode, guests by name and
    organisation with a mode), or that it will not attend. Any of the state's members may
    give or change it; the secretariat may record it for a state. The last answer replaces
    the one before; who gave it is recorded."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not manages(by) and acting_state(by) != state:
        raise ValidationError("You can answer only for your own state.")
    if state.kind not in GROUP_STATE_KINDS or not state.is_active:
        raise ValidationError(f"{state} is not in the expert group.")
    _require_registration_open(meeting, by)
    if reply not in Reply.values:
        raise ValidationError({"reply": "Say whether your state attends."})
    members, guests = list(members), [(n.strip(), o.strip(), m) for n, o, m in guests if n.strip()]
    if reply == Reply.ATTENDING and not members and not guests:
        raise ValidationError("Name at least one delegate, or answer that your state will not attend.")
    if reply == Reply.NOT_ATTENDING:
        members, guests = [], []
    for user, mode in members:
        if user.member_state_id != state.pk or user.role not in STATE_ROLES or not user.is_active:
            raise ValidationError({"members": f"{user.full_name} is not one of {state}'s members."})
        if mode not in Mode.values:
            raise ValidationError({"members": "Say whether each delegate attends in person or online."})
    delegation, _ = Delegation.objects.update_or_create(
        meeting=meeting,
        member_state=state,
        defaults={"reply": reply, "note": note.strip(), "answered_by": by, "answered_at": timezone.now()},
    )
    delegation.attendees.all().delete()
    Attendee.objects.bulk_create(
        [Attendee(meeting=meeting, delegation=delegation, user=u, mode=m, registered_by=by) for u, m in members]
        + [
            Attendee(
                meeting=meeting,
                delegation=delegation,
                guest_name=name,
                guest_organisation=organisation,
                mode=mode if mode in Mode.values else Mode.IN_PERSON,
                registered_by=by,
            )
            for name, organisation, mode in guests
        ]
    )
    return delegation


@audited_as_by
@transaction.atomic
def observer_register(*, meeting: Meeting, attending: bool, mode: str, by: User) -> Attendee | None:
    """An observer registers their own attendance, or withdraws it."""
    if not is_observer(by):
        raise ValidationError("Observers register themselves; states register their delegations.")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_registration_open(meeting, by)
    Attendee.objects.filter(meeting=meeting, user=by, delegation__isnull=True).delete()
    if not attending:
        return None
    if mode not in Mode.values:
        raise ValidationError({"mode": "Say whether you attend in person or online."})
    return Attendee.objects.create(meeting=meeting, user=by, mode=mode, registered_by=by)


@audited_as_by
@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[int], by: User) -> int:
    """Record who was there: the registered attendees whose ids are in `present` were, the
    rest were not. Returns how many were present."""
    _require_manager(by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting was cancelled: there is no attendance to record.")
    if meeting.starts_on > timezone.localdate():
        raise ValidationError("Attendance is recorded once the meeting has started.")
    present_ids = set(present)
    attendees = Attendee.objects.filter(meeting=meeting)
    unknown = present_ids - set(attendees.values_list("pk", flat=True))
    if unknown:
        raise ValidationError("Some of the people marked present are not registered for this meeting.")
    attendees.filter(pk__in=present_ids).update(present=True)
    attendees.exclude(pk__in=present_ids).update(present=False)
    return len(present_ids)


# Minutes, decisions and action points --------------------------------------------------


def _require_held(meeting: Meeting, what: str) -> Meeting:
    """The meeting as the database has it (locked), if it is held; the object passed in may be stale."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        status = meeting.get_status_display().lower()
        raise ValidationError(
            f"{what} are recorded once the meeting is held, until its minutes are approved ({status})."
        )
    return meeting


def latest_minutes(meeting: Meeting) -> MinutesVersion | None:
    return meeting.minutes_versions.order_by("-number").first()


@audited_as_by
@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, by: User) -> MinutesVersion:
    """Draft the minutes. A draft not yet circulated is changed in place; once a version was
    circulated, a change makes the next version, and the circulated one is kept as it was."""
    _require_manager(by)
    meeting = _require_held(meeting, "Minutes")
    if not text.strip():
        raise ValidationError({"text": "Write the minutes."})
    latest = latest_minutes(meeting)
    if latest is not None and latest.circulated_at is None:
        return update_fields(latest, {"text": text.strip()})
    version = MinutesVersion(
        meeting=meeting, number=(latest.number + 1) if latest else 1, text=text.strip(), created_by=by
    )
    version.full_clean()
    version.save()
    return version


@audited_as_by
@transaction.atomic
def minutes_circulate(*, meeting: Meeting, comments_close_at: datetime.datetime, by: User) -> MinutesVersion:
    """Send the draft to the members for comments until `comments_close_at`."""
    _require_manager(by)
    meeting = _require_held(meeting, "Minutes")
    latest = latest_minutes(meeting)
    if latest is None or latest.circulated_at is not None:
        raise ValidationError("There is no new draft to circulate: change the minutes first.")
    now = timezone.now()
    if comments_close_at <= now:
        raise ValidationError({"comments_close_at": "The deadline for comments must be in the future."})
    update_fields(latest, {"circulated_at": now, "comments_close_at": comments_close_at})
    closes = timezone.localtime(comments_close_at)
    notify(
        recipients=group_members(),
        kind="meeting_minutes_circulated",
        text=f"{meeting.title}: minutes (version {latest.number}) for comments until {closes:%d %B %Y %H:%M}.",
        link=reverse("meetings:minutes", args=[meeting.pk]),
        actor=by,
    )
    return latest


@audited_as_by
@transaction.atomic
def minutes_comment(*, version: MinutesVersion, paragraph: int | None, text: str, by: User) -> MinutesComment:
    """A state comments on the circulated minutes, on one paragraph or overall."""
    state = acting_state(by)
    if state is None:
        raise ValidationError("The member states' representatives comment on minutes.")
    latest = latest_minutes(version.meeting)
    if latest is None or latest.pk != version.pk or not version.takes_comments():
        raise ValidationError("These minutes take no comments now: the deadline passed, or a newer version exists.")
    if paragraph is not None and not 1 <= paragraph <= len(version.paragraphs):
        raise ValidationError({"paragraph": "Choose a paragraph of these minutes, or the whole."})
    if not text.strip():
        raise ValidationError({"text": "Write the comment."})
    comment = MinutesComment(version=version, member_state=state, paragraph=paragraph, text=text.strip(), author=by)
    comment.full_clean()
    comment.save()
    return comment


def minutes_mark_approved(meeting: Meeting, *, step: Transition, by: User, now: datetime.datetime) -> None:
    """The approve_minutes step's effect: the circulated version is the approved one."""
    latest = latest_minutes(meeting)
    if latest is not None:
        update_fields(latest, {"approved_at": now, "approved_by": by})


@audited_as_by
@transaction.atomic
def decision_record(*, meeting: Meeting, text: str, by: User, item: AgendaItem | None = None) -> Decision:
    _require_manager(by)
    meeting = _require_held(meeting, "Decisions")
    if item is not None and (item.meeting_id != meeting.pk or item.status != ItemStatus.ACCEPTED):
        raise ValidationError({"item": "Choose an item of this meeting's agenda."})
    decision = Decision(meeting=meeting, item=item, text=text.strip(), recorded_by=by)
    decision.full_clean()
    decision.save()
    return decision


def _action_owners(action: ActionPoint) -> QuerySet[User]:
    if action.owner_state_id is not None:
        return state_members(action.owner_state)  # type: ignore[arg-type]  # set with its id
    if action.owner_user_id is not None:
        return User.objects.filter(pk=action.owner_user_id, is_active=True)
    return User.objects.filter(role=Role.SECRETARIAT, is_active=True)


@audited_as_by
@transaction.atomic
def action_point_add(
    *,
    meeting: Meeting,
    text: str,
    due_on: datetime.date,
    by: User,
    owner_state: MemberState | None = None,
    owner_user: User | None = None,
    owner_secretariat: bool = False,
    item: AgendaItem | None = None,
) -> ActionPoint:
    """Record an action point with its one owner (a state, a person or the secretariat)."""
    _require_manager(by)
    meeting = _require_held(meeting, "Action points")
    if (owner_state is not None) + (owner_user is not None) + bool(owner_secretariat) != 1:
        raise ValidationError({"owner": "Choose who owns the action point: a state, a person or the secretariat."})
    if owner_user is not None and not (owner_user.is_active and owner_user in group_members()):
        raise ValidationError({"owner": "The owner must be a member of the expert group."})
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError({"item": "Choose an item of this meeting."})
    action = ActionPoint(
        meeting=meeting,
        item=item,
        text=text.strip(),
        due_on=due_on,
        owner_state=owner_state,
        owner_user=owner_user,
        owner_secretariat=owner_secretariat,
        updated_by=by,
    )
    action.full_clean()
    action.save()
    notify(
        recipients=_action_owners(action),
        kind="meeting_action_point",
        text=f"{meeting.title}: action point for {action.owner_label}, due {due_on:%d %B %Y}: {action.text[:120]}",
        link=action.get_absolute_url(),
        actor=by,
    )
    return action


@audited_as_by
@transaction.atomic
def action_point_update(*, action: ActionPoint, status: str, note: str, by: User) -> ActionPoint:
    """The owner (or the secretariat) says where an action point stands, with a note."""
    action = ActionPoint.objects.select_for_update(of=("self",)).select_related("owner_state").get(pk=action.pk)
    if not may_update_action_point(by, action):
        raise ValidationError("Only the action point's owner or the secretariat updates it.")
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, done or dropped."})
    if not note.strip():
        raise ValidationError({"status_note": "Say what was done, or why it is dropped."})
    return update_fields(action, {"status": status, "status_note": note.strip(), "updated_by": by})


def action_points_remind_overdue(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the owners of each open action point past its due date, once per action point."""
    today = timezone.localdate(now or timezone.now())
    counts = {"action_points": 0, "notices": 0}
    overdue = ActionPoint.objects.filter(status=ActionStatus.OPEN, due_on__lt=today).select_related(
        "meeting", "owner_state", "owner_user"
    )
    for action in overdue:
        counts["action_points"] += 1
        sent = notify(
            recipients=_action_owners(action),
            kind="meeting_action_point",
            text=f"Overdue since {action.due_on:%d %B %Y} ({action.meeting.title}): {action.text[:120]}",
            link=action.get_absolute_url(),
            target=action,
            dedupe_prefix=f"action:{action.pk}:overdue",
        )
        counts["notices"] += len(sent)
    return counts


# The calendar feed ---------------------------------------------------------------------


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@audited_as_by
@transaction.atomic
def calendar_feed_reset(*, by: User) -> str:
    """Make (or replace) the member's secret calendar address; returns its token, which is
    not kept: only its hash is."""
    if not is_group_member(by) and not manages(by):
        raise ValidationError("The calendar is for members of the expert group.")
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=by, defaults={"token_sha256": calendar_token_hash(token), "created_at": timezone.now()}
    )
    return token


# The reminder job ----------------------------------------------------------------------


def registration_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the states with no answer to an upcoming meeting whose registration closes
    within THB_MEETING_REMINDER_DAYS. Each state's members are reminded once per meeting,
    however often the job runs (the notices' dedupe key)."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.THB_MEETING_REMINDER_DAYS)
    meetings = Meeting.objects.filter(
        status__in=UPCOMING_STATUSES, registration_closes_at__gt=now, registration_closes_at__lte=horizon
    )
    counts = {"meetings": 0, "states": 0, "notices": 0}
    for meeting in meetings:
        counts["meetings"] += 1
        closes = timezone.localtime(meeting.registration_closes_at)

        def reminder(state: MemberState, meeting: Meeting = meeting, closes: datetime.datetime = closes) -> str:
            return f"{meeting.title}: {state} has not said who attends. Registration closes {closes:%d %B %Y %H:%M}."

        states, notices = notify_states_without_answer(
            answered=set(meeting.delegations.values_list("member_state_id", flat=True)),
            kind="meeting_registration_reminder",
            text=reminder,
            link=meeting.get_absolute_url(),
            target=meeting,
            dedupe_prefix=f"meeting:{meeting.pk}:registration-reminder",
        )
        counts["states"] += states
        counts["notices"] += notices
    return counts
