"""BSR-TRM referrals: a case referred, with consent, from one member state to another.

The receiving state sees only what the referral shares: the snapshot frozen at
sending, the timeline, the messages and the documents, never the sending state's
case file. Every step is an immutable ReferralEvent both sides see.
"""

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases.models import DataCategory
from core.fields import EncryptedJSONField, EncryptedTextField
from core.labels import field_label


class Purpose(models.TextChoices):
    RETURN = "return", "Return to the country of origin"
    ASSISTANCE = "assistance", "Assistance in the receiving state"
    TRACING = "tracing", "Information or family tracing"
    PROCEEDINGS = "proceedings", "Support in criminal or civil proceedings"


# The consent purpose a referral purpose relies on (cases.models.ConsentPurpose).
CONSENT_PURPOSE_FOR: dict[str, str] = {
    Purpose.RETURN: "return",
    Purpose.ASSISTANCE: "assistance",
    Purpose.TRACING: "data_sharing",
    Purpose.PROCEEDINGS: "data_sharing",
}


class Urgency(models.TextChoices):
    URGENT = "urgent", "Urgent"
    NORMAL = "normal", "Normal"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn by the sender"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    REFERRED_ONWARD = "referred_onward", "Referred onward"


ENDED_STATUSES = (
    ReferralStatus.CLOSED,
    ReferralStatus.DECLINED,
    ReferralStatus.WITHDRAWN,
    ReferralStatus.CONSENT_WITHDRAWN,
    ReferralStatus.REFERRED_ONWARD,
)


class Safeguard(models.TextChoices):
    ADEQUACY = "adequacy", "Adequacy decision"
    CLAUSES = "clauses", "Standard contractual clauses or another agreement"
    EXPLICIT_CONSENT = "explicit_consent", "Explicit consent to this transfer, informed of the risks"
    VITAL_INTERESTS = "vital_interests", "Vital interests of the person"


