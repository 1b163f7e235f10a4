"""The notices reporting sends (registered from ReportingConfig.ready(), notifications.kinds)."""

from core.roles import Role
from notifications.kinds import NotificationKind

STATES = (Role.NCP, Role.NATIONAL_REPRESENTATIVE)

KINDS = [
    NotificationKind(
        key="reporting_call_opened",
        label="Data calls for national reporting",
        description="The secretariat opened the yearly data call: your state's return is due.",
        roles=STATES,
    ),
    NotificationKind(
        key="reporting_deadline_near",
        label="Return deadlines near",
        description="Your state has not submitted its return; the deadline is near.",
        roles=STATES,
    ),
    NotificationKind(
        key="reporting_profile_confirm",
        label="Country profile to confirm",
        description="Your state's country profile was not confirmed for a year: is its structure still right?",
        roles=STATES,
    ),
    NotificationKind(
        key="reporting_return_submitted",
        label="Returns submitted",
        description="A state submitted its return to the data call.",
        roles=(Role.SECRETARIAT,),
    ),
    NotificationKind(
        key="reporting_return_sent_back",
        label="Returns sent back with comments",
        description="The secretariat returned your state's return with comments, or reopened it.",
        roles=STATES,
    ),
    NotificationKind(
        key="reporting_return_validated",
        label="Returns validated",
        description="The secretariat validated your state's return.",
        roles=STATES,
    ),
    NotificationKind(
        key="reporting_call_closed",
        label="Data calls closed",
        description="The secretariat closed a data call before your state's return was validated.",
        roles=STATES,
    ),
]
