"""The trainers' notices trainings sends (registered from TrainingsConfig.ready(), notifications.kinds).

Participants are not users: their confirmation, waiting-list and reminder emails go through
notify_address, with no notice or preference behind them, so they have no kind here.
"""

from core.roles import Role
from notifications.kinds import EmailMode, NotificationKind

KINDS = [
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
]
