"""A training's status and a participant's registration: one table each (DESIGN.md section 4).

The trainer or the secretariat takes every step (trainings.access checks the permission
first). A training's status changes on its settings page, except completing, which has
a page of its own; both final steps (completed, cancelled) say first how many people
they affect. A registration moves on the training's page. trainings.services runs the
entries: their `apply` hooks refuse a step that cannot be taken yet, their `effects`
(trainings.services functions, named by path: services imports this table) do what a
step does beyond its own row.
"""

from datetime import datetime
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone

from core.workflow import Notice, Transition, Workflow
from members.models import Role
from trainings.models import Registration, RegistrationStatus, Training, TrainingStatus

RUNS_TRAININGS = (Role.TRAINER, Role.SECRETARIAT)
SETTINGS_FORM = "trainings.forms.TrainingSettingsForm"
SERVICES = "trainings.services"

# A training ----------------------------------------------------------------------------


def training_completion_error(training: Training, now: datetime) -> str | None:
    """Why the training cannot be completed yet: completing marks no-shows and feeds the
    figures, so it waits until the last session is over."""
    last_end = training.sessions.aggregate(last=Max("ends_at"))["last"]
    if last_end is None:
        return "The training has no sessions, so it cannot be completed."
    if last_end > now:
        return (
            f"The last session ends on {timezone.localtime(last_end):%d %b %Y %H:%M}; "
            "the training can be completed after that."
        )
    return None


def _check_completion(training: Training, data: dict, now: datetime) -> list[str]:
    if error := training_completion_error(training, now):
        raise ValidationError({"status": error})
    return []


T = TrainingStatus
_RUNNING = (T.PLANNED, T.OPEN, T.CLOSED)


class _Shared(TypedDict):
    """What a group of steps shares: who takes them, with which form, on which page. Spread
    into each entry (`**_SETTING`), so the checker still sees every field of the Transition."""

    by: tuple[str, ...]
    form: str
    url: str


_SETTING: _Shared = {"by": RUNS_TRAININGS, "form": SETTINGS_FORM, "url": "trainings:settings"}

# Completed and cancelled are final: figures and certificates rest on them. The secretariat
# corrects a mistake in the database, on purpose, not through a status button.
TRAINING_WORKFLOW = Workflow(
    name="training status",
    noun="training",
    states=tuple(T.values),
    transitions=(
        Transition(name="plan", label="Back to planned", sources=(T.OPEN,), target=T.PLANNED, **_SETTING),
        Transition(name="open", label="Open registration", sources=(T.PLANNED, T.CLOSED), target=T.OPEN, **_SETTING),
        Transition(name="close", label="Close registration", sources=(T.PLANNED, T.OPEN), target=T.CLOSED, **_SETTING),
        Transition(
            name="complete",
            label="Mark completed",
            sources=_RUNNING,
            target=T.COMPLETED,
            by=RUNS_TRAININGS,
            # Its page asks first; there is nothing to fill in.
            url="trainings:complete",
            apply=_check_completion,
            effects=f"{SERVICES}.mark_no_shows",
            destructive=True,
            confirmation=(
                "Completing is final: the training’s settings, sessions and status can no longer change, "
                "and it counts in the public facts and figures."
            ),
        ),
        Transition(
            name="cancel",
            label="Cancel the training",
            sources=_RUNNING,
            target=T.CANCELLED,
            effects=f"{SERVICES}.tell_about_cancellation",
            destructive=True,
            confirmation="Cancelling is final: the training can no longer change or be reopened.",
            notifies=(
                Notice(kind="training_cancelled", audience="participants"),
                Notice(kind="training_cancelled", audience="trainers"),
            ),
            **_SETTING,
        ),
    ),
)

# The statuses from which a training still changes: its sessions, settings and waiting list too.
RUNNING_STATUSES = tuple(status for status in T.values if TRAINING_WORKFLOW.available(status))


def settings_statuses(status: str) -> list[str]:
    """The statuses the settings form offers: the current one and those its steps reach."""
    steps = [step for step in TRAINING_WORKFLOW.available(status) if step.form == SETTINGS_FORM]
    return [status, *(step.target for step in steps)]


# A registration ------------------------------------------------------------------------


R = RegistrationStatus


def _check_place(registration: Registration, data: dict, now: datetime) -> list[str]:
    # Only someone waiting takes a new place; a registered participant holds one already.
    training = registration.training
    if registration.status == R.WAITLISTED and training.registrations.seated().count() >= training.capacity:
        raise ValidationError("There is no free place: cancel a registration first.")
    return []


_MOVE: _Shared = {"by": RUNS_TRAININGS, "form": "trainings.forms.MoveForm", "url": "trainings:move"}

REGISTRATION_WORKFLOW = Workflow(
    name="registration",
    noun="registration",
    states=tuple(R.values),
    transitions=(
        Transition(
            name="confirm",
            label="Confirm",
            sources=(R.REGISTERED, R.WAITLISTED),
            target=R.CONFIRMED,
            apply=_check_place,
            notifies=(Notice(kind="confirmation", audience="participant"),),
            **_MOVE,
        ),
        Transition(name="reject", label="Reject", sources=(R.REGISTERED,), target=R.REJECTED, **_MOVE),
        Transition(
            name="cancel",
            label="Cancel",
            sources=(R.REGISTERED, R.CONFIRMED, R.WAITLISTED),
            target=R.CANCELLED,
            **_MOVE,
        ),
        # Attended and no-show may be corrected either way.
        Transition(
            name="attended", label="Mark attended", sources=(R.CONFIRMED, R.NO_SHOW), target=R.ATTENDED, **_MOVE
        ),
        Transition(name="no_show", label="Mark no-show", sources=(R.CONFIRMED, R.ATTENDED), target=R.NO_SHOW, **_MOVE),
    ),
)
