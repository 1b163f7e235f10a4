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

The modules, one concern each: api (notify, notify_address, address_emails_delete),
delivery (sending, retries, the outbox relay), rendering (the emails), digest (the daily
digest), inbox (read state, preferences, pruning), announcements; _handover hands work
to Celery. Import the names from here: `from notifications.services import notify`.
"""

from notifications.services.announcements import (
    CHANGEABLE_ONCE_PUBLISHED,
    announcement_audience,
    announcement_check_audience,
    announcement_fan_out,
    announcement_publish,
    announcement_save,
)
from notifications.services.api import address_emails_delete, notify, notify_address
from notifications.services.delivery import delivery_retry, delivery_send, outbox_relay
from notifications.services.digest import daily_digests_send
from notifications.services.inbox import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_mark_read_for_target,
    notifications_prune,
    preference_set,
)
from notifications.services.rendering import render_plain_text

__all__ = [
    "CHANGEABLE_ONCE_PUBLISHED",
    "address_emails_delete",
    "announcement_audience",
    "announcement_check_audience",
    "announcement_fan_out",
    "announcement_publish",
    "announcement_save",
    "daily_digests_send",
    "delivery_retry",
    "delivery_send",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notifications_mark_read_for_target",
    "notifications_prune",
    "notify",
    "notify_address",
    "outbox_relay",
    "preference_set",
    "render_plain_text",
]
