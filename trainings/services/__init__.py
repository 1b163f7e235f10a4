"""Every write on trainings and their participants. Callers have already passed trainings.access.

One module a concern: a training's own writes and status workflow (training_writes), one
participant's registration and attendance (registrations), a file of participants
(registrations_import), the emails participants get (participant_emails), the reminder and
retention jobs (reminders, retention), and the totals before the portal (historical_totals).
Everything is re-exported here: callers, trainings.jobs and trainings.workflow name
`trainings.services.<function>`.
"""

from trainings.services.historical_totals import historical_total_delete, historical_total_save
from trainings.services.participant_emails import EMAIL_SUBJECTS
from trainings.services.registrations import (
    PARTICIPANT_DETAILS,
    allowed_moves,
    attendance_set,
    participant_email_refusal,
    registration_delete,
    registration_move,
    registration_register,
    registration_update_details,
    waitlist_promote,
)
from trainings.services.registrations_import import registrations_import
from trainings.services.reminders import trainings_send_reminders
from trainings.services.retention import trainings_delete_personal_data
from trainings.services.training_writes import (
    mark_no_shows,
    session_add,
    session_removal_refusal,
    session_remove,
    session_update,
    sessions_change_refusal,
    tell_about_cancellation,
    training_complete,
    training_create,
    training_delete,
    training_final_effect,
    training_refresh_start,
    training_set_trainers,
    training_status_error,
    training_update,
)

# The training's views ask services whether it can be completed yet.
from trainings.workflow import training_completion_error

__all__ = [
    "EMAIL_SUBJECTS",
    "PARTICIPANT_DETAILS",
    "allowed_moves",
    "attendance_set",
    "historical_total_delete",
    "historical_total_save",
    "mark_no_shows",
    "participant_email_refusal",
    "registration_delete",
    "registration_move",
    "registration_register",
    "registration_update_details",
    "registrations_import",
    "session_add",
    "session_removal_refusal",
    "session_remove",
    "session_update",
    "sessions_change_refusal",
    "tell_about_cancellation",
    "training_complete",
    "training_completion_error",
    "training_create",
    "training_delete",
    "training_final_effect",
    "training_refresh_start",
    "training_set_trainers",
    "training_status_error",
    "training_update",
    "trainings_delete_personal_data",
    "trainings_send_reminders",
    "waitlist_promote",
]
