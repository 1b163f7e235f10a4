"""The referral's steps, one table (DESIGN.md sections 4 and 6).

Each entry says from which statuses it goes, to which, which side takes it, its form,
the event it records (and, through its record hook, the step's data), the fields it
changes, whether it grants or revokes the receiving state's access, whether it is
destructive, and whom it tells. referrals.services.referral_transition runs any entry;
the referral's page, its forms and the permission tests read the same table. Adding a
step is one entry here plus its form in referrals.forms.
"""

from datetime import datetime
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.workflow import Notice, Transition, Workflow
from members.models import Role
from referrals.models import EventKind, Referral, ReferralStatus, Side
from referrals.sending import add_working_days, build_snapshot, send_guard_problems

FORMS = "referrals.forms"
# Every step tells the other side's contact points (referrals.services._sides.notify_side).
TELL_OTHER_SIDE = Notice(kind="referral_update", audience="other side")


def _required(data: dict, name: str, message: str):
    value = data.get(name)
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        raise ValidationError({name: message})
    return value.strip() if isinstance(value, str) else value


def _when(value) -> str:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%d %b %Y, %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%d %b %Y, %H:%M")
        )
    return str(value)


# What each step records (DESIGN.md section 6): record(referral, data) checks and returns it.


def _record_note(referral: Referral, data: dict) -> dict:
    return {"note": data["note"]} if data.get("note") else {}


def _record_acknowledgement(referral: Referral, data: dict) -> dict:
    contact = _required(data, "receiving_contact", "Name the receiving contact.")
    # The alternate is optional; one who is named must be a second contact point.
    alternate = data.get("receiving_alternate") or None
    if alternate is not None and alternate == contact:
        raise ValidationError({"receiving_alternate": "The alternate must be someone else."})
    for user in (contact, alternate):
        if user is not None and (user.member_state_id != referral.receiving_state_id or user.role != Role.NCP):
            raise ValidationError("Both contacts must be contact points of the receiving state.")
    return {
        "receiving_contact": contact.full_name,
        "receiving_alternate": alternate.full_name if alternate else "",
        "assessment": data.get("assessment", ""),
    }


def _record_reception(referral: Referral, data: dict) -> dict:
    return {
        "met_by": _required(data, "met_by", "Say who meets the person."),
        "meeting_place": _required(data, "meeting_place", "Say where the person is met."),
        "meeting_time": _when(_required(data, "meeting_time", "Say when the person is met.")),
        "plan": data.get("plan", ""),
    }


def _record_completion(referral: Referral, data: dict) -> dict:
    return {
        "arrived_on": str(_required(data, "arrived_on", "Give the date of arrival or of the service start.")),
        "note": data.get("note", ""),
    }


def _record_reason(referral: Referral, data: dict) -> dict:
    return {"reason": _required(data, "reason", "Give the reason.")}


def _record_onward(referral: Referral, data: dict) -> dict:
    third = _required(data, "third_state", "Choose the state the case goes on to.")
    if third.pk in (referral.sending_state_id, referral.receiving_state_id):
        raise ValidationError({"third_state": "Choose a third state."})
    return {"third_state": third.name, "reason": _required(data, "reason", "Give the reason.")}


# The fields a step changes beyond its stamps: apply(referral, data, now) -> their names.


def _apply_send(referral: Referral, data: dict, now: datetime) -> list[str]:
    problems = send_guard_problems(referral)
    if problems:
        raise ValidationError(problems)
    referral.snapshot = build_snapshot(referral)
    referral.sent_at = now
    referral.ack_deadline = add_working_days(now, settings.THB_REFERRAL_ACK_WORKING_DAYS[referral.urgency])
    return ["snapshot", "sent_at", "ack_deadline"]


def _apply_contacts(referral: Referral, data: dict, now: datetime) -> list[str]:
    referral.receiving_contact = data["receiving_contact"]
    referral.receiving_alternate = data.get("receiving_alternate") or None
    return ["receiving_contact", "receiving_alternate"]


S = ReferralStatus
ACTIVE = (S.SENT, S.ACKNOWLEDGED, S.ACCEPTED, S.IN_PROGRESS)


class _Step(TypedDict):
    """What every referral step shares (spread into each entry, so the checker sees every field)."""

    url: str
    notifies: tuple[Notice, ...]


_STEP: _Step = {"url": "referrals:action", "notifies": (TELL_OTHER_SIDE,)}

