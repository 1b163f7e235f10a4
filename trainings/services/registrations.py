"""One participant's registration: registering, moving along its allowed paths, the waiting
list moving up, and attendance at the sessions."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from members.models import User
from notifications.services import address_emails_delete, notify
from trainings.models import (
    ATTENDANCE_STATUSES,
    SEAT_STATUSES,
    Attendance,
    Registration,
    RegistrationStatus,
    Training,
    TrainingSession,
    TrainingStatus,
)
from trainings.services._registration_rules import (
    check_window,
    email_about_status,
    email_registered,
    initial_status,
    new_registration,
    places_left,
    set_status,
)
from trainings.services.participant_emails import queue_participant_email
from trainings.workflow import REGISTRATION_WORKFLOW, RUNNING_STATUSES

S = RegistrationStatus
T = TrainingStatus


def allowed_moves(registration: Registration) -> list[str]:
    """The statuses a registration may be moved to now (trainings.workflow)."""
    return REGISTRATION_WORKFLOW.targets(registration.status)


@audited_as_by
@transaction.atomic
def registration_register(
    *, training: Training, data: dict[str, Any], by: User | None, now: datetime | None = None
) -> Registration:
    """Register one participant: a place if there is one, else the waiting list, else a clear refusal."""
    now = now or timezone.now()
    # Locking the training serialises the capacity check: two last places cannot both be given.
    training = Training.objects.select_for_update().get(pk=training.pk)
    check_window(training, now)
    if not data.get("consent"):
        raise ValidationError("The participant must consent to the processing of their data.")
    if email_registered(training, data.get("email", "")):
        raise ValidationError(f"{data['email']} is already registered for this training.")
    has_place = places_left(training) > 0
    if not has_place and not training.waitlist_enabled:
        raise ValidationError(f"The training is full ({training.capacity} places) and has no waiting list.")
    registration = new_registration(training, data, initial_status(training, has_place), now)
    email_about_status(registration, by=by)
    return registration


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
    set_status(registration, step.target, now)
    for notice in step.notifies:
        # The registration's own participant, by email (the step's notices name no other audience).
        queue_participant_email(registration, kind=notice.kind, key=f"{notice.kind}:{registration.pk}")
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
    places = places_left(training)
    for registration in training.registrations.waitlisted().select_for_update()[:places]:
        set_status(registration, initial_status(training, True), now)
        queue_participant_email(registration, kind="waitlist_promoted", key=f"promoted:{registration.pk}")
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
        set_status(registration, S.ATTENDED, now)
    elif not attended_any and registration.status == S.ATTENDED:
        # A correction after the training closed leaves a no-show, as completing would have.
        completed = registration.training.status == T.COMPLETED
        set_status(registration, S.NO_SHOW if completed else S.CONFIRMED, now)
    return registration


# What a participant told about themselves, which the secretariat may correct (a misspelt
# name, a new address). The status moves only by registration_move; the consent only the
# participant gives.
PARTICIPANT_DETAILS = ("full_name", "email", "organisation", "country", "profession", "gender")


@audited_as_by
@transaction.atomic
def registration_update_details(*, registration: Registration, data: dict[str, Any], by: User | None) -> Registration:
    """Correct a participant's details; one registration per email stays the rule (a constraint)."""
    if unknown := set(data) - set(PARTICIPANT_DETAILS):
        raise ValueError(f"Not a participant's detail: {', '.join(sorted(unknown))}.")
    if registration.personal_data_deleted_at is not None:
        raise ValidationError("This participant's personal data was deleted after the retention date.")
    if "email" in data:
        data = {**data, "email": str(data["email"]).strip().lower()}
        if refusal := participant_email_refusal(registration, data["email"]):
            raise ValidationError({"email": refusal})
    return update_fields(registration, data)


def participant_email_refusal(registration: Registration, email: str) -> str:
    """Why `email` cannot be this participant's (one registration per email and training), or ""."""
    others = Registration.objects.filter(training_id=registration.training_id).exclude(pk=registration.pk)
    if others.filter(email__iexact=email.strip()).exists():
        return f"{email.strip()} is already registered for this training."
    return ""


@audited_as_by
@transaction.atomic
def registration_delete(*, registration: Registration, by: User | None, now: datetime | None = None) -> None:
    """Remove a participant (registered by mistake, or asked to be forgotten): the emails about
    them go too, and a place they held goes to the waiting list."""
    training = Training.objects.select_for_update().get(pk=registration.training_id)
    held_a_place = registration.status in SEAT_STATUSES
    address_emails_delete(about=Registration.objects.filter(pk=registration.pk))
    registration.delete()
    if held_a_place:
        waitlist_promote(training=training, by=by, now=now)
