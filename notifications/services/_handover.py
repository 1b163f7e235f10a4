"""Handing work to Celery. When the broker is down the work stays in the outbox, and the
periodic relay (delivery.outbox_relay) hands it over once the broker is back: a request
never fails because of the broker."""

import logging
from collections.abc import Iterator

from kombu.exceptions import OperationalError as BrokerError

from notifications.models import Delivery

logger = logging.getLogger(__name__)

# Deliveries per send task: one task carries many emails, and one slow email holds up few.
SEND_BATCH_SIZE = 100


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def enqueue_deliveries(delivery_ids: list[int]) -> None:
    """Hand deliveries to Celery; when the broker is down, leave them to the relay."""
    from notifications.tasks import send_deliveries_task  # cycle: the tasks call these services

    for batch in _chunks(delivery_ids, SEND_BATCH_SIZE):
        try:
            send_deliveries_task.delay(batch)
        except (BrokerError, OSError):
            logger.warning("Broker unavailable; %d deliveries wait for the relay.", len(batch), exc_info=True)
            Delivery.objects.filter(pk__in=batch).update(enqueued_at=None)


def enqueue_fan_out(announcement_id: int) -> None:
    """Hand an announcement's fan-out to Celery; when the broker is down, the relay does it."""
    from notifications.tasks import announcement_fan_out_task  # cycle: the tasks call these services

    try:
        announcement_fan_out_task.delay(announcement_id)
    except (BrokerError, OSError):
        logger.warning("Broker unavailable; announcement %s waits for the relay.", announcement_id, exc_info=True)
