"""The audit actor of a service is its `by`, in a request or not (DESIGN §4).

auditlog fills in an entry's actor from its request context (the middleware), so a
service called from a job, a task or a shell would write entries with no actor. A service
that takes `by` runs inside `acting_as(by)` (through `@audited_as_by`): every entry written
meanwhile, by auditlog's signals or by an explicit `log_create`, gets `by` as its actor.
Inside a request auditlog's context still adds the client's address and port: only the
actor is set here, nothing of the request is replaced or lost.

The receiver is connected when this module is imported, which thb_portal's AppConfig does
at start-up: it must come before the receiver auditlog's middleware connects per request,
because that one fills in the actor only when none is set.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save

P = ParamSpec("P")
R = TypeVar("R")

_actor: ContextVar[Any] = ContextVar("core_audit_actor", default=None)


def current_actor() -> Any:
    """The actor set by the innermost `acting_as`, or None."""
    return _actor.get()


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Audit entries written inside are by `actor`; None (a job with no person) changes nothing.

    Nested, the innermost person wins, and the outer one is back on leaving.
    """
    if not isinstance(actor, get_user_model()) or actor.pk is None:
        yield
        return
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def audit_actor_from(parameter: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A decorator running the service inside `acting_as(<its keyword argument `parameter`>)`."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with acting_as(kwargs.get(parameter)):
                return service(*args, **kwargs)

        run.audit_actor_parameter = parameter  # type: ignore[attr-defined]  # for the guard test
        return run

    return decorate


# The usual case: services name the person acting `by`.
audited_as_by = audit_actor_from("by")


def _fill_actor(sender: type, instance: Any, **kwargs: Any) -> None:
    actor = _actor.get()
    # An entry given its actor explicitly keeps it; an entry being re-saved is left alone.
    if actor is None or instance.actor_id is not None or not instance._state.adding:
        return
    instance.actor = actor
    instance.actor_email = getattr(actor, "email", None)


pre_save.connect(
    _fill_actor,
    sender=getattr(settings, "AUDITLOG_LOGENTRY_MODEL", "auditlog.LogEntry"),
    dispatch_uid="core.audit.fill_actor",
    weak=False,
)


def log_entry(
    instance: Any,
    *,
    by: Any,
    action: int,
    what: str,
    changes: dict[str, list[str]] | None = None,
    **fields: Any,
) -> None:
    """An audit entry a service writes itself: what was read or done, by whom, never a value.

    `what` says it in words; `fields` go to the entry's data beside it (ids, the actor's role
    at that moment, the acting side); an `object_pk` or `object_repr` among them names an entry
    about no one row. It runs inside auditlog's request context when there is one, which
    records the client's address; the actor is `by` either way.
    """
    entry_fields = {key: fields.pop(key) for key in ("object_pk", "object_repr") if key in fields}
    LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=action,
        actor=by,
        changes=changes or {},
        additional_data={"what": what, **fields},
        **entry_fields,
    )


def mask_fully(value: object) -> str:
    # auditlog's default keeps half of the value; free text about a victim keeps none.
    return "[masked]"
