import logging

from celery import shared_task
from django.db import DatabaseError

from notifications import services

logger = logging.getLogger(__name__)

# Deliveries are idempotent (row lock + status), so a redelivered task is harmless;
# acks_late and reject_on_worker_lost (settings) make a killed worker's task run again.
RETRY_OPTIONS = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@shared_task(**RETRY_OPTIONS)
def send_deliveries_task(delivery_ids: list[int]) -> dict:
    outcomes: dict[str, int] = {}
    for delivery_id in delivery_ids:
        try:
            outcome = services.delivery_send(delivery_id=delivery_id)
        except DatabaseError:
            raise  # the whole batch is retried; deliveries already sent are skipped then
        except Exception:
            # delivery_send fails a bad email itself; whatever still escapes must not hold
            # up the rest of the batch (nor, with eager Celery, the request that sent it).
            logger.exception("Delivery %s raised; the relay will hand it over again.", delivery_id)
            outcome = "error"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(**RETRY_OPTIONS)
def announcement_fan_out_task(announcement_id: int) -> int:
    return services.announcement_fan_out(announcement_id=announcement_id)
