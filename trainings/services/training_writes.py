"""A training's own writes: creating it, changing its details and status (with each step's
effects, trainings.workflow), its trainers and their grants, its sessions, deleting it."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import audited_as_by
from core.db import update_fields
from core.workflow import Transition
from members.models import Role, User
from notifications.services import notify
from trainings.models import RegistrationStatus, Training, TrainingSession, TrainingStatus
from trainings.services._registration_rules import WAITING, set_status
from trainings.services.participant_emails import queue_participant_email
from trainings.services.registrations import waitlist_promote
from trainings.workflow import RUNNING_STATUSES, TRAINING_WORKFLOW

# A trainer of a training gets these on it (per user: trainers belong to no state team).
TRAINER_PERMISSIONS = ("trainings.view_training", "trainings.change_training")

S = RegistrationStatus
T = TrainingStatus


@audited_as_by
@transaction.atomic
def training_create(
    *,
    by: User | None,
    data: dict[str, Any],
    sessions: Sequence[tuple[datetime, datetime] | tuple[datetime, datetime, str]] = (),
    trainers: Iterable[User] = (),
    training: Training | None = None,
) -> Training:
    """Create a training with its sessions and trainers. `training`, when given, is the unsaved
    row to fill in and save (the admin's form keeps the object it answers about)."""
    if training is None:
        training = Training(**data)
    elif training.pk is not None:
        raise ValueError("training_create() saves a new training; this one is stored already.")
    else:
        for name, value in data.items():
            setattr(training, name, value)
    training.full_clean()
    training.save()
    # Past trainings are recorded completed, with their sessions: no status check here.
    for starts_at, ends_at, *title in sessions:
        _session_create(training, starts_at, ends_at, title[0] if title else "")
    if sessions:
        training_refresh_start(training=training)
    training_set_trainers(training=training, trainers=trainers, by=by)
    return training


def training_status_error(current: str, new: str) -> str | None:
    """Why a training cannot go from `current` to `new`, or None when it can."""
    if current == new or TRAINING_WORKFLOW.between(current, new):
        return None
    if current not in RUNNING_STATUSES:
        return f"The training is {T(current).label.lower()}; its status can no longer change."
    return f"A training that is “{T(current).label}” cannot become “{T(new).label}”."


def training_final_effect(training: Training, status: str) -> dict[str, Any]:
    """How many people a final status change affects, and the step (its label, button and
    confirmation text), for the page that asks first."""
    step = TRAINING_WORKFLOW.between(training.status, status)
    registrations = training.registrations
    if status == T.COMPLETED:
        return {"step": step, "no_shows": registrations.filter(status=S.CONFIRMED, attendances__isnull=True).count()}
    return {"step": step, "told": registrations.filter(status__in=WAITING).count()}


@audited_as_by
@transaction.atomic
def training_update(*, training: Training, by: User | None, data: dict[str, Any]) -> Training:
    """Change a training's details. A new status has its consequences here: completing marks
    no-shows, cancelling tells the participants; more places move the waiting list up."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    before_status, before_capacity = training.status, training.capacity
    new_status = data.get("status", before_status)
    if error := training_status_error(before_status, new_status):
        raise ValidationError({"status": error})
    step = TRAINING_WORKFLOW.between(before_status, new_status) if new_status != before_status else None
    if step and step.apply:
        step.apply(training, data, timezone.now())
    update_fields(training, data)
    now = timezone.now()
    if step and (effects := step.effects_function()):
        effects(training, step=step, by=by, now=now)
    if training.capacity > before_capacity and training.status in RUNNING_STATUSES:
        waitlist_promote(training=training, by=by, now=now)
    return training


@audited_as_by
def tell_about_cancellation(training: Training, *, step: Transition, by: User | None, now: datetime) -> None:
    """The cancel step's effects: its notices go to the participants still waiting for it
    (by email: they are not users) and to the training's other trainers."""
    for notice in step.notifies:
        if notice.audience == "participants":
            for registration in training.registrations.filter(status__in=WAITING).select_related("training"):
                queue_participant_email(registration, kind=notice.kind, key=f"cancelled:{registration.pk}")
        elif notice.audience == "trainers":
            notify(
                recipients=[trainer for trainer in training.trainers.all() if trainer != by],
                kind=notice.kind,
                text=f"{training.title} is cancelled; its participants are told by email.",
                link=training.get_absolute_url(),
                target=training,
                actor=by,
            )


def training_refresh_start(*, training: Training) -> None:
    first = training.sessions.aggregate(first=Min("starts_at"))["first"]
    training.starts_on = timezone.localdate(first) if first else None
    training.save(update_fields=["starts_on"])


def sessions_change_refusal(training: Training) -> str:
    """Why the training's sessions can no longer be added, changed or removed; "" while they can."""
    if training.status not in RUNNING_STATUSES:
        return f"The training is {TrainingStatus(training.status).label.lower()}; its sessions can no longer change."
    return ""


def session_removal_refusal(session: TrainingSession) -> str:
    """Why the session cannot be removed (beyond its training's status); "" when it can."""
    if session.attendances.exists():
        return "Attendance was recorded for this session, so it cannot be removed."
    return ""


def _check_sessions_can_change(training: Training) -> None:
    if refusal := sessions_change_refusal(training):
        raise ValidationError(refusal)


def _session_create(training: Training, starts_at: datetime, ends_at: datetime, title: str) -> TrainingSession:
    session = TrainingSession(training=training, starts_at=starts_at, ends_at=ends_at, title=title)
    session.full_clean()
    session.save()
    return session


@audited_as_by
@transaction.atomic
def session_add(
    *, training: Training, starts_at: datetime, ends_at: datetime, title: str = "", by: User | None = None
) -> TrainingSession:
    training = Training.objects.select_for_update().get(pk=training.pk)
    _check_sessions_can_change(training)
    session = _session_create(training, starts_at, ends_at, title)
    training_refresh_start(training=training)
    return session


@audited_as_by
@transaction.atomic
def session_remove(*, session: TrainingSession, by: User | None) -> None:
    training = Training.objects.select_for_update().get(pk=session.training_id)
    _check_sessions_can_change(training)
    if refusal := session_removal_refusal(session):
        raise ValidationError(refusal)
    session.delete()
    training_refresh_start(training=training)


@audited_as_by
@transaction.atomic
def session_update(*, session: TrainingSession, data: dict[str, Any], by: User | None) -> TrainingSession:
    """Change a session's title or times (the secretariat's admin); the training's start follows."""
    training = Training.objects.select_for_update().get(pk=session.training_id)
    _check_sessions_can_change(training)
    update_fields(session, data)
    training_refresh_start(training=training)
    return session


@audited_as_by
@transaction.atomic
def training_set_trainers(*, training: Training, trainers: Iterable[User], by: User | None) -> None:
    """Make `trainers` the training's trainers, granting and revoking their object permissions."""
    trainers = list(trainers)
    for trainer in trainers:
        if trainer.role != Role.TRAINER:
            raise ValidationError(f"{trainer} is not a trainer.")
    current = set(training.trainers.all())
    for gone in current - set(trainers):
        for permission in TRAINER_PERMISSIONS:
            remove_perm(permission, gone, training)
    for trainer in trainers:
        for permission in TRAINER_PERMISSIONS:
            assign_perm(permission, trainer, training)
    training.trainers.set(trainers)
    newcomers = [trainer for trainer in trainers if trainer not in current and trainer != by]
    if newcomers:
        notify(
            recipients=newcomers,
            kind="training_assigned",
            text=f"You are a trainer of “{training.title}”."[:300],
            link=training.get_absolute_url(),
            target=training,
            actor=by,
        )


@audited_as_by
@transaction.atomic
def training_complete(*, training: Training, by: User) -> Training:
    """Close the books: confirmed participants with no attendance become no-shows."""
    return training_update(training=training, by=by, data={"status": T.COMPLETED})


@audited_as_by
def mark_no_shows(training: Training, *, step: Transition | None = None, by: User | None = None, now: datetime) -> None:
    """The complete step's effects: confirmed participants who came to no session are no-shows."""
    for registration in training.registrations.filter(status=S.CONFIRMED, attendances__isnull=True):
        set_status(registration, S.NO_SHOW, now)


@audited_as_by
@transaction.atomic
def training_delete(*, training: Training, by: User | None) -> None:
    """Delete a training with its sessions, participants, attendance and trainers' grants."""
    training.delete()
