"""The daily reminder job: participants and trainers are reminded before a training starts."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from notifications.services import notify
from trainings.models import RegistrationStatus, Training, TrainingStatus
from trainings.services.participant_emails import queue_participant_email

S = RegistrationStatus


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
                queued += (
                    queue_participant_email(registration, kind="reminder", key=f"reminder:{registration.pk}")
                    is not None
                )
            notify(
                recipients=training.trainers.all(),
                kind="training_reminder",
                text=f"{training.title} starts on {training.starts_on:%d %b %Y}.",
                link=training.get_absolute_url(),
                target=training,
                dedupe_prefix=f"training-reminder:{training.pk}",
            )
    return {"reminders": queued}
