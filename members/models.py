import unicodedata
from typing import Self

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.roles import Role  # re-exported: members.models.Role is where the apps find it


class MemberStateKind(models.TextChoices):
    CBSS_MEMBER = "cbss_member", "CBSS member state"
    EU = "eu", "European Union"
    TRM_PARTNER = "trm_partner", "TRM partner state"


class MemberStateQuerySet(models.QuerySet["MemberState"]):
    def active(self) -> Self:
        return self.filter(is_active=True)


class MemberState(models.Model):
    code = models.CharField(
        "ISO code",
        max_length=2,
        unique=True,
        help_text="ISO 3166-1 alpha-2 code in capitals (EU for the European Union).",
    )
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=MemberStateKind.choices)
    is_eu_eea = models.BooleanField(
        "EU/EEA",
        default=True,
        help_text="Personal data may go to states outside the EU/EEA only with a recorded safeguard.",
    )
    is_active = models.BooleanField(default=True)

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="memberstate_code_two_capitals"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationType(models.TextChoices):
    MINISTRY = "ministry", "Ministry"
    POLICE = "police", "Police"
    PROSECUTION = "prosecution", "Prosecution"
    LABOUR_INSPECTORATE = "labour_inspectorate", "Labour inspectorate"
    SOCIAL_SERVICES = "social_services", "Social services"
    NGO = "ngo", "NGO"
    SHELTER = "shelter", "Shelter"
    EMBASSY = "embassy", "Embassy or consulate"
    INTERNATIONAL = "international", "International organisation"
    OTHER = "other", "Other"


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    member_state = models.ForeignKey(
        MemberState,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text="Leave empty for international organisations and the CBSS Secretariat.",
    )
    type = models.CharField(max_length=30, choices=OrganisationType.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("name", "member_state", name="organisation_unique_name_per_state"),
            # NULLs are distinct in the constraint above, so stateless names need their own.
            models.UniqueConstraint(
                "name", condition=models.Q(member_state__isnull=True), name="organisation_unique_stateless_name"
            ),
        ]

    def __str__(self) -> str:
        if self.member_state is not None:
            return f"{self.name} ({self.member_state.code})"
        return self.name


