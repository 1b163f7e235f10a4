"""Reads on consultations that depend on who asks."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from consultations.access import is_member, manages, readable_answers
from consultations.models import Answer, AnswerRevision, Consultation, ConsultationStatus
from core.types import AnyUser
from members.expert_group import acting_state, participating_states
from members.models import MemberState


def consultation_list(*, user: AnyUser, status: str = "") -> QuerySet[Consultation]:
    if not is_member(user):
        return Consultation.objects.none()
    consultations = Consultation.objects.order_by("-opened_at", "-id")
    return consultations.filter(status=status) if status else consultations


@dataclass
class BoardRow:
    state: MemberState
    answer: Answer | None
    # Whether this member may read what the state answered (who answered is seen by all).
    readable: bool


def status_board(*, user: AnyUser, consultation: Consultation) -> list[BoardRow]:
    """Per participating state: answered or not, and what it said where this member may read it."""
    answers = {
        a.member_state_id: a for a in Answer.objects.filter(consultation=consultation).select_related("answered_by")
    }
    readable = set(readable_answers(user, consultation).values_list("pk", flat=True))
    return [
        BoardRow(state, answers.get(state.pk), state.pk in answers and answers[state.pk].pk in readable)
        for state in participating_states().order_by("name")
    ]


def own_answer(*, user: AnyUser, consultation: Consultation) -> Answer | None:
    state = acting_state(user)
    if state is None:
        return None
    return Answer.objects.filter(consultation=consultation, member_state=state).first()


def answer_history(*, answer: Answer) -> list[AnswerRevision]:
    return list(answer.revisions.select_related("answered_by").order_by("-answered_at", "-id"))


def rounds(*, consultation: Consultation) -> list[Consultation]:
    """Every round of the same document, first to last, in one query."""
    first = consultation.first_round_id or consultation.pk
    return list(Consultation.objects.filter(Q(pk=first) | Q(first_round_id=first)).order_by("round"))


def open_for_dashboard(*, user: AnyUser) -> QuerySet[Consultation]:
    """Open consultations, nearest deadline first; for a state's member whether the state has
    answered, for the secretariat how many states have."""
    if not is_member(user):
        return Consultation.objects.none()
    consultations = Consultation.objects.filter(status=ConsultationStatus.OPEN).order_by("deadline", "id")
    state = acting_state(user)
    if state is not None:
        answered = Answer.objects.filter(consultation=OuterRef("pk"), member_state=state)
        consultations = consultations.annotate(state_answered=Exists(answered))
    if manages(user):
        counted = Answer.objects.filter(consultation=OuterRef("pk")).order_by().values("consultation")
        consultations = consultations.annotate(
            answer_count=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)
        )
    return consultations
