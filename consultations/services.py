"""Writes on consultations: the secretariat opens one (or a new round), states answer until
the deadline (every answer kept), the secretariat replies to comments, and the jobs close
consultations at their deadline and remind the states that have not answered."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consultations.access import manages
from consultations.models import (
    POSITIONS,
    Answer,
    AnswerRevision,
    Consultation,
    ConsultationStatus,
    Outcome,
    Position,
    Procedure,
)
from core.audit import audited_as_by
from core.db import update_fields
from core.uploads import PAPER_TYPES, check_upload, store_checked_upload
from members.expert_group import (
    acting_state,
    group_members,
    notify_states_without_answer,
    participating_states,
    secretariat_members,
    state_members,
)
from members.models import MemberState, User
from notifications.services import notify


def _require_manager(by: User) -> None:
    if not manages(by):
        raise ValidationError("Only the secretariat circulates documents to the member states.")


def _deadline_in_future(deadline: datetime.datetime) -> None:
    if deadline <= timezone.now():
        raise ValidationError({"deadline": "The deadline must be in the future."})


def _store_document(consultation: Consultation, upload: Any) -> None:
    checked = check_upload(upload, allowed=PAPER_TYPES)
    consultation.full_clean(exclude=["file", "original_name", "content_type", "size", "sha256"])
    store_checked_upload(consultation, upload, checked)


def _tell_opened(consultation: Consultation, by: User) -> None:
    deadline = timezone.localtime(consultation.deadline)
    notify(
        recipients=group_members(),
        kind="consultation_opened",
        text=f"{consultation}: {consultation.get_procedure_display().lower()} until {deadline:%d %B %Y %H:%M}.",
        link=consultation.get_absolute_url(),
        actor=by,
    )


@audited_as_by
@transaction.atomic
def consultation_open(*, data: dict[str, Any], upload: Any, by: User) -> Consultation:
    """Circulate a document to the member states with a deadline and a procedure."""
    _require_manager(by)
    _deadline_in_future(data["deadline"])
    if data.get("procedure") not in Procedure.values:
        raise ValidationError({"procedure": "Choose comments, a written procedure by silence or a vote."})
    consultation = Consultation(
        title=data.get("title", "").strip(),
        procedure=data["procedure"],
        note=data.get("note", "").strip(),
        deadline=data["deadline"],
        opened_by=by,
    )
    _store_document(consultation, upload)
    _tell_opened(consultation, by)
    return consultation


@audited_as_by
@transaction.atomic
def consultation_new_round(
    *, previous: Consultation, upload: Any, deadline: datetime.datetime, by: User, note: str = ""
) -> Consultation:
    """A new version of the document opens a new round; the closed round is kept as it was."""
    _require_manager(by)
    previous = Consultation.objects.select_for_update().get(pk=previous.pk)
    if previous.status != ConsultationStatus.CLOSED:
        raise ValidationError("A new round opens once this one has closed.")
    if Consultation.objects.filter(previous_round=previous).exists():
        raise ValidationError("This round already has a next one.")
    _deadline_in_future(deadline)
    consultation = Consultation(
        title=previous.title,
        procedure=previous.procedure,
        note=note.strip() or previous.note,
        deadline=deadline,
        round=previous.round + 1,
        previous_round=previous,
        first_round_id=previous.first_round_id or previous.pk,
        opened_by=by,
    )
    _store_document(consultation, upload)
    _tell_opened(consultation, by)
    return consultation


@audited_as_by
@transaction.atomic
def answer_give(
    *,
    consultation: Consultation,
    position: str,
    by: User,
    text: str = "",
    section: str = "",
    visible_to_members: bool = False,
) -> Answer:
    """A state's answer, or its change: one per state, until the deadline; each kept."""
    state = acting_state(by)
    if state is None:
        raise ValidationError("The member states' representatives answer consultations.")
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.takes_answers():
        raise ValidationError("The deadline has passed: answers can no longer be given or changed.")
    allowed = POSITIONS[Procedure(consultation.procedure)]
    if position not in allowed:
        raise ValidationError({"position": "Choose one of the answers this procedure takes."})
    text = text.strip()
    if position == Position.OBJECT and consultation.procedure == Procedure.SILENCE and not text:
        raise ValidationError({"text": "Give the reason for the objection: it breaks the silence."})
    if position == Position.COMMENTS and not text:
        raise ValidationError({"text": "Write your state's comments."})
    now = timezone.now()
    answer, _ = Answer.objects.update_or_create(
        consultation=consultation,
        member_state=state,
        defaults={
            "position": position,
            "text": text,
            "section": section.strip(),
            "visible_to_members": visible_to_members and consultation.procedure == Procedure.COMMENTS,
            "answered_by": by,
            "answered_at": now,
        },
    )
    AnswerRevision.objects.create(
        answer=answer, position=position, text=text, section=answer.section, answered_by=by, answered_at=now
    )
    notify(
        recipients=secretariat_members(),
        kind="consultation_answered",
        text=f"{consultation}: {state} answered ({answer.get_position_display().lower()}).",
        link=consultation.get_absolute_url(),
        actor=by,
    )
    return answer


