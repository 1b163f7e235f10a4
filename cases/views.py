import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import forms, selectors, services
from cases.access import access_case, access_case_document, access_case_record
from cases.models import CaseIdentity, Consent, FollowUp, RevealPurpose, Stage
from members.models import Role
from thb_portal.encryption import DecryptionError
from thb_portal.forms import errors_as_text
from thb_portal.pagination import paginate, querystring_without_page

logger = logging.getLogger(__name__)

# The sub-records a case's page can add, each with its form and a heading.
RECORD_FORMS = {
    "consent": (forms.ConsentForm, "Record consent"),
    "risk": (forms.RiskAssessmentForm, "Record a risk assessment"),
    "assistance": (forms.AssistanceServiceForm, "Record an assistance service"),
    "proceedings": (forms.ProceedingsForm, "Record proceedings"),
    "follow_up": (forms.FollowUpForm, "Plan a follow-up"),
}


def _require_ncp(request: HttpRequest) -> None:
    # The list and the create page belong to contact points: anyone else gets 403.
    # Pages of one case need no such check: cases.access answers 404 to anyone
    # without the state's grant, whatever their role.
    if request.user.role != Role.NCP or request.user.member_state_id is None:
        raise PermissionDenied


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _case_referrals(case, user) -> list:
    # Imported here: referrals builds on cases, not the other way round.
    from referrals.selectors import case_referrals

    return case_referrals(case=case, user=user)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _require_ncp(request)
    case_filter = forms.CaseFilter(request.GET, queryset=selectors.case_list(user=request.user))
    context = {
        "filter": case_filter,
        "page": paginate(request, case_filter.qs),
        "querystring": querystring_without_page(request),
        "stage_counts": selectors.open_cases_per_stage(user=request.user),
    }
    return render(request, "cases/list.html", context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    _require_ncp(request)
    state = request.user.member_state
    form = forms.CaseForm(request.POST or None, member_state=state, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.split()
        try:
            case = services.case_create(member_state=state, by=request.user, data=data, m2m=m2m)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Case {case.reference} was opened.")
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "title": "Open a case"})


@never_cache
@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    services.case_read_record(case=case, by=request.user, what="case viewed")
    context = {
        "case": case,
        "forms_of_exploitation": case.forms_of_exploitation.all(),
        "means_of_control": case.means_of_control.all(),
        "consents": case.consents.prefetch_related("member_states"),
        "risk_assessments": case.riskassessments.all(),
        "services": case.assistanceservices.all(),
        "proceedings": case.proceedingss.all(),
        "follow_ups": case.followups.all(),
        "documents": case.casedocuments.all(),
        "seen_outside_team": selectors.case_seen_outside_team(case=case),
        "referrals": _case_referrals(case, request.user),
        # exists(), not case.identity: the page must not decrypt what it does not show.
        "has_identity": CaseIdentity.objects.filter(case=case).exists(),
        "stage_form": forms.StageMoveForm(allowed=services.allowed_stage_moves(case)),
        "reopen_form": forms.ReopenForm(),
        "reveal_form": forms.RevealForm(),
        "document_form": forms.DocumentForm(),
        "record_forms": {key: (form_class(), title) for key, (form_class, title) in RECORD_FORMS.items()},
    }
    return render(request, "cases/detail.html", context)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    form = forms.CaseForm(request.POST or None, instance=case, member_state=case.member_state)
    if request.method == "POST" and form.is_valid():
        data, m2m = form.split()
        try:
            services.case_update(case=case, by=request.user, data=data, m2m=m2m)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The case was saved.")
            return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "case": case, "title": f"Edit {case.reference}"})


