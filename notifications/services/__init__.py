"""Notifications: the one API other apps use, and the delivery machinery behind it.

    notify(recipients=[...], kind="announcement", text="...", link="/...", target=obj, actor=user)
    notify_address(to="someone@example.org", subject="...", body="...", key="...", about=obj)

notify_address is for people who are not portal users (training participants): no
in-app notice and no preferences, only the email, through the same outbox.

Call it inside the transaction of whatever caused the notice. It writes the in-app
Notification rows and, per each recipient's preference, the Delivery rows for email,
all in that transaction: if the cause rolls back, nothing is sent. After commit the
deliveries are handed to Celery in batches; if the broker is down the request still
succeeds and the periodic relay (outbox_relay) hands them over once it is back. A
delivery is sent under a row lock and marked sent in the same transaction, so a task
that runs twice sends once; failures are retried with backoff up to MAX_ATTEMPTS.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial
from smtplib import SMTPException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from core.audit import audited_as_by
from members.models import User
from notifications.kinds import EmailMode, get_kind
from notifications.models import (
    Announcement,
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

SEND_BATCH_SIZE = 100
FAN_OUT_BATCH_SIZE = 500
RELAY_LIMIT = 5000
MAX_ATTEMPTS = 6
# A delivery handed to Celery this long ago and still pending is handed over again.
STALE_ENQUEUE_AFTER = timedelta(minutes=5)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _enqueue_deliveries(delivery_ids: list[int]) -> None:
    """Hand deliveries to Celery; when the broker is down, leave them to the relay."""
    from notifications.tasks import send_deliveries_task

    for batch in _chunks(delivery_ids, SEND_BATCH_SIZE):
        try:
            send_deliveries_task.delay(batch)
        except (BrokerError, OSError):
            logger.warning("Broker unavailable; %d deliveries wait for the relay.", len(batch), exc_info=True)
            Delivery.objects.filter(pk__in=batch).update(enqueued_at=None)


def _email_modes(recipients: list[User], kind) -> dict[int, str]:
    if not kind.email_configurable:
        return {user.pk: EmailMode.IMMEDIATE for user in recipients}
    chosen = dict(
        NotificationPreference.objects.filter(user__in=recipients, kind=kind.key).values_list("user_id", "email")
    )
    return {user.pk: chosen.get(user.pk, kind.default_email) for user in recipients}


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    link: str = "",
    target=None,
    actor: User | None = None,
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
    recipients = [user for user in recipients if user.is_active and notification_kind.may_receive(user)]
    if dedupe_prefix:
        keys = {user.pk: f"{dedupe_prefix}:{user.pk}" for user in recipients}
        already = set(Notification.objects.filter(dedupe_key__in=keys.values()).values_list("dedupe_key", flat=True))
        recipients = [user for user in recipients if keys[user.pk] not in already]
    if not recipients:
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
            for user in recipients
        ]
    )
    modes = _email_modes(recipients, notification_kind)
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
        transaction.on_commit(partial(_enqueue_deliveries, email_ids), robust=True)
    return notifications


@transaction.atomic
def notify_address(*, to: str, subject: str, body: str, key: str, about=None) -> Delivery | None:
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
    transaction.on_commit(partial(_enqueue_deliveries, [delivery.pk]), robust=True)
    return delivery


def address_emails_delete(*, about) -> int:
    """Delete the emails to addresses about these records (a queryset): they quote them."""
    about_type = ContentType.objects.get_for_model(about.model)
    deleted, _ = Delivery.objects.filter(
        channel=DeliveryChannel.ADDRESS, about_type=about_type, about_id__in=about.values("pk")
    ).delete()
    return deleted


# Sending ---------------------------------------------------------------------------


def _absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.THB_PUBLIC_BASE_URL.rstrip("/") + link


def _email_link(notification: Notification) -> str:
    """The link of a notice's email: its open page (a GET that writes nothing), which marks it
    read on the way to its page, as opening it in the portal does. Empty for a notice without one."""
    if not notification.link:
        return ""
    return _absolute(notification.get_absolute_url())


def _subject(text: str) -> str:
    # One line: a header cannot carry a line break (a name typed with one must not make
    # the email unsendable, nor add a header of its own).
    return " ".join(f"[THB Portal] {text}".split())[:200]


def render_plain_text(template_name: str, context: dict) -> str:
    """A plain-text email body: HTML escaping would turn O'Neill & Sons into
    O&#x27;Neill &amp; Sons, and a text mail part is never parsed as HTML."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def _render_pair(template_base: str, fallback_base: str, context: dict) -> tuple[str, str]:
    try:
        text = render_plain_text(f"{template_base}.txt", context)
        html = render_to_string(f"{template_base}.html", context)
    except TemplateDoesNotExist:
        text = render_plain_text(f"{fallback_base}.txt", context)
        html = render_to_string(f"{fallback_base}.html", context)
    return text, html


