"""The notices members sends (registered from MembersConfig.ready(), notifications.kinds)."""

from typing import Any

from django.conf import settings

from core.roles import Role
from members.services import invitation_link
from notifications.kinds import EmailMode, NotificationKind
from notifications.models import Notification


def _invitation_email_context(notification: Notification) -> dict[str, Any]:
    # Built when the email is sent: the link carries the invitation's current stamp.
    return {
        "invitation_link": invitation_link(notification.recipient),
        "invitation_max_age_days": settings.THB_INVITATION_MAX_AGE_DAYS,
    }


KINDS = [
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
]
