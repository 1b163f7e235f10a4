"""The kinds of notification the portal sends, and who may receive each.

Apps add their kinds here when they start sending them. A kind names its email
templates (templates/notifications/email/<key>.txt and .html, falling back to
default.*) and may add to their context through `email_context`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from core.roles import Role


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
    email_context: Callable | None = None

    def may_receive(self, user) -> bool:
        return self.roles is None or user.role in self.roles


def _invitation_email_context(notification) -> dict:
    from django.conf import settings

    from members.services import invitation_link

    # Built when the email is sent: the link carries the invitation's current stamp.
    return {
        "invitation_link": invitation_link(notification.recipient),
        "invitation_max_age_days": settings.THB_INVITATION_MAX_AGE_DAYS,
    }


KINDS: dict[str, NotificationKind] = {
    kind.key: kind
    for kind in [
        NotificationKind(
            key="account_invitation",
            label="Invitation to the portal",
            description="The link to set your password.",
            email_configurable=False,
            email_context=_invitation_email_context,
        ),
        NotificationKind(
            key="invitation_accepted",
            label="Invitation accepted",
            description="Someone you invited has set their password.",
            roles=(Role.SECRETARIAT,),
            default_email=EmailMode.DIGEST,
        ),
        NotificationKind(
            key="role_changed",
            label="Your role changed",
            description="The secretariat changed your role, member state or organisation.",
        ),
        # Four-eyes on case access (members.services): not configurable away, since a
        # request expires unless someone decides it, and a decision changes who reads case data.
        NotificationKind(
            key="access_request_made",
            label="Access requests to decide",
            description="A change that would open case data to someone waits for a second person's confirmation.",
            roles=(Role.NCP, Role.SECRETARIAT),
            email_configurable=False,
        ),
        NotificationKind(
            key="access_request_decided",
            label="Access requests decided",
            description="A request that concerns you, or that you made, was confirmed, declined or withdrawn.",
            email_configurable=False,
        ),
        NotificationKind(
            key="referral_update",
            label="Referral updates",
            description="A step, message or document on a referral of your state.",
            roles=(Role.NCP,),
        ),
        NotificationKind(
            key="referral_overdue",
            label="Overdue referrals",
            description="A sent referral was not acknowledged by its deadline.",
            roles=(Role.NCP, Role.SECRETARIAT),
        ),
        NotificationKind(
            key="referral_follow_up",
            label="Referral follow-up reminders",
            description="Time to follow up a completed referral (3, 6 and 12 months after).",
            roles=(Role.NCP,),
            default_email=EmailMode.DIGEST,
        ),
        # Trainers' notices. Participants are not users: their confirmation, waiting-list and
        # reminder emails go through notify_address, with no notice or preference behind them.
        NotificationKind(
            key="training_waitlist_promoted",
            label="Waiting list moved up",
            description="A place freed in a training you run and went to the first on its waiting list.",
            roles=(Role.TRAINER, Role.SECRETARIAT),
        ),
        NotificationKind(
            key="training_assigned",
            label="Trainings assigned to you",
            description="The secretariat made you a trainer of a training.",
            roles=(Role.TRAINER,),
        ),
        NotificationKind(
            key="training_cancelled",
            label="Trainings cancelled",
            description="A training you run was cancelled.",
            roles=(Role.TRAINER, Role.SECRETARIAT),
        ),
        NotificationKind(
            key="training_reminder",
            label="Training reminders",
            description="A training you run starts soon.",
            roles=(Role.TRAINER, Role.SECRETARIAT),
            default_email=EmailMode.DIGEST,
        ),
        NotificationKind(
            key="announcement",
            label="Announcements",
            description="Announcements and alerts from the CBSS Secretariat.",
        ),
    ]
}


def get_kind(key: str) -> NotificationKind:
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownNotificationKind(f"Unknown notification kind “{key}”.") from None


def kinds_for(user) -> list[NotificationKind]:
    return [kind for kind in KINDS.values() if kind.may_receive(user)]
