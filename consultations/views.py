"""The consultations' pages: every page answers 404 to anyone outside the expert group
(members.expert_group); the secretariat's pages answer 404 to the other members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from consultations import selectors, services
from consultations.access import access_answer, access_consultation, manages
from consultations.forms import AnswerForm, ConsultationFilter, ConsultationForm, NewRoundForm, ReplyForm
from consultations.models import Consultation, Procedure
from core.forms import add_service_error, form_data, form_status
from core.pagination import paginate, querystring_without_page
from core.types import AuthenticatedRequest
from members.expert_group import acting_state, group_members_only


def _require_manager(request: AuthenticatedRequest) -> None:
    if not manages(request.user):
        raise Http404("No such page.")


@group_members_only
@require_safe
def consultation_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = ConsultationFilter(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    context = {
        "page": paginate(request, selectors.consultation_list(user=request.user, status=status)),
        "filters": filters,
        "manages": manages(request.user),
        "querystring": querystring_without_page(request),
    }
    return render(request, "consultations/list.html", context)


@group_members_only
def consultation_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    form = ConsultationForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("document")
        try:
            consultation = services.consultation_open(data=data, upload=upload, by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The document is circulated; every member is told.")
            return redirect(consultation)
    context = {"form": form, "title": "Circulate a document"}
    return render(request, "consultations/form.html", context, status=form_status(form))


@never_cache
@group_members_only
def consultation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.user, pk)
    user = request.user
    own = selectors.own_answer(user=user, consultation=consultation)
    context = {
        "consultation": consultation,
        "board": selectors.status_board(user=user, consultation=consultation),
        "own": own,
        "history": selectors.answer_history(answer=own) if own else [],
        "state": acting_state(user),
        "manages": manages(user),
        "rounds": selectors.rounds(consultation=consultation),
        "takes_answers": consultation.takes_answers(),
    }
    return render(request, "consultations/detail.html", context)


@never_cache
@group_members_only
def document_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    consultation = access_consultation(request.user, pk)
    return FileResponse(
        consultation.file.open("rb"),
        as_attachment=True,
        filename=consultation.original_name,
        content_type=consultation.content_type,
    )


@group_members_only
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A state's answer: given or changed until the deadline by any of its representatives."""
    consultation = access_consultation(request.user, pk)
    state = acting_state(request.user)
    if state is None:
        raise Http404("The member states' representatives answer consultations.")
    own = selectors.own_answer(user=request.user, consultation=consultation)
    initial = (
        {
            "position": own.position,
            "text": own.text,
            "section": own.section,
            "visible_to_members": own.visible_to_members,
        }
        if own
        else {}
    )
    form = AnswerForm(*form_data(request), consultation=consultation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_give(
                consultation=consultation,
                position=data["position"],
                text=data.get("text", ""),
                section=data.get("section", ""),
                visible_to_members=data.get("visible_to_members", False),
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"{state}'s answer is saved; it can be changed until the deadline.")
            return redirect(consultation)
    context = {"consultation": consultation, "form": form, "state": state, "own": own}
    return render(request, "consultations/answer.html", context, status=form_status(form))


@group_members_only
def answer_reply(request: AuthenticatedRequest, pk: int, answer_pk: int) -> HttpResponse:
    answer_ = access_answer(request.user, pk, answer_pk)
    _require_manager(request)
    consultation = answer_.consultation
    if consultation.procedure != Procedure.COMMENTS:
        raise Http404("Only comments are answered.")
    form = ReplyForm(*form_data(request), initial={"reply": answer_.reply, "taken_in": answer_.taken_in})
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_reply(
                answer=answer_,
                reply=form.cleaned_data["reply"],
                taken_in=form.cleaned_data["taken_in"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Answer to {answer_.member_state} saved; the state is told.")
            return redirect(consultation)
    context = {"consultation": consultation, "answer": answer_, "form": form}
    return render(request, "consultations/reply.html", context, status=form_status(form))


@group_members_only
def new_round(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    consultation = access_consultation(request.user, pk)
    _require_manager(request)
    form = NewRoundForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            following: Consultation = services.consultation_new_round(
                previous=consultation,
                upload=form.cleaned_data["document"],
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"Round {following.round} is open; every member is told.")
            return redirect(following)
    context = {"consultation": consultation, "form": form}
    return render(request, "consultations/new_round.html", context, status=form_status(form))
