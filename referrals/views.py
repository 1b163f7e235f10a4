import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_case
from cases.models import DataCategory
from core.errors import error_text
from core.forms import PeriodForm
from core.pagination import paginate, querystring_without_page
from core.types import AuthenticatedRequest, HtmxRequest
from members.access import require_state_ncp
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from referrals import forms, selectors, services
from referrals.access import access_referral, access_referral_document
from referrals.models import Referral, ReferralStatus, Side
from referrals.statistics import referral_publication
from referrals.workflow import REFERRAL_WORKFLOW


def _hidden_categories(referral: Referral) -> list[str]:
    """Labels of what the referral shares behind the reveal step (identity, contact)."""
    return [DataCategory(category).label for category in sorted(services.shared_identity(referral))]


class AccessEnded(Exception):
    """The receiving state lost the referral (withdrawn, consent withdrawn, access period over)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _access(request: AuthenticatedRequest, pk: int, perm: str = "referrals.view_referral") -> Referral:
    """access_referral, but a contact point whose state lost the referral is told why (AccessEnded)."""
    try:
        return access_referral(request.user, pk, perm)
    except Http404:
        ended = selectors.access_ended_for(user=request.user, pk=pk)
        if ended is None:
            raise
        referral, event = ended
        when = f"{timezone.localtime(event.created_at):%-d %b %Y}"
        if referral.status == ReferralStatus.WITHDRAWN:
            text = f"This referral was withdrawn by the sending state on {when}; it is no longer shared with you."
        elif referral.status == ReferralStatus.CONSENT_WITHDRAWN or referral.consent.withdrawn_at:
            text = f"The person withdrew their consent on {when}; this referral is no longer shared with you."
        else:
            text = f"This referral's access period ended on {when}; it is no longer shared with you."
        raise AccessEnded(text) from None


def _to_inbox(request: HtmxRequest, ended: AccessEnded) -> HttpResponse:
    messages.warning(request, ended.text)
    inbox = redirect("referrals:inbox")
    if request.htmx:
        # htmx would swap the inbox into the panel; send the whole page there instead.
        return HttpResponse(status=204, headers={"HX-Redirect": inbox.url})
    return inbox


def gone_to_inbox(view):
    """A view of one referral: a lost referral goes to the inbox with a plain message, never a 404."""

    @functools.wraps(view)
    def wrapped(request: HtmxRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except AccessEnded as ended:
            return _to_inbox(request, ended)

    return wrapped


def _box(request: AuthenticatedRequest, direction: str) -> HttpResponse:
    require_state_ncp(request.user)
    queryset = selectors.inbox(user=request.user) if direction == "inbox" else selectors.outbox(user=request.user)
    referral_filter = forms.ReferralFilter(request.GET, queryset=queryset, direction=direction)
    context = {
        "direction": direction,
        "filter": referral_filter,
        "page": paginate(request, referral_filter.qs, bounded=True),
        "querystring": querystring_without_page(request),
    }
    return render(request, "referrals/box.html", context)


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    return _box(request, "inbox")


@login_required
def outbox(request: AuthenticatedRequest) -> HttpResponse:
    return _box(request, "outbox")


@login_required
def referral_create(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
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
def referral_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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


def _detail(
    request: AuthenticatedRequest,
    referral: Referral,
    *,
    bound_action: tuple[str, object] | None = None,
    message_form=None,
    status: int = 200,
) -> HttpResponse:
    services.referral_read_record(referral=referral, by=request.user, what="referral viewed")
    side = services.side_of(referral, request.user)
    actions = []
    for transition in services.actions_for(referral, request.user):
        if bound_action and bound_action[0] == transition.name:
            actions.append((transition, bound_action[1]))
        else:
            actions.append((transition, forms.action_form(transition.name, referral, user=request.user)))
    # Open when the page loads: the step just tried, else the next one of the normal path (one
    # click less); a branch (decline, withdraw, refer onward) is never opened unasked.
    first_step = next((t.name for t, _ in actions if not t.branch), None)
    open_action = bound_action[0] if bound_action else first_step
    context = {
        "referral": referral,
        "hidden_categories": _hidden_categories(referral),
        "reveal_form": forms.SharedIdentityRevealForm(),
        "side": side,
        "is_sender": side == Side.SENDING,
        "events": referral.events.select_related("actor"),
        "thread": referral.messages.select_related("author", "attachment"),
        "actions": actions,
        "open_action": open_action,
        "message_form": message_form or forms.MessageForm(),
        "send_problems": services.send_guard_problems(referral) if referral.status == "draft" else [],
        # Read on GET, marked read by a POST the page makes once loaded: GET stays write-free.
        "has_unread_notices": notification_selectors.has_unread_about(user=request.user, target=referral),
    }
    return render(request, "referrals/detail.html", context, status=status)


@never_cache
@login_required
@gone_to_inbox
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _access(request, pk))


@login_required
@require_POST
@gone_to_inbox
def notices_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark the user's notices about this referral as read; answers the refreshed unread badge."""
    referral = _access(request, pk)
    notification_services.notifications_mark_read_for_target(user=request.user, target=referral)
    unread = notification_selectors.unread_count(user=request.user)
    return render(request, "notifications/_badge.html", {"unread_count": unread})