@login_required
@require_POST
def case_move_stage(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    # Any stage passes the form; the service says clearly why a move is not allowed.
    form = forms.StageMoveForm(request.POST, allowed=Stage.values)
    status = 200
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {errors_as_text(form)}")
        status = 400
    else:
        try:
            case = services.case_move_stage(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            status = 400
        else:
            messages.success(request, f"The case is now in stage “{Stage(case.stage).label}”.")
    if request.htmx:
        context = {
            "case": case,
            "stage_form": forms.StageMoveForm(allowed=services.allowed_stage_moves(case)),
            "reopen_form": forms.ReopenForm(),
        }
        return render(request, "cases/_stage.html", context, status=status)
    return redirect(case)


@login_required
@require_POST
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    form = forms.ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.case_reopen(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "The case was reopened.")
    else:
        messages.error(request, "Give the stage and the reason for reopening.")
    return redirect(case)


@never_cache
@login_required
def identity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.reveal_identity")
    try:
        identity = getattr(case, "identity", None)
    except DecryptionError:
        logger.exception("Identity of case %s cannot be decrypted", case.pk)
        return render(request, "cases/identity_revealed.html", {"case": case, "decryption_failed": True}, status=503)
    form = forms.IdentityForm(request.POST or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        services.identity_save(case=case, by=request.user, data=form.cleaned_data)
        messages.success(request, "The identity was saved (encrypted).")
        return redirect(case)
    if request.method == "GET" and identity is not None:
        # Editing shows the values: that is a reveal too.
        services.identity_reveal(case=case, by=request.user, purpose=RevealPurpose.EDIT)
    return render(request, "cases/identity_form.html", {"form": form, "case": case})


@never_cache
@login_required
@require_POST
def identity_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.reveal_identity")
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "cases/_identity.html", {"case": case, "reveal_form": form}, status=400)
    try:
        identity = services.identity_reveal(case=case, by=request.user, **form.cleaned_data)
    except DecryptionError:
        logger.exception("Identity of case %s cannot be decrypted", case.pk)
        return render(request, "cases/_identity.html", {"case": case, "decryption_failed": True}, status=503)
    response = render(request, "cases/_identity.html", {"case": case, "identity": identity, "revealed": True})
    if not request.htmx:
        response = render(request, "cases/identity_revealed.html", {"case": case, "identity": identity})
    return response


@login_required
def record_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    if kind not in RECORD_FORMS:
        from django.http import Http404

        raise Http404("No such record type.")
    form_class, title = RECORD_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        m2m = {name: form.cleaned_data[name] for name in getattr(form, "M2M_FIELDS", ())}
        try:
            services.case_record_add(case=case, record=form.save(commit=False), by=request.user, m2m=m2m)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{title.removeprefix('Record ').removeprefix('Plan ').capitalize()} saved.")
            return redirect(case)
    return render(request, "cases/record_form.html", {"form": form, "case": case, "title": title})


@login_required
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case, consent = access_case_record(request.user, pk, Consent, consent_pk)
    form = forms.ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(consent=consent, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The consent was recorded as withdrawn.")
            return redirect(case)
    return render(request, "cases/record_form.html", {"form": form, "case": case, "title": "Withdraw consent"})


@login_required
def follow_up_done(request: HttpRequest, pk: int, follow_up_pk: int) -> HttpResponse:
    case, follow_up = access_case_record(request.user, pk, FollowUp, follow_up_pk)
    form = forms.FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_complete(follow_up=follow_up, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The follow-up was recorded as done.")
            return redirect(case)
    return render(request, "cases/record_form.html", {"form": form, "case": case, "title": "Record a follow-up"})


@login_required
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk, perm="cases.change_case")
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
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
    status = 400 if form.errors else 200
    return render(
        request,
        "cases/record_form.html",
        {"form": form, "case": case, "title": "Add a document", "multipart": True},
        status=status,
    )


@never_cache
@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
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
def case_audit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    # The trail shows who did what to a victim's file: reading it is itself recorded.
    services.case_read_record(case=case, by=request.user, what="audit trail viewed")
    page = paginate(request, selectors.case_audit_trail(case=case), per_page=50)
    # A list, so the labels set on each entry are the objects the template iterates.
    page.object_list = list(page.object_list)
    selectors.label_audit_entries(page.object_list)
    return render(request, "cases/audit.html", {"case": case, "page": page})
