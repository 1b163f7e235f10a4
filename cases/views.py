import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import ChoiceField
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import forms, selectors, services
from cases.access import access_case, access_case_document, access_case_record
from cases.models import Case, CaseIdentity, Consent, FollowUp, RevealPurpose, Stage
from cases.sections import case_page
from core.encryption import DecryptionError
from core.forms import field_of, form_data, form_status
from core.pagination import paginate, querystring_without_page
from core.types import AuthenticatedRequest
from members.access import require_state_ncp

logger = logging.getLogger(__name__)

# The sub-records a case's page can add, each with its form and a heading.
RECORD_FORMS = {
    "consent": (forms.ConsentForm, "Record consent"),
    "risk": (forms.RiskAssessmentForm, "Record a risk assessment"),
    "assistance": (forms.AssistanceServiceForm, "Record an assistance service"),
    "proceedings": (forms.ProceedingsForm, "Record proceedings"),
    "follow_up": (forms.FollowUpForm, "Plan a follow-up"),
}


def _add_service_error(form, error: ValidationError, field: str | None = None) -> None:
    """A service's refusal next to the field it is about: its own field names when it gives
    them (and the form has them), else `field`, else at the top of the form."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        for name, errors in error.error_dict.items():
            form.add_error(name, errors)
    else:
        form.add_error(field, error.messages)


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    require_state_ncp(request.user)
    case_filter = forms.CaseFilter(request.GET, queryset=selectors.case_list(user=request.user))
    context = {
        "filter": case_filter,
        "page": paginate(
            request, case_filter.qs, bounded=True, count_cache=selectors.case_list_count_cache(user=request.user)
        ),
        "querystring": querystring_without_page(request),
        "stage_counts": selectors.open_cases_per_stage(user=request.user),
    }
    return render(request, "cases/list.html", context)


@login_required
def case_create(request: AuthenticatedRequest) -> HttpResponse:
    state = require_state_ncp(request.user)
    form = forms.CaseForm(*form_data(request), member_state=state, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.split()
        try:
            case = services.case_create(member_state=state, by=request.user, data=data, m2m=m2m)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, f"Case {case.reference} was opened.")
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "title": "Open a case"}, status=form_status(form))


def _stage_forms(case, *, stage_form=None, reopen_form=None) -> dict:
    """The stage panel's two forms: fresh ones, or the refused one with what was typed."""
    allowed = forms.StageMoveForm(allowed=services.allowed_stage_moves(case))
    if stage_form is None:
        stage_form = allowed
    else:
        # The refused form was checked against every stage (so the service can name a wrong
        # move); shown again, it offers only the moves open from the current stage.
        field_of(stage_form, "to_stage", ChoiceField).choices = field_of(allowed, "to_stage", ChoiceField).choices
    return {"stage_form": stage_form, "reopen_form": reopen_form or forms.ReopenForm()}


def _has_identity(case: Case) -> bool:
    # access_case annotates the flag; a case reached another way is asked.
    flag = getattr(case, "has_identity", None)
    return CaseIdentity.objects.filter(case=case).exists() if flag is None else bool(flag)


def _detail(request: AuthenticatedRequest, case, *, status: int = 200, **bound_forms) -> HttpResponse:
    services.case_read_record(case=case, by=request.user, what="case viewed")
    context = {
        "case": case,
        "labels": selectors.case_labels(case=case),
        "consents": case.consents.prefetch_related("member_states"),
        "risk_assessments": case.riskassessments.all(),
        "services": case.assistanceservices.all(),
        "proceedings": case.proceedingss.all(),
        "follow_ups": case.followups.all(),
        "documents": case.casedocuments.all(),
        "seen_outside_team": selectors.case_seen_outside_team(case=case),
        # Its referrals, from the app they belong to (cases/sections.py).
        "sections": case_page.render(request.user, case),
        # Not case.identity: the page must not decrypt what it does not show.
        "has_identity": _has_identity(case),
        **_stage_forms(case, **bound_forms),
        "reveal_form": forms.RevealForm(),
        "document_form": forms.DocumentForm(),
        "record_forms": {key: (form_class(), title) for key, (form_class, title) in RECORD_FORMS.items()},
    }
    return render(request, "cases/detail.html", context, status=status)


@never_cache
@login_required
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, access_case(request.user, pk))


@login_required
def case_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    form = forms.CaseForm(*form_data(request), instance=case, member_state=case.member_state)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.split()
        try:
            services.case_update(case=case, by=request.user, data=data, m2m=m2m)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "The case was saved.")
            return redirect(case)
    context = {"form": form, "case": case, "title": f"Edit {case.reference}"}
    return render(request, "cases/case_form.html", context, status=form_status(form))


