"""Announcements: saved and published by the secretariat, fanned out as notices."""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from core.types import PortalUser
from notifications.models import Announcement, AnnouncementSeverity
from notifications.services._handover import enqueue_fan_out
from notifications.services.api import notify

FAN_OUT_BATCH_SIZE = 500
# What was sent cannot be rewritten afterwards; only its end date can change.
CHANGEABLE_ONCE_PUBLISHED = ("expires_at",)


def announcement_check_audience(*, audience_all: bool, states: Iterable[Model], roles: Iterable[Model]) -> None:
    if not audience_all and not list(states) and not list(roles):
        raise ValidationError("Choose an audience: everyone, or at least one member state or role.")


def announcement_audience(announcement: Announcement) -> QuerySet[PortalUser]:
    users = get_user_model().objects.active().exclude(role="")
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
def announcement_save(
    *,
    announcement: Announcement,
    data: dict[str, Any],
    m2m: dict[str, Any] | None = None,
    by: PortalUser,
) -> Announcement:
    """Create an announcement, or change one, from the admin's form.

    `data` holds the fields to set (on a change, those that changed) and `m2m` the audience's
    member states and roles to set. A published one may only get another end date; publishing
    is announcement_publish's.
    """
    m2m = m2m or {}
    created = announcement.pk is None
    # Read under the lock announcement_publish takes: the form may have been opened before it ran.
    published = (
        not created
        and Announcement.objects.select_for_update().filter(pk=announcement.pk, published_at__isnull=False).exists()
    )
    if published and (set(data) | set(m2m)) - set(CHANGEABLE_ONCE_PUBLISHED):
        raise ValidationError(f"“{announcement.title}” was published: only its end date can change.")
    announcement_check_audience(
        audience_all=data.get("audience_all", announcement.audience_all),
        states=m2m.get("audience_states", [] if created else announcement.audience_states.all()),
        roles=m2m.get("audience_roles", [] if created else announcement.audience_roles.all()),
    )
    if created:
        for name, value in data.items():
            setattr(announcement, name, value)
        announcement.created_by = by
        announcement.full_clean()
        announcement.save()
    else:
        update_fields(announcement, data)
    for name, values in m2m.items():
        getattr(announcement, name).set(values)
    return announcement


@audited_as_by
@transaction.atomic
def announcement_publish(*, announcement: Announcement, by: PortalUser) -> Announcement:
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
    transaction.on_commit(partial(enqueue_fan_out, announcement.pk), robust=True)
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
    text = f"{'ALERT: ' if announcement.severity == AnnouncementSeverity.ALERT else ''}{announcement.title}"
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
