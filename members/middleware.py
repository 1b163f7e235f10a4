import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.internal import usersessionkit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from members.backends import MFA_ENABLED_AT_LOAD
from members.roles import role_has_idle_timeout, role_requires_mfa

# URL names a user who must enrol in MFA may still reach: enrolment itself and leaving.
MFA_ENROLMENT_URL_NAMES = {"account_logout", "account_reauthenticate", "health"}
MFA_ENROLMENT_URL_PREFIX = "mfa_"
# A user who has an authenticator but whose session never used it may only give the code
# (or leave): not the other MFA pages, or a password-only session could swap the
# authenticator for one of its own.
MFA_STEP_URL_NAMES = {"account_logout", "mfa_reauthenticate", "mfa_reauthenticate_webauthn", "health"}

# When this session signed in, for the absolute lifetime of sessions with case access.
SESSION_STARTED_KEY = "thb_session_started"


def session_used_mfa(request, user) -> bool:
    """Whether this session, not merely the account, passed a second factor.

    allauth records each authentication step of a session (password, then "mfa" after
    the code at login or at reauthentication); members.receivers records enrolment too.
    """
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def needs_mfa(user) -> bool:
    return role_requires_mfa(user.role) or user.is_superuser


def has_case_access_session(user) -> bool:
    # The roles that reach case data (and superusers, who reach everything).
    return role_has_idle_timeout(user.role) or user.is_superuser


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


def _mfa_enabled(user) -> bool:
    # The session's user row says it (members.backends); a user loaded otherwise is asked.
    loaded = getattr(user, MFA_ENABLED_AT_LOAD, None)
    return is_mfa_enabled(user) if loaded is None else bool(loaded)


class MFAEnforcementMiddleware:
    """Sends a user whose role needs MFA to enrolment, or to the code step, before any other page.

    MFA must hold in this session: a session opened with the password alone (before the
    owner enrolled, in another browser) is asked for the code, not let in. allauth has
    no such hook of its own. This runs for every URL, the admin included, so the admin
    cannot be used to skip it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.THB_ENFORCE_MFA
            and user.is_authenticated
            and needs_mfa(user)
            and not request.path_info.startswith(settings.STATIC_URL)
        ):
            url_name = _url_name(request)
            # An authenticator removed in this session sends the user back to enrolment too.
            if not _mfa_enabled(user):
                allowed = url_name in MFA_ENROLMENT_URL_NAMES or url_name.startswith(MFA_ENROLMENT_URL_PREFIX)
                if not allowed:
                    messages.info(request, "Your role needs two-factor authentication. Set it up to continue.")
                    return _redirect(request, reverse("mfa_activate_totp"))
                # Templates leave out what would call other pages (the unread badge).
                request.thb_mfa_enrolment_pending = True
            elif not session_used_mfa(request, user):
                if url_name not in MFA_STEP_URL_NAMES:
                    messages.info(request, "Confirm this session with your authenticator app to continue.")
                    next_url = request.get_full_path() if request.method == "GET" else reverse("dashboard")
                    return _redirect(request, f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")
                request.thb_mfa_enrolment_pending = True
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Ends the session of a user with case access after a spell of inactivity, and in any
    case THB_SESSION_MAX_AGE_SECONDS after it signed in (a stolen session cookie that is
    kept busy does not live for ever)."""

    SESSION_KEY = "thb_last_activity"
    # Requests the page makes by itself (the unread badge's polling) are not activity.
    BACKGROUND_URL_NAMES = {"badge"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and has_case_access_session(user):
            now = int(time.time())
            last_activity = request.session.get(self.SESSION_KEY, now)
            # Set at sign-in (members.adapters); a session from before that existed starts now.
            started = request.session.setdefault(SESSION_STARTED_KEY, now)
            if now - started > settings.THB_SESSION_MAX_AGE_SECONDS:
                return self._sign_out(request, "Your session has reached its maximum length. Please sign in again.")
            if now - last_activity > settings.THB_IDLE_TIMEOUT_SECONDS:
                return self._sign_out(
                    request, "You were signed out after a period of inactivity. Please sign in again."
                )
            # Stored only when it moved by more than the throttle: the session row is then
            # saved every few minutes, not on every page (a write per GET locks SQLite).
            # The timeout is exact to that granularity.
            if (
                _url_name(request) not in self.BACKGROUND_URL_NAMES
                and now - request.session.get(self.SESSION_KEY, 0) >= settings.THB_ACTIVITY_WRITE_SECONDS
            ):
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        if request.headers.get("HX-Request"):
            return _redirect(request, resolve_url(settings.LOGIN_URL))
        return redirect_to_login(request.get_full_path())


class ActivityMiddleware:
    """allauth's user-session activity (the sessions page's "last seen" and IP), throttled.

    allauth's own middleware (USERSESSIONS_TRACK_ACTIVITY) saves the user-session row on
    every request: a database write on every GET, which makes SQLite answer "database is
    locked" as soon as a few tabs load at once. Here it is recorded at most every
    THB_ACTIVITY_WRITE_SECONDS, never for the badge's polling, and the time of the last
    record is kept in the session (written only then, too).
    """

    SESSION_KEY = "thb_activity_recorded"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user, session = request.user, request.session
        if (
            user.is_authenticated
            and session.session_key
            and _url_name(request) not in IdleTimeoutMiddleware.BACKGROUND_URL_NAMES
        ):
            now = int(time.time())
            if now - session.get(self.SESSION_KEY, 0) >= settings.THB_ACTIVITY_WRITE_SECONDS:
                usersessionkit.track_activity(request, user=user, session=session)
                session[self.SESSION_KEY] = now
        return self.get_response(request)
