"""The API other apps use: a notice to users, an email to someone who is not one, and the
deletion of such emails with the record they are about (see the package's docstring)."""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from core.types import PortalUser
from notifications.kinds import EmailMode, NotificationKind, get_kind
from notifications.models import Delivery, DeliveryChannel, Notification, NotificationPreference
from notifications.services._handover import enqueue_deliveries


def _email_modes(recipients: list[PortalUser], kind: NotificationKind) -> dict[int, str]:
    if not kind.email_configurable:
        return {user.pk: EmailMode.IMMEDIATE for user in recipients}
    chosen = dict(
        NotificationPreference.objects.filter(user__in=recipients, kind=kind.key).values_list("user_id", "email")
    )
    return {user.pk: chosen.get(user.pk, kind.default_email) for user in recipients}


@transaction.atomic
def notify(
    *,
    recipients: Iterable[PortalUser],
    kind: str,
    text: str,
    link: str = "",
    target: Model | None = None,
    actor: PortalUser | None = None,
    dedupe_prefix: str | None = None,
) -> list[Notification]:
    """Notify each recipient allowed to receive `kind`; returns the notices created.

    With `dedupe_prefix`, a recipient already notified under that prefix is skipped,
    which makes a repeated fan-out harmless.
    """
    notification_kind = get_kind(kind)
    text = text.strip()
    if not text:
        raise ValueError("A notification needs a text.")
    receiving = [user for user in recipients if user.is_active and notification_kind.may_receive(user)]
    if dedupe_prefix:
        keys = {user.pk: f"{dedupe_prefix}:{user.pk}" for user in receiving}
        already = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        receiving = [user for user in receiving if keys[user.pk] not in already]
    if not receiving:
        return []
    now = timezone.now()
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                actor=actor,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                text=text[:300],
                link=link,
                dedupe_key=f"{dedupe_prefix}:{user.pk}" if dedupe_prefix else None,
                created_at=now,
            )
            for user in receiving
        ]
    )
    modes = _email_modes(receiving, notification_kind)
    deliveries = []
    for notification in notifications:
        mode = modes[notification.recipient_id]
        if mode == EmailMode.IMMEDIATE:
            channel, key = DeliveryChannel.EMAIL, f"email:{notification.pk}"
        elif mode == EmailMode.DIGEST:
            channel, key = DeliveryChannel.DIGEST_ITEM, f"digest-item:{notification.pk}"
        else:
            continue
        deliveries.append(
            Delivery(
                key=key,
                channel=channel,
                recipient_id=notification.recipient_id,
                notification=notification,
                created_at=now,
                next_attempt_at=now,
                enqueued_at=now if channel == DeliveryChannel.EMAIL else None,
            )
        )
    deliveries = Delivery.objects.bulk_create(deliveries)
    email_ids = [d.pk for d in deliveries if d.channel == DeliveryChannel.EMAIL]
    if email_ids:
        transaction.on_commit(partial(enqueue_deliveries, email_ids), robust=True)
    return notifications


@transaction.atomic
def notify_address(*, to: str, subject: str, body: str, key: str, about: Model | None = None) -> Delivery | None:
    """Email someone who is not a portal user, once per `key`; returns the new delivery, or
    None when that key was already used (so a repeated call sends nothing more).

    `about` is the record the email concerns: address_emails_delete(about=...) removes the
    emails, with the personal data they carry, when that record's data goes.
    """
    validate_email(to)
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    delivery, created = Delivery.objects.get_or_create(
        key=key,
        defaults={
            "channel": DeliveryChannel.ADDRESS,
            "address": to,
            # One line: a header cannot carry a line break.
            "subject": " ".join(subject.split())[:200],
            "body": body,
            "about_type": about_type,
            "about_id": about.pk if about is not None else None,
            "enqueued_at": timezone.now(),
        },
    )
    if not created:
        return None
    transaction.on_commit(partial(enqueue_deliveries, [delivery.pk]), robust=True)
    return delivery


def address_emails_delete(*, about: QuerySet[Any]) -> int:
    """Delete the emails to addresses about these records (a queryset): they quote them."""
    about_type = ContentType.objects.get_for_model(about.model)
    deleted, _ = Delivery.objects.filter(
        channel=DeliveryChannel.ADDRESS, about_type=about_type, about_id__in=about.values("pk")
    ).delete()
    return deleted
