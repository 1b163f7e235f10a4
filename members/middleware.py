import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse

from members.roles import role_has_idle_timeout, role_requires_mfa

# URL names a user who must enrol in MFA may still reach: enrolment itself and leaving.
MFA_ENROLMENT_URL_NAMES = {"account_logout", "account_reauthenticate", "health"}
MFA_ENROLMENT_URL_PREFIX = "mfa_"


def _redirect(request, url: str) -> HttpResponse:
    # An htmx request (the badge's polling, a filter) must move the whole page, not
    # render the target page inside a fragment, where its messages would be lost.
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def _url_name(request) -> str:
    try:
        return resolve(request.path_info).url_name or ""
    except Resolver404:
        return ""


class MFAEnforcementMiddleware:
    """Sends a user whose role needs MFA to enrolment before any other page.

    allauth has no such hook of its own. This runs for every URL, the admin included,
    so the admin cannot be used to skip enrolment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.THB_ENFORCE_MFA
            and user.is_authenticated
            and (role_requires_mfa(user.role) or user.is_superuser)
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            url_name = _url_name(request)
            allowed = url_name in MFA_ENROLMENT_URL_NAMES or url_name.startswith(MFA_ENROLMENT_URL_PREFIX)
            if not is_mfa_enabled(user):
                if not allowed:
                    messages.info(request, "Your role needs two-factor authentication. Set it up to continue.")
                    return _redirect(request, reverse("mfa_activate_totp"))
                # Templates leave out what would call other pages (the unread badge).
                request.thb_mfa_enrolment_pending = True
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Ends the session of a user with case access after a spell of inactivity."""

    SESSION_KEY = "thb_last_activity"
    # Requests the page makes by itself (the unread badge's polling) are not activity.
    BACKGROUND_URL_NAMES = {"badge"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and role_has_idle_timeout(user.role):
            now = int(time.time())
            last_activity = request.session.get(self.SESSION_KEY, now)
            if now - last_activity > settings.THB_IDLE_TIMEOUT_SECONDS:
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity. Please sign in again.")
                if request.headers.get("HX-Request"):
                    return _redirect(request, resolve_url(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            if _url_name(request) not in self.BACKGROUND_URL_NAMES:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)
