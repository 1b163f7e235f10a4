"""allauth's MFA signals, handed to members.services (no rule lives here)."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset

from members import services


def _session_key(request) -> str | None:
    return request.session.session_key if request is not None else None


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    if request is not None:
        # Enrolling means typing a valid code of the new authenticator in this very
        # session, so it counts as this session's second factor (members.middleware).
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)
    services.user_sessions_end_others(user=user, keep_session_key=_session_key(request), by=user)


def on_authenticator_changed(sender, request, user, authenticator, **kwargs) -> None:
    services.user_sessions_end_others(user=user, keep_session_key=_session_key(request), by=user)


def connect() -> None:
    authenticator_added.connect(on_authenticator_added, dispatch_uid="members.authenticator_added")
    # Regenerated recovery codes replace the old ones: the same as removing an authenticator.
    authenticator_removed.connect(on_authenticator_changed, dispatch_uid="members.authenticator_removed")
    authenticator_reset.connect(on_authenticator_changed, dispatch_uid="members.authenticator_reset")
