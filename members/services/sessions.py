"""Ending a user's signed-in sessions (allauth's user sessions)."""

from allauth.usersessions.models import UserSession
from django.db import transaction

from core.audit import audited_as_by
from members.models import User


def _sessions_end(user: User, *, keep_session_key: str | None = None) -> int:
    """End the user's sessions at once (not when they next expire), but the one kept."""
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    ended = 0
    for session in sessions:
        session.end()
        ended += 1
    return ended


@audited_as_by
@transaction.atomic
def user_sessions_end_others(*, user: User, keep_session_key: str | None, by: User | None) -> int:
    """End every session of `user` but the one given (adding or removing an authenticator
    must not leave a session opened without it signed in elsewhere). `by` is who caused it."""
    return _sessions_end(user, keep_session_key=keep_session_key)
