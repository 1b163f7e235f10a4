import datetime
from typing import Self

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.types import PortalUser
from notifications.kinds import KINDS, EmailMode


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def for_user(self, user: PortalUser) -> Self:
        return self.filter(recipient=user)


class Notification(models.Model):
    """An in-app notice. Email goes out through its Delivery rows."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # Validated against the kinds' registry (notifications.kinds) in the services, not as
    # choices, so that adding a kind needs no migration.
    kind = models.CharField(max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=500, blank=True)
    # Makes a fan-out that runs twice create each notice once.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["target_type", "target_id"], name="notification_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} for {self.recipient_id}: {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def kind_label(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.label if kind else self.kind


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=50)
    email = models.CharField(max_length=20, choices=EmailMode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "kind", name="notification_preference_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.email}"


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", "Email"
    DIGEST_ITEM = "digest_item", "Waiting for the digest"
    DIGEST = "digest", "Digest email"
    ADDRESS = "address", "Email to someone who is not a user"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def due(self, now: datetime.datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


class Delivery(models.Model):
    """One email to send, written in the same transaction as its cause (the outbox).

    `key` is unique per (notification, channel), per (user, digest day), or given by the
    caller for an email to an address (notify_address), so a task delivered twice finds
    the row already sent and sends nothing.
    """

    key = models.CharField(max_length=120, unique=True)
    channel = models.CharField(max_length=20, choices=DeliveryChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    # An email to someone who is not a portal user (a training participant, say): written in
    # full by the caller, as there is no notice or preference behind it.
    address = models.EmailField(max_length=254, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    # What the email is about, so the data it carries can be deleted with that record.
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        limit_choices_to={"channel": "digest"},
    )
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["channel", "next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
            models.Index(fields=["status", "-created_at"], name="delivery_status_idx"),
            models.Index(fields=["about_type", "about_id"], name="delivery_about_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(address=""), name="delivery_has_someone_to_reach"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class AnnouncementSeverity(models.TextChoices):
    INFO = "info", "Information"
    ALERT = "alert", "Alert: coordinated response needed"


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def published(self) -> Self:
        return self.filter(published_at__isnull=False)

    def current(self, now: datetime.datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.published().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Announcement(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()
    severity = models.CharField(max_length=10, choices=AnnouncementSeverity.choices, default=AnnouncementSeverity.INFO)
    audience_all = models.BooleanField(
        "everyone", default=False, help_text="Send to every user. Otherwise choose member states and/or roles."
    )
    audience_states = models.ManyToManyField(
        "members.MemberState", blank=True, related_name="+", verbose_name="member states"
    )
    audience_roles = models.ManyToManyField(
        Group,
        blank=True,
        related_name="+",
        verbose_name="roles",
        limit_choices_to={"name__in": Role.values},  # the role groups, not the state teams
    )
    expires_at = models.DateTimeField(
        "show until", null=True, blank=True, help_text="Dashboards stop showing it after this time."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
