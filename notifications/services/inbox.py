"""What becomes of a user's notices: read state, email preferences, and the pruning of
notices read long ago."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from core.types import PortalUser
from notifications.kinds import EmailMode, get_kind
from notifications.models import Notification, NotificationPreference


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: PortalUser) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def notifications_mark_read_for_target(*, user: PortalUser, target: Model) -> int:
    """Mark the user's notices about one object (a referral they opened) as read."""
    target_type = ContentType.objects.get_for_model(target)
    notices = Notification.objects.for_user(user).unread().filter(target_type=target_type, target_id=target.pk)
    return notices.update(read_at=timezone.now())


def notifications_prune(*, now: datetime | None = None) -> dict[str, int]:
    """Delete read notices older than THB_NOTIFICATION_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.THB_NOTIFICATION_RETENTION_DAYS)
    _, per_model = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return {"deleted": per_model.get(Notification._meta.label, 0)}


@transaction.atomic
def preference_set(*, user: PortalUser, kind: str, email: str) -> NotificationPreference:
    notification_kind = get_kind(kind)
    if not notification_kind.may_receive(user):
        raise ValidationError(f"You do not receive “{notification_kind.label}” notices.")
    if not notification_kind.email_configurable:
        raise ValidationError(f"“{notification_kind.label}” notices are always emailed.")
    if email not in EmailMode.values:
        raise ValidationError(f"“{email}” is not an email choice.")
    preference, _ = NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
    return preference
