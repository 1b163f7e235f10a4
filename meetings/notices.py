"""The notices meetings sends (registered from MeetingsConfig.ready(), notifications.kinds)."""

from core.roles import Role
from notifications.kinds import EmailMode, NotificationKind

# The expert group's members; trainers receive none of its notices.
MEMBERS = (Role.SECRETARIAT, Role.OBSERVER, Role.NCP, Role.NATIONAL_REPRESENTATIVE)
STATES = (Role.NCP, Role.NATIONAL_REPRESENTATIVE)

KINDS = [
    NotificationKind(
        key="meeting_agenda_open",
        label="Meeting agendas open",
        description="A meeting of the expert group takes agenda proposals until its cut-off.",
        roles=MEMBERS,
    ),
    NotificationKind(
        key="meeting_item_proposed",
        label="Agenda proposals",
        description="A state proposed an item for a meeting's agenda.",
        roles=(Role.SECRETARIAT,),
        default_email=EmailMode.DIGEST,
    ),
    NotificationKind(
        key="meeting_item_decided",
        label="Your state's agenda proposals decided",
        description="The secretariat accepted, merged or declined an item your state proposed.",
        roles=STATES,
    ),
    NotificationKind(
        key="meeting_papers_added",
        label="Meeting papers",
        description="A paper was added to a meeting.",
        roles=MEMBERS,
        default_email=EmailMode.DIGEST,
    ),
    NotificationKind(
        key="meeting_registration_reminder",
        label="Meeting registration reminders",
        description="Your state has not yet said who attends a meeting whose registration closes soon.",
        roles=STATES,
    ),
    NotificationKind(
        key="meeting_minutes_circulated",
        label="Minutes to comment on",
        description="A meeting's minutes were circulated for comments, with a deadline.",
        roles=MEMBERS,
    ),
    NotificationKind(
        key="meeting_minutes_approved",
        label="Minutes approved",
        description="A meeting's minutes were approved and published to the members.",
        roles=MEMBERS,
        default_email=EmailMode.DIGEST,
    ),
    NotificationKind(
        key="meeting_action_point",
        label="Action points",
        description="An action point was given to you or your state, or is overdue.",
        roles=MEMBERS,
    ),
    NotificationKind(
        key="meeting_cancelled",
        label="Meetings cancelled",
        description="A meeting of the expert group was cancelled.",
        roles=MEMBERS,
    ),
]
