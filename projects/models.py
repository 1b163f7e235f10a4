import datetime
from decimal import Decimal
from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.visibility import Visibility

# Addresses of the project lists, which a project's /projects/<slug>/ must not shadow.
RESERVED_SLUGS = {"psf", "all"}


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"


class FundingSource(models.TextChoices):
    PSF = "psf", "CBSS Project Support Facility"
    EU = "eu", "European Union"
    NATIONAL = "national", "National funding"
    OTHER = "other", "Other"


class ProjectQuerySet(models.QuerySet["Project"]):
    def public(self) -> Self:
        return self.filter(visibility=Visibility.PUBLIC)

    def ongoing(self, today: datetime.date | None = None) -> Self:
        """Ongoing by its dates: started and not ended. The stored status only fills in a date
        that is not known (no start date: "ongoing" says it started; no end date: "completed"
        says it ended)."""
        today = today or timezone.localdate()
        started = Q(start_date__lte=today) | Q(start_date__isnull=True, status=ProjectStatus.ONGOING)
        not_ended = Q(end_date__gte=today) | Q(end_date__isnull=True) & ~Q(status=ProjectStatus.COMPLETED)
        return self.filter(started & not_ended)

    def psf(self) -> Self:
        return self.filter(funding_source=FundingSource.PSF)


class Project(models.Model):
    title = models.CharField(max_length=300)
    acronym = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=200, unique=True, help_text="The project's web address: /projects/<slug>/.")
    summary = models.CharField(max_length=500, help_text="One or two sentences, shown in lists and search engines.")
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices)
    budget = models.DecimalField(
        "budget (EUR)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    co_financing = models.DecimalField(
        "co-financing (EUR)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    lead_organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="led_projects"
    )
    partner_organisations = models.ManyToManyField("members.Organisation", blank=True, related_name="partner_projects")
    partner_states = models.ManyToManyField(
        "members.MemberState", blank=True, related_name="projects", verbose_name="partner member states"
    )
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.DRAFT,
        help_text="Change it with the Publish and Unpublish actions of the project list.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [
            models.Index(fields=["visibility", "status", "-start_date"], name="project_visible_status_idx"),
            models.Index(fields=["visibility", "funding_source", "-start_date"], name="project_visible_funding_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(co_financing__isnull=True) | Q(co_financing__gte=0),
                name="project_co_financing_not_negative",
            ),
        ]
        permissions = [("view_draft_project", "Can see draft projects")]

    def __str__(self) -> str:
        return f"{self.acronym}: {self.title}" if self.acronym else self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.slug])

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is the address of a project list; choose another."})

    def current_status(self, today=None) -> str:
        """The status its dates give (see ProjectQuerySet.ongoing); the stored one where a date is missing."""
        today = today or timezone.localdate()
        if self.end_date and self.end_date < today:
            return ProjectStatus.COMPLETED
        if self.start_date and self.start_date > today:
            return ProjectStatus.PLANNED
        if self.start_date and not (self.end_date is None and self.status == ProjectStatus.COMPLETED):
            return ProjectStatus.ONGOING
        if self.end_date and self.status == ProjectStatus.PLANNED:
            return ProjectStatus.PLANNED
        return self.status

    @property
    def status_label(self) -> str:
        return ProjectStatus(self.current_status()).label

    @property
    def is_psf(self) -> bool:
        return self.funding_source == FundingSource.PSF
