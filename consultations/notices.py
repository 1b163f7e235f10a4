"""The notices consultations sends (registered from ConsultationsConfig.ready(), notifications.kinds)."""

from core.roles import Role
from notifications.kinds import EmailMode, NotificationKind

MEMBERS = (Role.SECRETARIAT, Role.OBSERVER, Role.NCP, Role.NATIONAL_REPRESENTATIVE)
STATES = (Role.NCP, Role.NATIONAL_REPRESENTATIVE)

KINDS = [
    NotificationKind(
        key="consultation_opened",
        label="Consultations and written procedures opened",
        description="The secretariat circulated a document to the member states, with a deadline.",
        roles=MEMBERS,
    ),
    NotificationKind(
        key="consultation_deadline_near",
        label="Consultation deadlines near",
        description="Your state has not answered a consultation whose deadline is near.",
        roles=STATES,
    ),
    NotificationKind(
        key="consultation_answered",
        label="States' answers to consultations",
        description="A state answered or changed its answer to a consultation.",
        roles=(Role.SECRETARIAT,),
        default_email=EmailMode.DIGEST,
    ),
    NotificationKind(
        key="consultation_reply",
        label="Answers to your state's comments",
        description="The secretariat answered your state's comments, or took them in.",
        roles=STATES,
    ),
    NotificationKind(
        key="consultation_outcome",
        label="Consultation outcomes",
        description="A consultation closed at its deadline, with its outcome.",
        roles=MEMBERS,
    ),
]
