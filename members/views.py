from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from members import selectors, services
from members.filters import DirectoryFilter
from members.forms import ProfileForm, SetPasswordForm
from thb_portal.pagination import paginate, querystring_without_page


@login_required
@permission_required("members.view_directory", raise_exception=True)
def directory(request: HttpRequest) -> HttpResponse:
    user_filter = DirectoryFilter(request.GET, queryset=selectors.directory_user_list(user=request.user))
    page = paginate(request, user_filter.qs)
    context = {"filter": user_filter, "page": page, "querystring": querystring_without_page(request)}
    template = "members/directory.html#results" if request.htmx else "members/directory.html"
    return render(request, template, context)


@login_required
@permission_required("members.view_directory", raise_exception=True)
def ncp_directory(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.ncp_directory_list(user=request.user), per_page=50)
    return render(request, "members/ncp_directory.html", {"page": page})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, data=form.cleaned_data)
        messages.success(request, "Your profile was saved.")
        return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invited_user = services.invitation_user(token)
    except services.InvitationError as error:
        return _invitation_unusable(request, error)
    form = SetPasswordForm(request.POST or None, user=invited_user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return _invitation_unusable(request, error)
        messages.success(request, "Your password is set. Sign in to continue.")
        return redirect("account_login")
    return render(request, "members/accept_invitation.html", {"form": form, "invited_user": invited_user})


def _invitation_unusable(request: HttpRequest, error: "services.InvitationError") -> HttpResponse:
    status = 404 if error.reason == services.InvitationError.INVALID else 410
    return render(request, "members/invitation_unusable.html", {"reason": error.reason}, status=status)