REFERRAL_WORKFLOW = Workflow(
    name="referral",
    noun="referral",
    states=tuple(S.values),
    transitions=(
        Transition(
            name="send",
            label="Send",
            sources=(S.DRAFT,),
            target=S.SENT,
            by=(Side.SENDING,),
            form=f"{FORMS}.NoteForm",
            records=EventKind.SENT,
            record=_record_note,
            apply=_apply_send,
            grants=True,
            refusal="Only a draft can be sent; this referral is “{status}”.",
            **_STEP,
        ),
        Transition(
            name="acknowledge",
            label="Acknowledge",
            sources=(S.SENT,),
            target=S.ACKNOWLEDGED,
            by=(Side.RECEIVING,),
            form=f"{FORMS}.AcknowledgeForm",
            records=EventKind.ACKNOWLEDGED,
            record=_record_acknowledgement,
            stamps=("acknowledged_at",),
            apply=_apply_contacts,
            **_STEP,
        ),
        Transition(
            name="accept",
            label="Accept",
            sources=(S.ACKNOWLEDGED,),
            target=S.ACCEPTED,
            by=(Side.RECEIVING,),
            form=f"{FORMS}.AcceptForm",
            records=EventKind.ACCEPTED,
            record=_record_reception,
            stamps=("accepted_at",),
            **_STEP,
        ),
        Transition(
            name="start",
            label="Start services",
            sources=(S.ACCEPTED,),
            target=S.IN_PROGRESS,
            by=(Side.RECEIVING,),
            form=f"{FORMS}.NoteForm",
            records=EventKind.STARTED,
            record=_record_note,
            **_STEP,
        ),
        Transition(
            name="complete",
            label="Confirm completion",
            sources=(S.ACCEPTED, S.IN_PROGRESS),
            target=S.COMPLETED,
            by=(Side.RECEIVING,),
            form=f"{FORMS}.CompleteForm",
            records=EventKind.COMPLETED,
            record=_record_completion,
            stamps=("completed_at",),
            **_STEP,
        ),
        Transition(
            name="close",
            label="Close",
            sources=(S.COMPLETED,),
            target=S.CLOSED,
            by=(Side.SENDING,),
            form=f"{FORMS}.NoteForm",
            records=EventKind.CLOSED,
            record=_record_note,
            **_STEP,
        ),
        Transition(
            name="decline",
            label="Decline",
            sources=(S.SENT, S.ACKNOWLEDGED),
            target=S.DECLINED,
            by=(Side.RECEIVING,),
            form=f"{FORMS}.ReasonForm",
            records=EventKind.DECLINED,
            record=_record_reason,
            destructive=True,
            confirmation="Declining ends the referral; the sending state is told the reason. It cannot be undone.",
            branch=True,
            **_STEP,
        ),
        Transition(
            name="withdraw",
            label="Withdraw",
            sources=ACTIVE,
            target=S.WITHDRAWN,
            by=(Side.SENDING,),
            form=f"{FORMS}.ReasonForm",
            records=EventKind.WITHDRAWN,
            record=_record_reason,
            # Ending this way takes the shared data away from the receiving state at once.
            revokes=True,
            destructive=True,
            confirmation=(
                "Withdrawing ends the referral, and the receiving state loses what it shares at once. "
                "It cannot be undone."
            ),
            branch=True,
            **_STEP,
        ),
        Transition(
            name="consent_withdrawn",
            label="Record consent withdrawal",
            sources=(*ACTIVE, S.COMPLETED),
            target=S.CONSENT_WITHDRAWN,
            by=(Side.SENDING,),
            form=f"{FORMS}.ReasonForm",
            records=EventKind.CONSENT_WITHDRAWN,
            record=_record_reason,
            revokes=True,
            destructive=True,
            confirmation=(
                "The referral ends, and the receiving state loses what it shares at once. It cannot be undone."
            ),
            branch=True,
            **_STEP,
        ),
        Transition(
            name="refer_onward",
            label="Refer onward",
            sources=(S.ACKNOWLEDGED, S.ACCEPTED, S.IN_PROGRESS),
            target=S.REFERRED_ONWARD,
            by=(Side.RECEIVING,),
            form=f"{FORMS}.ReferOnwardForm",
            records=EventKind.REFERRED_ONWARD,
            record=_record_onward,
            branch=True,
            **_STEP,
        ),
    ),
)

# The step that ends a referral when the person withdraws the consent it rests on:
# referrals.services.referrals_end_for_withdrawn_consent, which cases' consent withdrawal calls
# through cases.hooks, takes it on every referral still running.
CONSENT_WITHDRAWAL = REFERRAL_WORKFLOW.get(S.CONSENT_WITHDRAWN)
