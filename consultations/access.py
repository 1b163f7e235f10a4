"""The only way from a URL id to a consultation or a state's answer: 404 both when it does
not exist and when the user may not see it. Every member of the expert group sees the
consultations and the status board; what a state answered to a comments procedure is the
secretariat's and that state's, unless the state makes it visible (votes and silence
procedures are open to every member)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from consultations.models import Answer, Consultation
from core.types import AnyUser
from members.expert_group import acting_state, is_group_member

MANAGE = "consultations.manage_consultations"


def manages(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE))


def is_member(user: AnyUser) -> bool:
    return manages(user) or is_group_member(user)


def access_consultation(user: AnyUser, pk: int) -> Consultation:
    if not is_member(user):
        raise Http404("No such consultation.")
    consultation = Consultation.objects.select_related("previous_round").filter(pk=pk).first()
    if consultation is None:
        raise Http404("No such consultation.")
    return consultation


def readable_answers(user: AnyUser, consultation: Consultation) -> QuerySet[Answer]:
    """The answers whose content this member may read (the board shows who answered to all)."""
    answers = Answer.objects.filter(consultation=consultation)
    if manages(user) or consultation.answers_are_public:
        return answers
    shown = Q(visible_to_members=True)
    state = acting_state(user)
    if state is not None:
        shown |= Q(member_state=state)
    return answers.filter(shown)


def access_answer(user: AnyUser, consultation_pk: int, pk: int) -> Answer:
    consultation = access_consultation(user, consultation_pk)
    answer: Answer | None = readable_answers(user, consultation).select_related("member_state").filter(pk=pk).first()
    if answer is None:
        raise Http404("No such answer.")
    answer.consultation = consultation
    return answer
