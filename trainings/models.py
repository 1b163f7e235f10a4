"""Trainings, their sessions and participants, and the totals recorded before the portal.

Participants are not portal users: they are people a trainer registers. Their personal
data (name, email, organisation, profession, gender, country) is blanked after the
training's retention date; statuses and attendance stay, so the counts stay.
"""

import datetime
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from members.models import Role


class Audience(models.TextChoices):
    CONSULAR = "consular", "Consular officials"
    JOURNALISTS = "journalists", "Journalists and media students"
    LOCAL_ACTORS = "local_actors", "Local actors and municipalities"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    LABOUR_INSPECTORS = "labour_inspectors", "Labour inspectors"
    SOCIAL_WORKERS = "social_workers", "Social workers"
    NGO_STAFF = "ngo_staff", "NGO staff"
    OTHER = "other", "Other"


class TrainingFormat(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    HYBRID = "hybrid", "Hybrid"


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open for registration"
    CLOSED = "closed", "Registration closed"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered (awaiting approval)"
    CONFIRMED = "confirmed", "Confirmed"
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"
    WAITLISTED = "waitlisted", "Waiting list"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


# The statuses that take a place: the capacity counts these.
SEAT_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
# The participants on the attendance sheet: those with a place, and those who held one and did not come.
ATTENDANCE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.NO_SHOW)


class ParticipantGender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    OTHER = "other", "Other"
    UNDISCLOSED = "undisclosed", "Prefer not to say"


class TrainingQuerySet(models.QuerySet["Training"]):
    def held(self) -> Self:
        return self.filter(status=TrainingStatus.COMPLETED)

    def due_for_retention(self, today: datetime.date) -> Self:
        return self.filter(retention_date__lt=today, personal_data_deleted_at__isnull=True)


class Training(models.Model):
    title = models.CharField(max_length=300)
    audience = models.CharField(max_length=30, choices=Audience.choices)
    format = models.CharField(max_length=20, choices=TrainingFormat.choices, default=TrainingFormat.IN_PERSON)
    member_state = models.ForeignKey(
        "members.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="trainings"
    )
    city = models.CharField(max_length=100, blank=True)
    venue = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=60, default="English")
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    waitlist_enabled = models.BooleanField(
        "waiting list", default=True, help_text="When full, new registrations join a waiting list instead of failing."
    )
    registration_opens = models.DateTimeField(null=True, blank=True)
    registration_closes = models.DateTimeField(null=True, blank=True)
    requires_approval = models.BooleanField(
        default=False, help_text="Registrations stay “registered” until a trainer confirms them."
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="trainings", limit_choices_to={"role": Role.TRAINER}
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="trainings"
    )
    status = models.CharField(max_length=20, choices=TrainingStatus.choices, default=TrainingStatus.PLANNED)
    reminder_days = models.PositiveSmallIntegerField(
        default=3, help_text="Days before the first session that confirmed participants get a reminder."
    )
    retention_date = models.DateField(
        null=True, blank=True, help_text="After this date the participants' personal data is deleted."
    )
    # Kept by the services from the sessions, so figures group by year in SQL.
    starts_on = models.DateField(null=True, blank=True, editable=False)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        permissions = [("view_all_trainings", "Can see every training and its participants")]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=models.F("registration_opens")),
                name="training_window_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_on"], name="training_status_starts_idx"),
            models.Index(fields=["retention_date"], name="training_retention_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.pk and self.capacity:
            taken = self.registrations.seated().count()
            if self.capacity < taken:
                raise ValidationError(
                    {"capacity": f"{taken} places are already taken, so the capacity cannot be lower than {taken}."}
                )

    def registration_refusal(self, now=None) -> str:
        """Why nobody can register at `now`, in words for the person trying; "" while registration is open.
        The page that says "open" and the service that registers read this one rule."""
        now = now or timezone.now()
        if self.status != TrainingStatus.OPEN:
            return f"Registration is not open: the training is “{TrainingStatus(self.status).label}”."
        if self.registration_opens and now < self.registration_opens:
            return f"Registration opens on {timezone.localtime(self.registration_opens):%d %b %Y %H:%M}."
        if self.registration_closes and now >= self.registration_closes:
            return f"Registration closed on {timezone.localtime(self.registration_closes):%d %b %Y %H:%M}."
        return ""

    def registration_is_open(self, now=None) -> bool:
        return not self.registration_refusal(now)


class TrainingUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Training, on_delete=models.CASCADE)


class TrainingGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Training, on_delete=models.CASCADE)


class TrainingSession(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.starts_at:%d %b %Y %H:%M}"


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def seated(self) -> Self:
        return self.filter(status__in=SEAT_STATUSES)

    def waitlisted(self) -> Self:
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")

    def attended(self) -> Self:
        return self.filter(status=RegistrationStatus.ATTENDED)


class Registration(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    full_name = models.CharField("name", max_length=200)
    email = models.EmailField(max_length=254)
    organisation = models.CharField(max_length=200, blank=True)
    country = CountryField(blank=True)
    profession = models.CharField(max_length=150, blank=True)
    gender = models.CharField(max_length=20, choices=ParticipantGender.choices, blank=True)
    consent = models.BooleanField(
        "consent to processing", default=False, help_text="The participant agreed to the processing of their data."
    )
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["full_name", "pk"]
        constraints = [
            # Blanked emails (after retention) are exempt, so counts survive deletion.
            models.UniqueConstraint(
                "training",
                Lower("email"),
                condition=~Q(email=""),
                name="registration_one_per_email_per_training",
            ),
            models.CheckConstraint(
                condition=Q(consent=True) | Q(personal_data_deleted_at__isnull=False),
                name="registration_has_consent",
            ),
        ]
        # The participants of a training, all or of one status, in the list's order to the
        # tie-breaker (trainings.selectors.registration_list); the status one also counts
        # them by status. The admin's changelist of everyone in the default order.
        indexes = [
            models.Index(fields=["training", "full_name", "id"], name="registration_training_list"),
            models.Index(fields=["training", "status", "full_name", "id"], name="registration_training_status"),
            models.Index(fields=["training", "created_at"], name="registration_training_created"),
            models.Index(fields=["full_name", "id"], name="registration_name_list"),
        ]

    def __str__(self) -> str:
        return self.full_name or f"Participant {self.pk} (data deleted)"


class Attendance(models.Model):
    """Presence of one participant at one session: the row exists when they were there."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    marked_at = models.DateTimeField(default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint("registration", "session", name="attendance_once_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} at {self.session_id}"


class HistoricalTotal(models.Model):
    """People trained before the portal existed, as the task force recorded them."""

    audience = models.CharField(max_length=30, choices=Audience.choices)
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990)])
    member_state = models.ForeignKey(
        "members.MemberState", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    people_trained = models.PositiveIntegerField()
    trainings_held = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "audience"]
        constraints = [
            models.UniqueConstraint("audience", "year", "member_state", name="historicaltotal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_audience_display()} {self.year}: {self.people_trained}"
