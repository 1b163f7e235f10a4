"""Every write on trainings and their participants. Callers have already passed trainings.access."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from core.audit import audited_as_by
from core.db import update_fields
from core.figures import public_figures_changed
from core.workflow import Transition
from members.models import Role, User
from notifications.models import Delivery
from notifications.services import address_emails_delete, notify, notify_address
from trainings.models import (
    ATTENDANCE_STATUSES,
    SEAT_STATUSES,
    Attendance,
    HistoricalTotal,
    Registration,
    RegistrationStatus,
    Training,
    TrainingSession,
    TrainingStatus,
)
from trainings.workflow import REGISTRATION_WORKFLOW, RUNNING_STATUSES, TRAINING_WORKFLOW

# Re-exported: the training's views ask services whether it can be completed yet.
from trainings.workflow import training_completion_error as training_completion_error

# A trainer of a training gets these on it (per user: trainers belong to no state team).
TRAINER_PERMISSIONS = ("trainings.view_training", "trainings.change_training")
PERSONAL_FIELDS = ("full_name", "email", "organisation", "country", "profession", "gender")
# The participants still waiting for a training: a cancellation reaches them.
WAITING = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

S = RegistrationStatus
T = TrainingStatus


def allowed_moves(registration: Registration) -> list[str]:
    """The statuses a registration may be moved to now (trainings.workflow)."""
    return REGISTRATION_WORKFLOW.targets(registration.status)


# Trainings -------------------------------------------------------------------------


@audited_as_by
@transaction.atomic
def training_create(
    *,
    by: User | None,
    data: dict[str, Any],
    sessions: Sequence[tuple[datetime, datetime] | tuple[datetime, datetime, str]] = (),
    trainers: Iterable[User] = (),
) -> Training:
    training = Training(**data)
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
                _queue_email(registration, kind=notice.kind, key=f"cancelled:{registration.pk}")
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


def _check_sessions_can_change(training: Training) -> None:
    if training.status not in RUNNING_STATUSES:
        raise ValidationError(
            f"The training is {TrainingStatus(training.status).label.lower()}; its sessions can no longer change."
        )


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
        _set_status(registration, S.NO_SHOW, now)


@audited_as_by
@transaction.atomic
def session_remove(*, session: TrainingSession, by: User | None) -> None:
    training = Training.objects.select_for_update().get(pk=session.training_id)
    _check_sessions_can_change(training)
    if session.attendances.exists():
        raise ValidationError("Attendance was recorded for this session, so it cannot be removed.")
    session.delete()
    training_refresh_start(training=training)


# Registrations ---------------------------------------------------------------------


def _set_status(registration: Registration, status: str, now: datetime) -> None:
    registration.status = status
    registration.status_changed_at = now
    registration.save(update_fields=["status", "status_changed_at"])


def _check_window(training: Training, now: datetime) -> None:
    if refusal := training.registration_refusal(now):
        raise ValidationError(refusal)


def _places_left(training: Training) -> int:
    return max(training.capacity - training.registrations.seated().count(), 0)


def _email_exists(training: Training, email: str) -> bool:
    return training.registrations.filter(email__iexact=email).exists()


def _new_registration(training: Training, data: dict[str, Any], status: str, now: datetime) -> Registration:
    registration = Registration(training=training, status=status, created_at=now, status_changed_at=now, **data)
    registration.email = registration.email.strip().lower()
    registration.full_clean()
    registration.save()
    return registration


def _initial_status(training: Training, has_place: bool) -> str:
    if not has_place:
        return S.WAITLISTED
    return S.REGISTERED if training.requires_approval else S.CONFIRMED


@audited_as_by
@transaction.atomic
def registration_register(
    *, training: Training, data: dict[str, Any], by: User | None, now: datetime | None = None
) -> Registration:
    """Register one participant: a place if there is one, else the waiting list, else a clear refusal."""
    now = now or timezone.now()
    # Locking the training serialises the capacity check: two last places cannot both be given.
    training = Training.objects.select_for_update().get(pk=training.pk)
    _check_window(training, now)
    if not data.get("consent"):
        raise ValidationError("The participant must consent to the processing of their data.")
    if _email_exists(training, data.get("email", "")):
        raise ValidationError(f"{data['email']} is already registered for this training.")
    has_place = _places_left(training) > 0
    if not has_place and not training.waitlist_enabled:
        raise ValidationError(f"The training is full ({training.capacity} places) and has no waiting list.")
    registration = _new_registration(training, data, _initial_status(training, has_place), now)
    _after_status(registration, by=by)
    return registration


@audited_as_by
@transaction.atomic
def registrations_import(
    *, training: Training, rows: list[dict[str, Any]], by: User | None, now: datetime | None = None
) -> list[Registration]:
    """Register every row or none: any failure rolls the whole file back."""
    now = now or timezone.now()
    training = Training.objects.select_for_update().get(pk=training.pk)
    _check_window(training, now)
    if not rows:
        raise ValidationError("The file has no participants to import.")
    places = _places_left(training)
    if len(rows) > places and not training.waitlist_enabled:
        raise ValidationError(
            f"The file has {len(rows)} participants but only {places} of {training.capacity} places are left, "
            "and the training has no waiting list. Nothing was imported."
        )
    created = []
    for number, data in enumerate(rows, start=1):
        if not data.get("consent"):
            raise ValidationError(f"Row {number}: the participant has not consented. Nothing was imported.")
        if _email_exists(training, data.get("email", "")):
            raise ValidationError(f"Row {number}: {data['email']} is already registered. Nothing was imported.")
        registration = _new_registration(training, data, _initial_status(training, places > 0), now)
        places -= 1 if places > 0 else 0
        _after_status(registration, by=by)
        created.append(registration)
    return created


@audited_as_by
@transaction.atomic
def registration_move(
    *, registration: Registration, to: str, by: User | None, now: datetime | None = None
) -> Registration:
    """Move a registration along its allowed paths; a freed place goes to the first waitlisted."""
    now = now or timezone.now()
    training = Training.objects.select_for_update().get(pk=registration.training_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    step = REGISTRATION_WORKFLOW.between(registration.status, to)
    if step is None:
        raise ValidationError(f"A registration that is “{S(registration.status).label}” cannot become “{S(to).label}”.")
    if step.apply:
        step.apply(registration, {}, now)
    frees_place = registration.status in SEAT_STATUSES and to not in SEAT_STATUSES
    _set_status(registration, step.target, now)
    for notice in step.notifies:
        # The registration's own participant, by email (the step's notices name no other audience).
        _queue_email(registration, kind=notice.kind, key=f"{notice.kind}:{registration.pk}")
    if frees_place:
        waitlist_promote(training=training, by=by, now=now)
    return registration


@audited_as_by
def waitlist_promote(*, training: Training, by: User | None, now: datetime | None = None) -> list[Registration]:
    """Give free places to the waiting list, first come first served, and tell them. Call with the training locked."""
    now = now or timezone.now()
    if training.status not in RUNNING_STATUSES:
        return []
    promoted = []
    places = _places_left(training)
    for registration in training.registrations.waitlisted().select_for_update()[:places]:
        _set_status(registration, _initial_status(training, True), now)
        _queue_email(registration, kind="waitlist_promoted", key=f"promoted:{registration.pk}")
        promoted.append(registration)
    if promoted:
        # A count, not names: notices outlive the participants' data (see retention).
        people = "1 participant" if len(promoted) == 1 else f"{len(promoted)} participants"
        notify(
            recipients=training.trainers.all(),
            kind="training_waitlist_promoted",
            text=f"{training.title}: {people} moved up from the waiting list."[:300],
            link=training.get_absolute_url(),
            target=training,
            actor=by,
        )
    return promoted


def _after_status(registration: Registration, *, by: User | None) -> None:
    if registration.status == S.CONFIRMED:
        _queue_email(registration, kind="confirmation", key=f"confirmation:{registration.pk}")
    elif registration.status == S.WAITLISTED:
        _queue_email(registration, kind="waitlisted", key=f"waitlisted:{registration.pk}")


# Attendance ------------------------------------------------------------------------


@audited_as_by
@transaction.atomic
def attendance_set(*, registration: Registration, session: TrainingSession, present: bool, by: User) -> Registration:
    """Mark presence at one session; being present at any session makes the participant “attended”."""
    if session.training_id != registration.training_id:
        raise ValidationError("That session belongs to another training.")
    # Lock the registration only: registration_move locks the training first, then this row.
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("training").get(pk=registration.pk)
    )
    if registration.training.status == T.CANCELLED:
        raise ValidationError("The training was cancelled; attendance cannot be marked.")
    if registration.status not in ATTENDANCE_STATUSES:
        raise ValidationError(f"A registration that is “{S(registration.status).label}” has no attendance.")
    now = timezone.now()
    # Nobody can have been present at a session that has not begun; unmarking stays possible.
    if present and session.starts_at > now:
        raise ValidationError(
            f"The session starts on {timezone.localtime(session.starts_at):%d %b %Y %H:%M}; "
            "attendance can be marked once it has started."
        )
    if present:
        Attendance.objects.get_or_create(registration=registration, session=session, defaults={"marked_by": by})
    else:
        Attendance.objects.filter(registration=registration, session=session).delete()
    attended_any = registration.attendances.exists()
    if attended_any and registration.status != S.ATTENDED:
        _set_status(registration, S.ATTENDED, now)
    elif not attended_any and registration.status == S.ATTENDED:
        # A correction after the training closed leaves a no-show, as completing would have.
        completed = registration.training.status == T.COMPLETED
        _set_status(registration, S.NO_SHOW if completed else S.CONFIRMED, now)
    return registration


# Participant emails (an outbox of our own: participants are not portal users) --------

EMAIL_SUBJECTS = {
    "confirmation": "Your place is confirmed: {title}",
    "waitlisted": "You are on the waiting list: {title}",
    "waitlist_promoted": "A place is free for you: {title}",
    "reminder": "Reminder: {title} starts soon",
    "training_cancelled": "Cancelled: {title}",
}


def _queue_email(registration: Registration, *, kind: str, key: str) -> Delivery | None:
    """Email a participant through the notifications outbox, once per key. Participants are
    not portal users, so this is notify_address, not notify."""
    training = registration.training
    context = {"registration": registration, "training": training, "kind": kind, "first_session": training.starts_on}
    return notify_address(
        to=registration.email,
        subject=EMAIL_SUBJECTS[kind].format(title=training.title),
        body=render_to_string(f"trainings/email/{kind}.txt", context),
        key=f"training-{key}",
        about=registration,
    )


# Periodic jobs ---------------------------------------------------------------------


def trainings_send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Queue a reminder to each confirmed participant `reminder_days` before the first session.
    The notifications relay hands on any email the broker did not take."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    trainings = Training.objects.filter(
        status__in=[TrainingStatus.OPEN, TrainingStatus.CLOSED], starts_on__gte=today
    ).prefetch_related("trainers")
    for training in trainings:
        # The filter leaves out trainings without a start date; the check says so to the type checker.
        if training.starts_on is None or training.starts_on - timedelta(days=training.reminder_days) > today:
            continue
        with transaction.atomic():
            for registration in training.registrations.filter(status=S.CONFIRMED).select_related("training"):
                # The key makes the reminder once per registration, however often the job runs.
                queued += _queue_email(registration, kind="reminder", key=f"reminder:{registration.pk}") is not None
            notify(
                recipients=training.trainers.all(),
                kind="training_reminder",
                text=f"{training.title} starts on {training.starts_on:%d %b %Y}.",
                link=training.get_absolute_url(),
                target=training,
                dedupe_prefix=f"training-reminder:{training.pk}",
            )
    return {"reminders": queued}


def trainings_delete_personal_data(*, now: datetime | None = None) -> dict[str, Any]:
    """Blank participants' personal data of trainings past their retention date; statuses and
    attendance stay, so every count stays. JobRun (thb_portal.services) logs each run."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done, participants = [], 0
    for training in Training.objects.due_for_retention(today).order_by("pk"):
        with transaction.atomic():
            # Registrations are not audit-logged (signals), so a bulk update loses no history.
            participants += training.registrations.filter(personal_data_deleted_at__isnull=True).update(
                **dict.fromkeys(PERSONAL_FIELDS, ""), personal_data_deleted_at=now
            )
            # An update sends no post_save, and Registration feeds the figures (core.figures): the
            # rule is that a bulk write on such a model says so itself, whichever columns it sets.
            public_figures_changed()
            # The emails quote names and addresses: they go with the data.
            address_emails_delete(about=training.registrations.all())
            training.personal_data_deleted_at = now
            training.save(update_fields=["personal_data_deleted_at"])
        done.append(training.pk)
    return {"trainings": len(done), "participants": participants, "training_ids": done[:100]}


# Historical totals -----------------------------------------------------------------


@audited_as_by
@transaction.atomic
def historical_total_save(*, total: HistoricalTotal, by: User | None) -> HistoricalTotal:
    total.full_clean()
    total.save()
    return total


@audited_as_by
@transaction.atomic
def historical_total_delete(*, total: HistoricalTotal, by: User | None) -> None:
    total.delete()
