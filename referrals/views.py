from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_case
from cases.models import DataCategory
from members.models import Role
from referrals import forms, selectors, services
from referrals.access import access_referral, access_referral_document
from referrals.models import Referral, ReferralStatus, Side
from referrals.statistics import referral_statistics
from thb_portal.forms import errors_as_text
from thb_portal.pagination import paginate, querystring_without_page


def _require_ncp(request: HttpRequest) -> None:
    # Inbox and outbox are pages of contact points (403 for others); single
    # referrals answer 404 through referrals.access, whatever the role.
    if request.user.role != Role.NCP or request.user.member_state_id is None:
        raise PermissionDenied


def _hidden_categories(referral: Referral) -> list[str]:
    """Labels of what the referral shares behind the reveal step (identity, contact)."""
    return [DataCategory(category).label for category in sorted(services.shared_identity(referral))]


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def _box(request: HttpRequest, direction: str) -> HttpResponse:
    _require_ncp(request)
    queryset = selectors.inbox(user=request.user) if direction == "inbox" else selectors.outbox(user=request.user)
    referral_filter = forms.ReferralFilter(request.GET, queryset=queryset, direction=direction)
    context = {
        "direction": direction,
        "filter": referral_filter,
        "page": paginate(request, referral_filter.qs),
        "querystring": querystring_without_page(request),
    }
    return render(request, "referrals/box.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _box(request, "inbox")


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    return _box(request, "outbox")


@login_required
def referral_create(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = access_case(request.user, case_pk, perm="cases.change_case")
    form = forms.ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items()}
        try:
            referral = services.referral_create(case=case, by=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Draft {referral.reference} saved. Check it, then send it.")
            return redirect(referral)
    return render(request, "referrals/create.html", {"form": form, "case": case})


@login_required
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk, perm="referrals.change_referral")
    if services.side_of(referral, request.user) != Side.SENDING:
        raise Http404("No such referral.")
    if referral.status != ReferralStatus.DRAFT:
        messages.error(request, "Only a draft can be changed. Write to the receiving state in the thread instead.")
        return redirect(referral)
    form = forms.ReferralForm(request.POST or None, instance=referral, case=referral.case)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.referral_update_draft(referral=referral, by=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Draft {referral.reference} saved. Check it, then send it.")
            return redirect(referral)
    context = {"form": form, "case": referral.case, "referral": referral}
    return render(request, "referrals/create.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    services.referral_read_record(referral=referral, by=request.user, what="referral viewed")
    side = services.side_of(referral, request.user)
    actions = services.actions_for(referral, request.user)
    context = {
        "referral": referral,
        "hidden_categories": _hidden_categories(referral),
        "reveal_form": forms.SharedIdentityRevealForm(),
        "side": side,
        "is_sender": side == Side.SENDING,
        "events": referral.events.select_related("actor"),
        "thread": referral.messages.select_related("author", "attachment"),
        "actions": [(action, forms.action_form(action.action, referral)) for action in actions],
        "message_form": forms.MessageForm(),
        "send_problems": services.send_guard_problems(referral) if referral.status == "draft" else [],
    }
    return render(request, "referrals/detail.html", context)


@login_required
@require_POST
def referral_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    referral = access_referral(request.user, pk, perm="referrals.change_referral")
    if action not in forms.ACTION_FORMS:
        raise Http404("No such action.")
    form = forms.action_form(action, referral, request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {errors_as_text(form)}")
        return redirect(referral)
    try:
        services.referral_transition(referral=referral, action=action, by=request.user, data=form.cleaned_data)
    except ValidationError as error:
        messages.error(request, f"Nothing was changed. {_messages_of(error)}")
    else:
        messages.success(request, f"Done: {services.TRANSITIONS[action].label.lower()}.")
    return redirect(referral)


@login_required
@require_POST
def message_post(request: HttpRequest, pk: int) -> HttpResponse:
    referral = access_referral(request.user, pk)
    form = forms.MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.referral_message_post(
                referral=referral,
                by=request.user,
                body=form.cleaned_data["body"],
                upload=form.cleaned_data.get("attachment"),
            )
        except ValidationError as error:
            messages.error(request, f"The message was not sent. {_messages_of(error)}")
        else:
            messages.success(request, "Message sent.")
    else:
        messages.error(request, "The message was not sent: write a message.")
    return redirect(f"{referral.get_absolute_url()}#messages")


@never_cache
@login_required
@require_POST
def identity_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the shared identity and contact details to someone who says why: audited, never on GET."""
    referral = access_referral(request.user, pk)
    form = forms.SharedIdentityRevealForm(request.POST)
    context = {"referral": referral, "reveal_form": form, "hidden_categories": _hidden_categories(referral)}
    template = "referrals/_shared_identity.html" if request.htmx else "referrals/identity_revealed.html"
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        shared = services.referral_identity_reveal(referral=referral, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, template, context, status=400)
    return render(request, template, {**context, "shared": shared, "revealed": True})


@never_cache
@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    referral, document = access_referral_document(request.user, pk, document_pk)
    # The file's name can identify the person: the entry keeps only the document's id.
    services.referral_read_record(
        referral=referral, by=request.user, what="attachment downloaded", document_id=document.pk
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def referral_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable summary; the shared identity is in it only when this request reveals it (a POST with a purpose)."""
    referral = access_referral(request.user, pk)
    context = {
        "referral": referral,
        "events": referral.events.select_related("actor"),
        "hidden_categories": _hidden_categories(referral),
        "printing": True,
    }
    if request.method != "POST":
        services.referral_read_record(referral=referral, by=request.user, what="referral printed")
        return render(request, "referrals/print.html", context)
    form = forms.SharedIdentityRevealForm(request.POST)
    if not form.is_valid():
        # Nothing of the referral is shown (or logged) to a reveal that gives no reason.
        return render(request, "referrals/identity_revealed.html", {**context, "reveal_form": form}, status=400)
    try:
        shared = services.referral_identity_reveal(
            referral=referral, by=request.user, printed=True, **form.cleaned_data
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "referrals/identity_revealed.html", {**context, "reveal_form": form}, status=400)
    return render(request, "referrals/print.html", {**context, "shared": shared, "revealed": True})


@login_required
@permission_required("referrals.view_referral_statistics", raise_exception=True)
def statistics(request: HttpRequest) -> HttpResponse:
    services.referral_statistics_record(by=request.user)
    return render(request, "referrals/statistics.html", {"stats": referral_statistics()})
