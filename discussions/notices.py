"""The notices discussions sends (registered from DiscussionsConfig.ready(), notifications.kinds)."""

from core.roles import Role
from notifications.kinds import EmailMode, NotificationKind

MEMBERS = (Role.SECRETARIAT, Role.OBSERVER, Role.NCP, Role.NATIONAL_REPRESENTATIVE)

KINDS = [
    NotificationKind(
        key="discussion_post",
        label="New posts in discussions you follow",
        description="Someone posted in a thread you follow, or in a topic you follow.",
        roles=MEMBERS,
        default_email=EmailMode.DIGEST,
    ),
    NotificationKind(
        key="discussion_urgent",
        label="Urgent alerts in the expert group",
        description="A member state or the secretariat sent a crisis alert to the whole group.",
        roles=MEMBERS,
        # A crisis alert reaches everyone at once, whatever their digest preference.
        email_configurable=False,
    ),
]
