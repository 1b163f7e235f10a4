"""What the apps built on cases do when a consent is withdrawn or a case is anonymised.

cases sits below referrals (referrals import cases; pyproject's import-linter layers), so
cases' services cannot call referrals' services. Yet both writes must reach what the case
shared through its referrals, in the same transaction and by the same actor. An app above
cases connects its handler here from its AppConfig.ready(); the cases service calls every
connected handler inside its own transaction, so a handler that fails rolls the whole write
back. Handlers are services of their app: they write, audit and notify as they would alone.

A typed list rather than a Django signal: the checker holds each handler to its signature,
the anonymisation uses what the handlers return, and business logic stays out of signals
(DESIGN.md section 4).
"""

from collections.abc import Mapping
from typing import Generic, Protocol, TypeVar

from cases.models import Case, Consent
from members.models import User


class ConsentWithdrawnHandler(Protocol):
    """Ends whatever rested on the consent; `by` withdrew it and is the audit actor."""

    def __call__(self, *, consent: Consent, by: User) -> object: ...


class CaseAnonymisedHandler(Protocol):
    """Blanks what the case shared elsewhere; returns counts the case's audit entry keeps.

    It runs after the case is marked anonymised, as a job with no person acting.
    """

    def __call__(self, *, case: Case) -> Mapping[str, int]: ...


H = TypeVar("H")


class Hook(Generic[H]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[H] = []

    def connect(self, handler: H) -> None:
        """Add a handler once (ready() may run more than once, in tests)."""
        if handler not in self._handlers:
            self._handlers.append(handler)

    def disconnect(self, handler: H) -> None:
        self._handlers.remove(handler)

    @property
    def handlers(self) -> tuple[H, ...]:
        """The connected handlers, in the order they were connected."""
        return tuple(self._handlers)


consent_withdrawn: Hook[ConsentWithdrawnHandler] = Hook("consent withdrawn")
case_anonymised: Hook[CaseAnonymisedHandler] = Hook("case anonymised")