@audited_as_by
@transaction.atomic
def answer_reply(*, answer: Answer, reply: str, taken_in: bool, by: User) -> Answer:
    """The secretariat answers a state's comments, or marks them as taken in."""
    _require_manager(by)
    if answer.consultation.procedure != Procedure.COMMENTS:
        raise ValidationError("Only comments are answered; votes and objections stand as given.")
    if not reply.strip() and not taken_in:
        raise ValidationError({"reply": "Write an answer, or mark the comments as taken in."})
    answer = update_fields(
        answer, {"reply": reply.strip(), "taken_in": taken_in, "replied_by": by, "replied_at": timezone.now()}
    )
    notify(
        recipients=state_members(answer.member_state),
        kind="consultation_reply",
        text=f"{answer.consultation}: the secretariat answered your state's comments.",
        link=answer.consultation.get_absolute_url(),
        actor=by,
    )
    return answer


def _outcome(consultation: Consultation) -> tuple[str, str]:
    answers = list(consultation.answers.select_related("member_state").order_by("member_state__name"))
    states = participating_states().count()
    if consultation.procedure == Procedure.SILENCE:
        objecting = [a.member_state.name for a in answers if a.position == Position.OBJECT]
        if not objecting:
            return Outcome.ADOPTED, "Adopted, no objection."
        return Outcome.SILENCE_BROKEN, f"Silence broken by {', '.join(objecting)}."
    if consultation.procedure == Procedure.VOTE:
        count = {position: sum(a.position == position for a in answers) for position in POSITIONS[Procedure.VOTE]}
        tally = (
            f"{count[Position.APPROVE]} approve, {count[Position.OBJECT]} object, "
            f"{count[Position.ABSTAIN]} abstain, {states - len(answers)} did not answer."
        )
        # The group decides by consensus: approved when at least one state approves and none objects.
        if count[Position.OBJECT] == 0 and count[Position.APPROVE] > 0:
            return Outcome.APPROVED, f"Approved: {tally}"
        objecting = [a.member_state.name for a in answers if a.position == Position.OBJECT]
        by = f" (objections: {', '.join(objecting)})" if objecting else ""
        return Outcome.NOT_APPROVED, f"Not approved{by}: {tally}"
    return Outcome.COMMENTS_CLOSED, f"{len(answers)} of {states} states sent comments."


@transaction.atomic
def consultation_close(*, consultation: Consultation, now: datetime.datetime | None = None) -> bool:
    """Close a consultation whose deadline has passed and record its outcome; tells every
    member. False when it was not due (or another run closed it first)."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status != ConsultationStatus.OPEN or consultation.deadline > now:
        return False
    outcome, text = _outcome(consultation)
    update_fields(
        consultation,
        {"status": ConsultationStatus.CLOSED, "closed_at": now, "outcome": outcome, "outcome_text": text},
    )
    notify(
        recipients=group_members(),
        kind="consultation_outcome",
        text=f"{consultation}: {text}",
        link=consultation.get_absolute_url(),
        target=consultation,
        dedupe_prefix=f"consultation:{consultation.pk}:outcome",
    )
    return True


def consultations_close_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The job: close every open consultation whose deadline has passed."""
    now = now or timezone.now()
    due = Consultation.objects.filter(status=ConsultationStatus.OPEN, deadline__lte=now).order_by("deadline", "id")
    closed = sum(consultation_close(consultation=consultation, now=now) for consultation in due)
    return {"closed": closed}


def deadline_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the states that have not answered a comments procedure or a vote whose deadline
    is within THB_CONSULTATION_REMINDER_DAYS; once per state and consultation. A silence
    procedure asks for no answer, so it reminds nobody."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.THB_CONSULTATION_REMINDER_DAYS)
    due = Consultation.objects.filter(status=ConsultationStatus.OPEN, deadline__gt=now, deadline__lte=horizon).exclude(
        procedure=Procedure.SILENCE
    )
    notices = 0
    for consultation in due:
        deadline = timezone.localtime(consultation.deadline)

        def reminder(
            state: MemberState, consultation: Consultation = consultation, deadline: datetime.datetime = deadline
        ) -> str:
            return f"{consultation}: {state} has not answered; the deadline is {deadline:%d %B %Y %H:%M}."

        notices += notify_states_without_answer(
            answered=set(consultation.answers.values_list("member_state_id", flat=True)),
            kind="consultation_deadline_near",
            text=reminder,
            link=consultation.get_absolute_url(),
            target=consultation,
            dedupe_prefix=f"consultation:{consultation.pk}:deadline",
        )[1]
    return {"notices": notices}
