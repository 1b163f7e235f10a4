"""The nightly retention job: participants' personal data goes after the training's retention date."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.figures import public_figures_changed
from notifications.services import address_emails_delete
from trainings.models import Training

PERSONAL_FIELDS = ("full_name", "email", "organisation", "country", "profession", "gender")


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
