"""The shape of a notice kind, and the registry of the kinds the apps send.

notifications knows no app: each app declares its kinds in its own `notices.py` and
registers them from its AppConfig.ready() with `register_kinds`. A kind names its email
templates (templates/notifications/email/<key>.txt and .html, falling back to default.*)
and may add to their context through `email_context`, which its app supplies.

The registry keeps the order of registration: the apps' ready() run in INSTALLED_APPS
order, so the preferences page lists the kinds by app, then as each app declares them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from core.types import PortalUser

if TYPE_CHECKING:
    from notifications.models import Notification


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Email me at once"
    DIGEST = "digest", "Email me a daily digest"
    NONE = "none", "No email (portal only)"


class UnknownNotificationKind(ValueError):
    pass


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    description: str
    # Roles that may receive it; None means every user.
    roles: tuple[str, ...] | None = None
    default_email: str = EmailMode.IMMEDIATE
    # False for notices that must reach the inbox at once whatever the preference.
    email_configurable: bool = True
    # More for the email's templates, built when the email is sent (not when the notice is made).
    email_context: "Callable[[Notification], dict[str, Any]] | None" = None

    def may_receive(self, user: PortalUser) -> bool:
        return self.roles is None or user.role in self.roles


# Filled by register_kinds at start-up; read it through get_kind and kinds_for.
KINDS: dict[str, NotificationKind] = {}


def register_kinds(kinds: Iterable[NotificationKind]) -> None:
    """Add an app's kinds. Registering the same kind again (a second ready()) changes nothing;
    another kind under a key already taken is a mistake to see at start-up, not a silent swap."""
    for kind in kinds:
        registered = KINDS.setdefault(kind.key, kind)
        if registered != kind:
            raise ImproperlyConfigured(f"Two notification kinds are registered as “{kind.key}”.")


def get_kind(key: str) -> NotificationKind:
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownNotificationKind(f"Unknown notification kind “{key}”.") from None


def kinds_for(user: PortalUser) -> list[NotificationKind]:
    return [kind for kind in KINDS.values() if kind.may_receive(user)]
