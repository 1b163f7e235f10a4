"""The daily digest: one email per user with the notices they chose to get that way."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import Delivery, DeliveryChannel, DeliveryQuerySet, DeliveryStatus
from notifications.services._handover import enqueue_deliveries


def digest_items(digest: Delivery) -> DeliveryQuerySet:
    """The notices waiting for this digest: its user's, made before it, not in another digest."""
    return (
        Delivery.objects.filter(
            recipient_id=digest.recipient_id,
            channel=DeliveryChannel.DIGEST_ITEM,
            status=DeliveryStatus.PENDING,
            created_at__lt=digest.created_at,
        )
        .filter(Q(digest__isnull=True) | Q(digest=digest))
        .select_related("notification")
        .order_by("created_at", "pk")
    )


def daily_digests_send(*, now: datetime | None = None) -> dict[str, int]:
    """Create one digest delivery per user with notices waiting, and send them."""
    now = now or timezone.now()
    day = timezone.localdate(now).isoformat()
    user_ids = list(
        Delivery.objects.filter(channel=DeliveryChannel.DIGEST_ITEM, status=DeliveryStatus.PENDING, created_at__lt=now)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    keys = {user_id: f"digest:{user_id}:{day}" for user_id in user_ids}
    with transaction.atomic():
        Delivery.objects.bulk_create(
            [
                Delivery(key=keys[user_id], channel=DeliveryChannel.DIGEST, recipient_id=user_id, created_at=now)
                for user_id in user_ids
            ],
            ignore_conflicts=True,
        )
        digest_ids = list(
            Delivery.objects.filter(key__in=keys.values(), status=DeliveryStatus.PENDING).values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=digest_ids).update(enqueued_at=now)
        transaction.on_commit(partial(enqueue_deliveries, digest_ids), robust=True)
    return {"digests": len(digest_ids)}
