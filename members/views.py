from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.errors import error_text
from core.forms import form_data, form_status
from core.pagination import paginate, querystring_without_page
from core.types import AuthenticatedRequest
from members import selectors, services
from members.access import DECIDING_ROLES, access_access_request
from members.filters import DirectoryFilter
from members.forms import AccessRequestDeclineForm, ProfileForm, SetPasswordForm
from members.models import AccessRequest, User


@login_required
@permission_required("members.view_directory", raise_exception=True)
def directory(request: AuthenticatedRequest) -> HttpResponse:
    user_filter = DirectoryFilter(request.GET, queryset=selectors.directory_user_list(user=request.user))
    page = paginate(request, user_filter.qs)
    context = {"filter": user_filter, "page": page, "querystring": querystring_without_page(request)}
    template = "members/directory.html#results" if request.htmx else "members/directory.html"
    return render(request, template, context)


@login_required
@permission_required("members.view_directory", raise_exception=True)
def ncp_directory(request: AuthenticatedRequest) -> HttpResponse:
    page = paginate(request, selectors.ncp_directory_list(user=request.user), per_page=50)
    return render(request, "members/ncp_directory.html", {"page": page})


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    # A POST checks a copy: a refused form must not leave its values on request.user, which
    # the page's header shows.
    instance = User.objects.get(pk=request.user.pk) if request.method == "POST" else request.user
    form = ProfileForm(*form_data(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=request.user, data=form.cleaned_data)
        except ValidationError as error:
            # The model's own checks, which the form ran already; a change made meanwhile.
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form}, status=form_status(form))


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invited_user = services.invitation_user(token)
    except services.InvitationError as error:
        return _invitation_unusable(request, error)
    form = SetPasswordForm(*form_data(request), user=invited_user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return _invitation_unusable(request, error)
        messages.success(request, "Your password is set. Sign in to continue.")
        return redirect("account_login")
    # Passwords are never sent back into the page: a refused form asks for them again.
    context = {"form": form, "invited_user": invited_user}
    return render(request, "members/accept_invitation.html", context, status=form_status(form))


def _invitation_unusable(request: HttpRequest, error: "services.InvitationError") -> HttpResponse:
    status = 404 if error.reason == services.InvitationError.INVALID else 410
    return render(request, "members/invitation_unusable.html", {"reason": error.reason}, status=status)


# Access requests (four-eyes on case access) -----------------------------------------


def _require_deciding_role(request: AuthenticatedRequest) -> None:
    # The list is the NCPs' and the secretariat's page (403 for others); a single request
    # answers 404 to anyone who may not see it, whatever the role, through members.access.
    if request.user.role not in DECIDING_ROLES:
        raise PermissionDenied


@login_required
def access_request_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_deciding_role(request)
    page = paginate(request, selectors.access_request_list(user=request.user))
    rows = [(item, item.is_open and services.may_decide_access_request(request.user, item)) for item in page]
    return render(request, "members/access_request_list.html", {"page": page, "rows": rows})


def _render_detail(
    request: AuthenticatedRequest, access_request: AccessRequest, *, decline_form=None, status: int = 200
) -> HttpResponse:
    context = {
        "access_request": access_request,
        "may_decide": access_request.is_open and services.may_decide_access_request(request.user, access_request),
        "is_requester": access_request.requested_by_id == request.user.pk,
        "is_subject": access_request.subject_id == request.user.pk,
        "deciders": services.access_request_deciders_text(access_request),
        "decline_form": decline_form or AccessRequestDeclineForm(),
    }
    return render(request, "members/access_request_detail.html", context, status=status)


@login_required
def access_request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _render_detail(request, access_access_request(request.user, pk))


@login_required
@require_POST
def access_request_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access_request = access_access_request(request.user, pk)
    try:
        services.access_request_confirm(access_request=access_request, by=request.user)
    except ValidationError as error:
        messages.error(request, f"Nothing was changed. {error_text(error)}")
    else:
        messages.success(
            request, f"Confirmed: {access_request.subject.full_name} now has {access_request.change_text}."
        )
    return redirect(access_request)


@login_required
@require_POST
def access_request_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access_request = access_access_request(request.user, pk)
    form = AccessRequestDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.access_request_decline(
                access_request=access_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Declined; nothing was changed, and the requester is told why.")
            return redirect(access_request)
    return _render_detail(request, access_request, decline_form=form, status=400)


@login_required
@require_POST
def access_request_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access_request = access_access_request(request.user, pk)
    try:
        services.access_request_cancel(access_request=access_request, by=request.user)
    except ValidationError as error:
        messages.error(request, f"Nothing was changed. {error_text(error)}")
    else:
        messages.success(request, "The request is withdrawn.")
    return redirect(access_request)