def _message_id(delivery: Delivery) -> str:
    # Stable per delivery, so any downstream duplicate can be recognised as one.
    return f"<{delivery.key.replace(':', '.')}@thb-portal>"


def _notification_email(delivery: Delivery) -> EmailMultiAlternatives:
    notification = delivery.notification
    kind = get_kind(notification.kind)
    context = {
        "notification": notification,
        "recipient": delivery.recipient,
        "link": _email_link(notification),
        "preferences_link": _absolute(reverse("notifications:preferences")),
        "kind": kind,
    }
    if kind.email_context:
        context.update(kind.email_context(notification))
    text, html = _render_pair(f"notifications/email/{kind.key}", "notifications/email/default", context)
    message = EmailMultiAlternatives(
        subject=_subject(notification.text),
        body=text,
        to=[delivery.recipient.email],
        headers={"Message-ID": _message_id(delivery)},
    )
    message.attach_alternative(html, "text/html")
    return message


def _address_email(delivery: Delivery) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        subject=_subject(delivery.subject),
        body=delivery.body,
        to=[delivery.address],
        headers={"Message-ID": _message_id(delivery)},
    )


def _digest_items(digest: Delivery):
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


def _digest_email(digest: Delivery, items: list[Delivery]) -> EmailMultiAlternatives:
    context = {
        "recipient": digest.recipient,
        "items": [{"notification": item.notification, "link": _email_link(item.notification)} for item in items],
        "preferences_link": _absolute(reverse("notifications:preferences")),
        "inbox_link": _absolute(reverse("notifications:list")),
    }
    text, html = _render_pair("notifications/email/digest", "notifications/email/digest", context)
    count = len(items)
    message = EmailMultiAlternatives(
        subject=_subject(f"Your daily digest: {count} notice{'s' if count != 1 else ''}"),
        body=text,
        to=[digest.recipient.email],
        headers={"Message-ID": _message_id(digest)},
    )
    message.attach_alternative(html, "text/html")
    return message


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
        items = []
        if delivery.channel == DeliveryChannel.DIGEST:
            items = list(_digest_items(delivery))
            if not items:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.save(update_fields=["status"])
                return "skipped"
            Delivery.objects.filter(pk__in=[item.pk for item in items]).update(digest=delivery)
        delivery.attempts += 1
        try:
            if delivery.channel == DeliveryChannel.DIGEST:
                message = _digest_email(delivery, items)
            elif delivery.channel == DeliveryChannel.ADDRESS:
                message = _address_email(delivery)
            else:
                message = _notification_email(delivery)
            message.send()
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


# Periodic jobs ---------------------------------------------------------------------


def outbox_relay(*, now=None) -> dict:
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
        _enqueue_deliveries(due_ids)
    waiting = list(
        Announcement.objects.published()
        .filter(fanned_out_at__isnull=True, published_at__lt=now - timedelta(minutes=1))
        .values_list("pk", flat=True)
    )
    for announcement_id in waiting:
        _enqueue_fan_out(announcement_id)
    return {"deliveries": len(due_ids), "announcements": len(waiting)}


def daily_digests_send(*, now=None) -> dict:
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
        transaction.on_commit(partial(_enqueue_deliveries, digest_ids), robust=True)
    return {"digests": len(digest_ids)}