class ExpertiseArea(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Roles whose members act for one member state, and so must have one.
STATE_ROLES = (Role.NCP, Role.NATIONAL_REPRESENTATIVE)
# Roles that belong to no member state.
STATELESS_ROLES = (Role.SECRETARIAT, Role.OBSERVER)


# Zero-width (non-)joiners are format characters some scripts need in names; every other
# control, format or separator character could break an email header or disguise a name.
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


def validate_one_line(value: str) -> None:
    """A name is one line of visible text: it goes into email subjects and headers."""
    for character in value:
        category = unicodedata.category(character)
        if category in ("Zl", "Zp") or (category.startswith("C") and character not in _ALLOWED_FORMAT_CHARACTERS):
            raise ValidationError(
                "Use one line of text, without line breaks, tabs or other control characters.", code="not_one_line"
            )


class UserQuerySet(models.QuerySet["User"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def with_role(self, role: str) -> Self:
        return self.filter(role=role)

    def ncps_of(self, member_state: "MemberState | int") -> Self:
        """The state's active national contact points (a MemberState or its id): who may hold its
        cases, acknowledge its referrals and decide its access requests."""
        return self.active().with_role(Role.NCP).filter(member_state=member_state)

    def invitation_pending(self) -> Self:
        return self.filter(invited_at__isnull=False, password__startswith=UNUSABLE_PASSWORD_PREFIX)


class UserManager(BaseUserManager["User"]):
    """User's manager: its rows come as a UserQuerySet. The queryset's methods are forwarded
    by hand rather than through from_queryset, whose generated base the type checker does
    not always resolve (django-stubs #2224)."""

    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def active(self) -> UserQuerySet:
        return self.get_queryset().active()

    def with_role(self, role: str) -> UserQuerySet:
        return self.get_queryset().with_role(role)

    def ncps_of(self, member_state: "MemberState | int") -> UserQuerySet:
        return self.get_queryset().ncps_of(member_state)

    def invitation_pending(self) -> UserQuerySet:
        return self.get_queryset().invitation_pending()

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email: str, password: str | None, **extra_fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        # This manager is User's alone; naming the class (not self.model) gives it its type.
        user = User(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, validators=[validate_one_line])
    role = models.CharField(max_length=30, choices=Role.choices, blank=True, db_index=True)
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    position = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    languages = models.CharField(
        max_length=200, blank=True, help_text="Working languages, for example: Estonian, English, Russian."
    )
    expertise = models.ManyToManyField(ExpertiseArea, blank=True, related_name="users")
    directory_verified_at = models.DateTimeField(
        "directory entry verified",
        null=True,
        blank=True,
        help_text="When the secretariat last confirmed this contact point's entry.",
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["member_state", "role"], name="user_state_role_idx"),
            models.Index(Lower("full_name"), name="user_full_name_lower_idx"),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=STATE_ROLES) | models.Q(member_state__isnull=False),
                name="user_state_role_has_state",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=STATELESS_ROLES) | models.Q(member_state__isnull=True),
                name="user_stateless_role_has_no_state",
            ),
        ]
        permissions = [
            ("view_directory", "Can view the expert and contact point directories"),
            ("invite_user", "Can invite users"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_absolute_url(self) -> str:
        return reverse("members:profile")

    @property
    def invitation_pending(self) -> bool:
        return self.invited_at is not None and not self.has_usable_password()


class AccessRequestKind(models.TextChoices):
    ROLE = "role", "Role or member state"
    REACTIVATION = "reactivation", "Reactivation"
    SUPERUSER = "superuser", "Superuser"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class AccessRequestQuerySet(models.QuerySet["AccessRequest"]):
    def pending(self) -> Self:
        # An open request past its expiry is expired, whether or not a job has marked it yet.
        return self.filter(status=AccessRequestStatus.PENDING, expires_at__gt=timezone.now())


class AccessRequest(models.Model):
    """A change that would open case data to someone, waiting for a second person (four-eyes).

    For a role change, role/member_state/organisation are the requested assignment; for a
    reactivation, member_state is the state whose data reopens. The change is applied only
    by services.access_request_confirm.
    """

    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_requests")
    kind = models.CharField(max_length=20, choices=AccessRequestKind.choices)
    role = models.CharField(max_length=30, choices=Role.choices, blank=True)
    member_state = models.ForeignKey(
        MemberState, on_delete=models.PROTECT, null=True, blank=True, related_name="access_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_requests_made")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "member_state", "-created_at"], name="accessrequest_open_state_idx"),
            models.Index(fields=["subject", "status"], name="accessrequest_subject_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="role") | ~models.Q(role=""), name="accessrequest_role_names_a_role"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="pending") | models.Q(decided_at__isnull=True),
                name="accessrequest_pending_is_undecided",
            ),
        ]

    def __str__(self) -> str:
        return f"Access request #{self.pk}: {self.change_text} for {self.subject.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("members:access_request_detail", args=[self.pk])

    @property
    def change_text(self) -> str:
        if self.kind == AccessRequestKind.SUPERUSER:
            return "superuser"
        if self.kind == AccessRequestKind.REACTIVATION:
            where = f" ({self.member_state.name})" if self.member_state is not None else ""
            return f"reactivation{where}"
        where = f" of {self.member_state.name}" if self.member_state is not None else ""
        return f"{Role(self.role).label}{where}"

    @property
    def is_expired(self) -> bool:
        return self.status == AccessRequestStatus.PENDING and self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == AccessRequestStatus.PENDING and not self.is_expired

    @property
    def shown_status(self) -> str:
        return AccessRequestStatus.EXPIRED.label if self.is_expired else self.get_status_display()
