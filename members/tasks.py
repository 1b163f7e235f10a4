from celery import shared_task

from members.services import invitation_email_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=600, max_retries=8)
def send_invitation_email_task(user_id: int) -> None:
    invitation_email_send(user_id=user_id)