def _field_errors_added(form, error: ValidationError) -> bool:
    """Put a service's field errors next to the form's fields; False when they are not the form's."""
    if not hasattr(error, "error_dict") or not set(error.error_dict) <= set(form.fields):
        return False
    for field, errors in error.error_dict.items():
        form.add_error(field, errors)
    return True


@login_required
@require_POST
@gone_to_inbox
def referral_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    referral = _access(request, pk, perm="referrals.change_referral")
    if action not in REFERRAL_WORKFLOW:
        raise Http404("No such action.")
    refusal = services.transition_refusal(referral, action, by=request.user)
    if refusal:
        # The referral moved on (or the step is the other side's): its page shows what is possible now.
        messages.error(request, f"Nothing was changed. {refusal}")
        return redirect(referral)
    form = forms.action_form(action, referral, request.POST, user=request.user)
    if form.is_valid():
        try:
            services.referral_transition(referral=referral, action=action, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            if not _field_errors_added(form, error):
                messages.error(request, f"Nothing was changed. {error_text(error)}")
                return redirect(referral)
        else:
            messages.success(request, f"Done: {REFERRAL_WORKFLOW.get(action).label.lower()}.")
            return redirect(referral)
    # The panel stays open with what was chosen and the errors next to the fields.
    return _detail(request, referral, bound_action=(action, form), status=400)


@login_required
def referral_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Delete a draft, after a confirmation page (GET); the POST deletes."""
    referral = access_referral(request.user, pk, perm="referrals.change_referral")
    if services.side_of(referral, request.user) != Side.SENDING:
        raise Http404("No such referral.")
    if referral.status != ReferralStatus.DRAFT:
        messages.error(request, "Only a draft can be deleted. Withdraw a sent referral instead.")
        return redirect(referral)
    if request.method == "POST":
        case = referral.case
        try:
            reference = services.referral_delete_draft(referral=referral, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(referral)
        messages.success(request, f"Draft {reference} was deleted.")
        return redirect(case)
    services.referral_read_record(referral=referral, by=request.user, what="referral viewed")
    context = {"referral": referral, "send_problems": services.send_guard_problems(referral)}
    return render(request, "referrals/delete.html", context)


@login_required
@require_POST
@gone_to_inbox
def message_post(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = _access(request, pk)
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
            if not _field_errors_added(form, error):
                # The thread is closed to messages (a draft, an ended referral): nothing to correct here.
                messages.error(request, f"The message was not sent. {error_text(error)}")
                return redirect(f"{referral.get_absolute_url()}#messages")
        else:
            messages.success(request, "Message sent.")
            return redirect(f"{referral.get_absolute_url()}#messages")
    # What was written stays; the file has to be chosen again (browsers never keep it).
    return _detail(request, referral, message_form=form, status=400)


@never_cache
@login_required
@require_POST
@gone_to_inbox
def identity_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show the shared identity and contact details to someone who says why: audited, never on GET."""
    referral = _access(request, pk)
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
@gone_to_inbox
def document_download(request: AuthenticatedRequest, pk: int, document_pk: int) -> FileResponse:
    _access(request, pk)
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
@gone_to_inbox
def referral_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The printable summary; the shared identity is in it only when this request reveals it (a POST with a purpose)."""
    referral = _access(request, pk)
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
def statistics(request: AuthenticatedRequest) -> HttpResponse:
    # One publication for every period (see referrals.statistics): its years are the
    # periods on offer.
    publication = referral_publication()
    period_form = PeriodForm(request.GET, years=publication.years, noun="referrals sent")
    if not period_form.is_valid():
        context = {"period_form": period_form, "k": publication.k}
        return render(request, "referrals/statistics.html", context, status=400)
    services.referral_statistics_record(by=request.user)
    stats = publication.view(period_form.cleaned_data["period"])
    return render(request, "referrals/statistics.html", {"stats": stats, "period_form": period_form, "k": stats["k"]})
