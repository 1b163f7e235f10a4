"""Sending the outbox: one delivery at most once, retries with backoff, and the relay that
hands over what Celery does not have (the broker was down, a worker was lost)."""

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import Announcement, Delivery, DeliveryChannel, DeliveryStatus
from notifications.services._handover import enqueue_deliveries, enqueue_fan_out
from notifications.services.digest import digest_items
from notifications.services.rendering import address_email, digest_email, notification_email

logger = logging.getLogger(__name__)

RELAY_LIMIT = 5000
MAX_ATTEMPTS = 6
# A delivery handed to Celery this long ago and still pending is handed over again.
STALE_ENQUEUE_AFTER = timedelta(minutes=5)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60 * 2 ** (attempts - 1), 3600))


def _delivery_fail_now(delivery: Delivery, error: Exception) -> str:
    """A delivery that can never be sent as it is (a bad header, a template error) is
    failed at once, for the secretariat to see, instead of being retried for ever and
    holding up the rest of its batch."""
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    delivery.enqueued_at = None
    delivery.status = DeliveryStatus.FAILED
    delivery.save(update_fields=["attempts", "last_error", "enqueued_at", "status"])
    logger.error("Delivery %s cannot be sent: %s", delivery.key, delivery.last_error)
    return "failed"


def _email(delivery: Delivery, items: list[Delivery]) -> EmailMultiAlternatives:
    if delivery.channel == DeliveryChannel.DIGEST:
        return digest_email(delivery, items)
    if delivery.channel == DeliveryChannel.ADDRESS:
        return address_email(delivery)
    return notification_email(delivery)


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery at most once; returns what happened, for logs and tests.

    It never raises for the email itself: a transient failure (the SMTP server, the
    network) is retried with backoff, anything else fails the delivery at once. Only a
    database error propagates, for the task to retry.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("notification", "recipient")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return "not pending"
        now = timezone.now()
        if delivery.recipient is not None and not delivery.recipient.is_active:
            delivery.status = DeliveryStatus.SKIPPED
            delivery.save(update_fields=["status"])
            return "skipped"
        items: list[Delivery] = []
        if delivery.channel == DeliveryChannel.DIGEST:
            items = list(digest_items(delivery))
            if not items:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.save(update_fields=["status"])
                return "skipped"
            Delivery.objects.filter(pk__in=[item.pk for item in items]).update(digest=delivery)
        delivery.attempts += 1
        try:
            _email(delivery, items).send()
        except DatabaseError:
            raise
        except (SMTPException, OSError) as error:
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            delivery.enqueued_at = None
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = now + _backoff(delivery.attempts)
            delivery.save(update_fields=["attempts", "last_error", "enqueued_at", "status", "next_attempt_at"])
            logger.warning("Delivery %s failed (attempt %d): %s", delivery.key, delivery.attempts, error)
            return "failed" if delivery.status == DeliveryStatus.FAILED else "retry"
        except Exception as error:  # BadHeaderError, ValueError, a template error: nothing a retry mends
            return _delivery_fail_now(delivery, error)
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.save(update_fields=["attempts", "status", "sent_at"])
        if items:
            Delivery.objects.filter(pk__in=[item.pk for item in items]).update(status=DeliveryStatus.SENT, sent_at=now)
        return "sent"


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> Delivery:
    """Give a failed delivery a fresh set of attempts (the secretariat's admin action)."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError(f"Only failed deliveries can be retried; {delivery.key} is {delivery.status}.")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.enqueued_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "enqueued_at"])
    return delivery


def outbox_relay(*, now: datetime | None = None) -> dict[str, int]:
    """Hand pending work that is not with Celery (broker was down, worker lost) to Celery."""
    now = now or timezone.now()
    due_ids = list(
        Delivery.objects.due(now)
        .filter(channel__in=[DeliveryChannel.EMAIL, DeliveryChannel.DIGEST, DeliveryChannel.ADDRESS])
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - STALE_ENQUEUE_AFTER))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:RELAY_LIMIT]
    )
    if due_ids:
        Delivery.objects.filter(pk__in=due_ids).update(enqueued_at=now)
        enqueue_deliveries(due_ids)
    waiting = list(
        Announcement.objects.published()
        .filter(fanned_out_at__isnull=True, published_at__lt=now - timedelta(minutes=1))
        .values_list("pk", flat=True)
    )
    for announcement_id in waiting:
        enqueue_fan_out(announcement_id)
    return {"deliveries": len(due_ids), "announcements": len(waiting)}
