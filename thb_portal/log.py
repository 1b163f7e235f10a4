"""Logging filters of the shell."""

import logging

# Statuses the portal answers on purpose (an object that is not yours, a page of another
# role): worth a line each, never a traceback that buries the real errors.
QUIET_STATUSES = {403, 404}


def _escaped(value: str) -> str:
    # A path is the client's own text: no line breaks may reach the log.
    return value.encode("unicode_escape").decode("ascii")


class ClientErrorFilter(logging.Filter):
    """Turns django.request's record of an intended 403 or 404 into one line:
    method, path, status and the user's id ("-" when signed out), with no traceback.

    Django logs a PermissionDenied with its traceback, and a 404 without who asked.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if status in QUIET_STATUSES and request is not None:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            record.msg = "%s %s %s user=%s"
            record.args = (_escaped(request.method or ""), _escaped(request.path), status, user_id)
            record.exc_info = None
            record.exc_text = None
        return True