@login_required
@require_POST
def case_move_stage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    # Any stage passes the form; the service says clearly why a move is not allowed.
    form = forms.StageMoveForm(request.POST, allowed=Stage.values)
    if form.is_valid():
        try:
            case = services.case_move_stage(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error, "to_stage")
        else:
            messages.success(request, f"The case is now in stage “{Stage(case.stage).label}”.")
            if request.htmx:
                return render(request, "cases/_stage.html", {"case": case, **_stage_forms(case)})
            return redirect(case)
    # Refused: the panel again, with what was chosen and typed and the reason next to the field.
    if request.htmx:
        return render(request, "cases/_stage.html", {"case": case, **_stage_forms(case, stage_form=form)}, status=400)
    return _detail(request, case, stage_form=form, status=400)


@login_required
@require_POST
def case_reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.case_reopen(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "The case was reopened.")
            return redirect(case)
    return _detail(request, case, reopen_form=form, status=400)


@never_cache
@login_required
def identity_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.reveal_identity")
    try:
        identity = getattr(case, "identity", None)
    except DecryptionError:
        logger.exception("Identity of case %s cannot be decrypted", case.pk)
        return render(request, "cases/identity_revealed.html", {"case": case, "decryption_failed": True}, status=503)
    form = forms.IdentityForm(*form_data(request), instance=identity)
    if request.method == "POST" and form.is_valid():
        services.identity_save(case=case, by=request.user, data=form.cleaned_data)
        messages.success(request, "The identity was saved (encrypted).")
        return redirect(case)
    if request.method == "GET" and identity is not None:
        # Editing shows the values: that is a reveal too.
        services.identity_reveal(case=case, by=request.user, purpose=RevealPurpose.EDIT)
    return render(request, "cases/identity_form.html", {"form": form, "case": case}, status=form_status(form))


@never_cache
@login_required
@require_POST
def identity_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.reveal_identity")
    form = forms.RevealForm(request.POST)
    # htmx swaps the panel; a plain form post gets a whole page around it.
    template = "cases/_identity.html" if request.htmx else "cases/identity_revealed.html"
    if not form.is_valid():
        return render(request, template, {"case": case, "reveal_form": form}, status=400)
    try:
        identity = services.identity_reveal(case=case, by=request.user, **form.cleaned_data)
    except DecryptionError:
        logger.exception("Identity of case %s cannot be decrypted", case.pk)
        return render(request, template, {"case": case, "decryption_failed": True}, status=503)
    return render(request, template, {"case": case, "identity": identity, "revealed": True})


@login_required
def record_add(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    if kind not in RECORD_FORMS:
        raise Http404("No such record type.")
    form_class, title = RECORD_FORMS[kind]
    form = form_class(*form_data(request))
    if request.method == "POST" and form.is_valid():
        m2m = {name: form.cleaned_data[name] for name in getattr(form, "M2M_FIELDS", ())}
        try:
            services.case_record_add(case=case, record=form.save(commit=False), by=request.user, m2m=m2m)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, f"{title.removeprefix('Record ').removeprefix('Plan ').capitalize()} saved.")
            return redirect(case)
    context = {"form": form, "case": case, "title": title}
    return render(request, "cases/record_form.html", context, status=form_status(form))


@login_required
def consent_withdraw(request: AuthenticatedRequest, pk: int, consent_pk: int) -> HttpResponse:
    case, consent = access_case_record(request.user, pk, Consent, consent_pk)
    form = forms.ConsentWithdrawForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(consent=consent, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "The consent was recorded as withdrawn.")
            return redirect(case)
    context = {"form": form, "case": case, "title": "Withdraw consent"}
    return render(request, "cases/record_form.html", context, status=form_status(form))


@login_required
def follow_up_done(request: AuthenticatedRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    case, follow_up = access_case_record(request.user, pk, FollowUp, follow_up_pk)
    form = forms.FollowUpDoneForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_complete(follow_up=follow_up, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "The follow-up was recorded as done.")
            return redirect(case)
    context = {"form": form, "case": case, "title": "Record a follow-up"}
    return render(request, "cases/record_form.html", context, status=form_status(form))


@login_required
def document_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    form = forms.DocumentForm(*form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(
                case=case, upload=form.cleaned_data["file"], title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, "The document was stored.")
            return redirect(case)
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "case": case, "title": "Add a document", "multipart": True},
        status=form_status(form),
    )


@never_cache
@login_required
def document_download(request: AuthenticatedRequest, pk: int, document_pk: int) -> FileResponse:
    case, document = access_case_document(request.user, pk, document_pk)
    services.case_read_record(case=case, by=request.user, what="document downloaded", document_id=document.pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@never_cache
@login_required
def case_audit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    # The trail shows who did what to a victim's file: reading it is itself recorded.
    services.case_read_record(case=case, by=request.user, what="audit trail viewed")
    page = paginate(request, selectors.case_audit_trail(case=case), per_page=50)
    # A list, so the labels set on each entry are the objects the template iterates.
    page.object_list = list(page.object_list)
    selectors.label_audit_entries(page.object_list)
    return render(request, "cases/audit.html", {"case": case, "page": page})
