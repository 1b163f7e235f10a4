"""The rules of a registration that registering one participant and importing a file share:
the window, the places left, one registration per email, the first status and its email."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from members.models import User
from trainings.models import Registration, RegistrationStatus, Training
from trainings.services.participant_emails import queue_participant_email

# The participants still waiting for a training: a cancellation reaches them.
WAITING = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)

S = RegistrationStatus


def set_status(registration: Registration, status: str, now: datetime) -> None:
    registration.status = status
    registration.status_changed_at = now
    registration.save(update_fields=["status", "status_changed_at"])


def check_window(training: Training, now: datetime) -> None:
    if refusal := training.registration_refusal(now):
        raise ValidationError(refusal)


def places_left(training: Training) -> int:
    return max(training.capacity - training.registrations.seated().count(), 0)


def email_registered(training: Training, email: str) -> bool:
    return training.registrations.filter(email__iexact=email).exists()


def new_registration(training: Training, data: dict[str, Any], status: str, now: datetime) -> Registration:
    registration = Registration(training=training, status=status, created_at=now, status_changed_at=now, **data)
    registration.email = registration.email.strip().lower()
    registration.full_clean()
    registration.save()
    return registration


def initial_status(training: Training, has_place: bool) -> str:
    if not has_place:
        return S.WAITLISTED
    return S.REGISTERED if training.requires_approval else S.CONFIRMED


def email_about_status(registration: Registration, *, by: User | None) -> None:
    if registration.status == S.CONFIRMED:
        queue_participant_email(registration, kind="confirmation", key=f"confirmation:{registration.pk}")
    elif registration.status == S.WAITLISTED:
        queue_participant_email(registration, kind="waitlisted", key=f"waitlisted:{registration.pk}")
