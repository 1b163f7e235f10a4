"""A file of participants (a trainer's import): every row registered, or none."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by
from members.models import User
from trainings.models import Registration, Training
from trainings.services._registration_rules import (
    check_window,
    email_about_status,
    email_registered,
    initial_status,
    new_registration,
    places_left,
)


@audited_as_by
@transaction.atomic
def registrations_import(
    *, training: Training, rows: list[dict[str, Any]], by: User | None, now: datetime | None = None
) -> list[Registration]:
    """Register every row or none: any failure rolls the whole file back."""
    now = now or timezone.now()
    training = Training.objects.select_for_update().get(pk=training.pk)
    check_window(training, now)
    if not rows:
        raise ValidationError("The file has no participants to import.")
    places = places_left(training)
    if len(rows) > places and not training.waitlist_enabled:
        raise ValidationError(
            f"The file has {len(rows)} participants but only {places} of {training.capacity} places are left, "
            "and the training has no waiting list. Nothing was imported."
        )
    created = []
    for number, data in enumerate(rows, start=1):
        if not data.get("consent"):
            raise ValidationError(f"Row {number}: the participant has not consented. Nothing was imported.")
        if email_registered(training, data.get("email", "")):
            raise ValidationError(f"Row {number}: {data['email']} is already registered. Nothing was imported.")
        registration = new_registration(training, data, initial_status(training, places > 0), now)
        places -= 1 if places > 0 else 0
        email_about_status(registration, by=by)
        created.append(registration)
    return created