def notifications_prune(*, now=None) -> dict:
    """Delete read notices older than THB_NOTIFICATION_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.THB_NOTIFICATION_RETENTION_DAYS)
    _, per_model = Notification.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    return {"deleted": per_model.get(Notification._meta.label, 0)}


# Reading ---------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def notifications_mark_read_for_target(*, user: User, target) -> int:
    """Mark the user's notices about one object (a referral they opened) as read."""
    target_type = ContentType.objects.get_for_model(target)
    notices = Notification.objects.for_user(user).unread().filter(target_type=target_type, target_id=target.pk)
    return notices.update(read_at=timezone.now())


# Preferences -----------------------------------------------------------------------


@transaction.atomic
def preference_set(*, user: User, kind: str, email: str) -> NotificationPreference:
    notification_kind = get_kind(kind)
    if not notification_kind.may_receive(user):
        raise ValidationError(f"You do not receive “{notification_kind.label}” notices.")
    if not notification_kind.email_configurable:
        raise ValidationError(f"“{notification_kind.label}” notices are always emailed.")
    if email not in EmailMode.values:
        raise ValidationError(f"“{email}” is not an email choice.")
    preference, _ = NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
    return preference


# Announcements ---------------------------------------------------------------------


def _enqueue_fan_out(announcement_id: int) -> None:
    from notifications.tasks import announcement_fan_out_task

    try:
        announcement_fan_out_task.delay(announcement_id)
    except (BrokerError, OSError):
        logger.warning("Broker unavailable; announcement %s waits for the relay.", announcement_id, exc_info=True)


def announcement_check_audience(*, audience_all: bool, states: Iterable, roles: Iterable) -> None:
    if not audience_all and not list(states) and not list(roles):
        raise ValidationError("Choose an audience: everyone, or at least one member state or role.")


def announcement_audience(announcement: Announcement):
    users = User.objects.active().exclude(role="")
    if announcement.audience_all:
        return users
    state_ids = list(announcement.audience_states.values_list("pk", flat=True))
    role_names = list(announcement.audience_roles.values_list("name", flat=True))
    if state_ids:
        users = users.filter(member_state_id__in=state_ids)
    if role_names:
        users = users.filter(role__in=role_names)
    return users


@audited_as_by
@transaction.atomic
def announcement_publish(*, announcement: Announcement, by: User) -> Announcement:
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.is_published:
        raise ValidationError(f"“{announcement.title}” was already published.")
    announcement_check_audience(
        audience_all=announcement.audience_all,
        states=announcement.audience_states.all(),
        roles=announcement.audience_roles.all(),
    )
    announcement.published_at = timezone.now()
    announcement.published_by = by
    announcement.save(update_fields=["published_at", "published_by"])
    transaction.on_commit(partial(_enqueue_fan_out, announcement.pk), robust=True)
    return announcement


@transaction.atomic
def announcement_fan_out(*, announcement_id: int) -> int:
    """Notify the announcement's audience in batches; safe to run more than once."""
    announcement = Announcement.objects.select_for_update().filter(pk=announcement_id).first()
    if announcement is None or not announcement.is_published or announcement.fanned_out_at:
        return 0
    audience = announcement_audience(announcement).order_by("pk")
    link = reverse("notifications:announcement", args=[announcement.pk])
    prefix = f"announcement:{announcement.pk}"
    text = f"{'ALERT: ' if announcement.severity == 'alert' else ''}{announcement.title}"
    count, last_pk = 0, 0
    while batch := list(audience.filter(pk__gt=last_pk)[:FAN_OUT_BATCH_SIZE]):
        notify(
            recipients=batch,
            kind="announcement",
            text=text,
            link=link,
            target=announcement,
            actor=announcement.published_by,
            dedupe_prefix=prefix,
        )
        count += len(batch)
        last_pk = batch[-1].pk
    announcement.fanned_out_at = timezone.now()
    announcement.recipient_count = count
    announcement.save(update_fields=["fanned_out_at", "recipient_count"])
    return count
