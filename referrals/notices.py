"""The notices referrals sends (registered from ReferralsConfig.ready(), notifications.kinds)."""

from core.roles import Role
from notifications.kinds import EmailMode, NotificationKind

KINDS = [
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
]
