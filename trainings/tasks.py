from celery import shared_task
from django.db import DatabaseError

from trainings import services


# Idempotent: the email's row lock and status make a redelivered task send nothing.
@shared_task(autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_participant_email_task(email_id: int) -> str:
    return services.participant_email_send(email_id=email_id)