class Service(models.TextChoices):
    ACCOMMODATION = "accommodation", "Safe accommodation"
    MEDICAL = "medical", "Medical care"
    PSYCHOLOGICAL = "psychological", "Psychological support"
    LEGAL = "legal", "Legal counselling"
    RECEPTION = "reception", "Reception on arrival"
    REINTEGRATION = "reintegration", "Reintegration support"
    FAMILY_TRACING = "family_tracing", "Family tracing"
    OTHER = "other", "Other"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def overdue(self, now: datetime.datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.filter(status=ReferralStatus.SENT, ack_deadline__lt=now)

    def with_overdue_flag(self, now: datetime.datetime | None = None) -> Self:
        now = now or timezone.now()
        return self.annotate(
            is_overdue=models.ExpressionWrapper(
                Q(status=ReferralStatus.SENT, ack_deadline__lt=now), output_field=models.BooleanField()
            )
        )


# What the sending state chooses in a draft and may change until it is sent; the case, the
# states and the reference stay.
DRAFT_FIELDS = (
    "receiving_state",
    "purpose",
    "urgency",
    "requested_services",
    "consent",
    "shared_categories",
    "safeguard",
    "safeguard_note",
    "note",
)


class Referral(models.Model):
    reference = models.CharField(max_length=40, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    sending_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="+")
    receiving_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="+")
    sending_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    receiving_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    receiving_alternate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    requested_services = models.JSONField(default=list, blank=True)
    consent = models.ForeignKey("cases.Consent", on_delete=models.PROTECT, related_name="referrals")
    shared_categories = models.JSONField(default=list, help_text="cases.models.DataCategory values shared.")
    safeguard = models.CharField("transfer safeguard", max_length=20, choices=Safeguard.choices, blank=True)
    safeguard_note = models.TextField(blank=True)
    note = EncryptedTextField("note to the receiving state", blank=True)
    # Frozen at sending: exactly the shared categories, as they were then. Encrypted.
    snapshot = EncryptedJSONField(null=True, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    ack_deadline = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    receiving_access_revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("view_referral_statistics", "Can view anonymised referral statistics")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sending_state=models.F("receiving_state")), name="referral_between_two_states"
            ),
        ]
        indexes = [
            # One side's state and a status: the inbox's and outbox's status filters, and the
            # dashboard's count of what waits (referrals.selectors).
            models.Index(fields=["receiving_state", "status", "-created_at"], name="referral_inbox_idx"),
            models.Index(fields=["sending_state", "status", "-created_at"], name="referral_outbox_idx"),
            # The dashboard's work queue: each step's referrals of one side's state, in the order
            # they wait (referrals.selectors._work_order), so its first rows are read, not sorted.
            # Partial: each holds only the rows in the status its step acts on.
            *(
                models.Index(fields=fields, condition=Q(status=status), name=f"referral_wait_{status}")
                for status, fields in [
                    (ReferralStatus.DRAFT, ["sending_state", "created_at", "id"]),
                    (ReferralStatus.SENT, ["receiving_state", "ack_deadline", "sent_at", "id"]),
                    (ReferralStatus.ACKNOWLEDGED, ["receiving_state", "acknowledged_at", "id"]),
                    (ReferralStatus.ACCEPTED, ["receiving_state", "accepted_at", "id"]),
                    (ReferralStatus.IN_PROGRESS, ["receiving_state", "accepted_at", "id"]),
                    (ReferralStatus.COMPLETED, ["sending_state", "completed_at", "id"]),
                ]
            ),
            # The inbox and outbox pages and the admin's changelist, each in its order to the
            # tie-breaker (tests/referrals/test_list_indexes.py).
            models.Index(fields=["receiving_state", "-sent_at", "-id"], name="referral_inbox_list_idx"),
            models.Index(fields=["sending_state", "-created_at", "-id"], name="referral_outbox_list_idx"),
            models.Index(fields=["-created_at", "-id"], name="referral_created_list_idx"),
            models.Index(fields=["status", "ack_deadline"], name="referral_deadline_idx"),
            models.Index(fields=["status", "ended_at"], name="referral_ended_idx"),
            # Statistics of one year of sending (their period).
            models.Index(fields=["sent_at"], name="referral_sent_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    def get_requested_services_display(self) -> list[str]:
        # Labels, never the stored codes ("accommodation").
        return [Service(code).label for code in self.requested_services if code in Service.values]

    def get_shared_categories_display(self) -> list[str]:
        return [DataCategory(code).label for code in self.shared_categories if code in DataCategory.values]

    @property
    def is_overdue_now(self) -> bool:
        return (
            self.status == ReferralStatus.SENT and self.ack_deadline is not None and self.ack_deadline < timezone.now()
        )


class ReferralUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class ReferralGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class Side(models.TextChoices):
    SENDING = "sending", "Sending state"
    RECEIVING = "receiving", "Receiving state"
    PORTAL = "portal", "The portal"


class EventKind(models.TextChoices):
    SENT = "sent", "Sent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
    REFERRED_ONWARD = "referred_onward", "Referred onward"
    OVERDUE = "overdue", "Acknowledgement overdue"
    ACCESS_REVOKED = "access_revoked", "Receiving state's access ended"


class ReferralEvent(models.Model):
    """One step of the timeline. Immutable: written once, never changed or deleted."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    side = models.CharField(max_length=10, choices=Side.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The step's own data (contacts, reception plan, reason, arrival). Encrypted.
    data = EncryptedJSONField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Every step happens at most once per referral: the database backs up the row lock.
            models.UniqueConstraint("referral", "kind", name="referral_event_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Referral events are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Referral events are immutable.")

    def data_items(self) -> list[tuple[str, str]]:
        """The step's recorded data as (label, value) pairs, empty values left out."""
        return [(field_label(name), str(value)) for name, value in (self.data or {}).items() if value]


class ReferralDocument(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to="referrals/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("referrals:document_download", args=[self.referral_id, self.pk])


class ReferralMessage(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    side = models.CharField(max_length=10, choices=Side.choices)
    body = EncryptedTextField()
    attachment = models.OneToOneField(
        ReferralDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="message"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} on {self.referral_id}"
