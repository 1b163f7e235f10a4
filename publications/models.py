import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Self

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.languages import LANGUAGE_NAMES, LANGUAGES
from core.visibility import Visibility
from publications.indexes import NullsLastIndex
from publications.search import PostgresSearchDocument

# /library/feed/... are the feeds; a publication's /library/<slug>/ must not look like them.
RESERVED_SLUGS = {"feed"}


class PublicationType(models.TextChoices):
    ROUND_UP_REPORT = "round_up_report", "Round-up report"
    STUDY = "study", "Study"
    GUIDELINES = "guidelines", "Guidelines"
    HANDBOOK = "handbook", "Handbook"
    ARTICLE = "article", "Article"
    MANDATE = "mandate", "Mandate or policy document"
    NEWSLETTER = "newsletter", "Newsletter"
    OTHER = "other", "Other"


class Audience(models.Model):
    """Who a publication is written for. Rows come from a data migration."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """What a publication is about. Rows come from a data migration."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


def validate_isbn(value: str) -> None:
    """An ISBN-10 or ISBN-13 with a correct check digit; hyphens and spaces allowed."""
    digits = re.sub(r"[\s-]", "", value).upper()
    if re.fullmatch(r"\d{13}", digits):
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        if (10 - total % 10) % 10 == int(digits[12]):
            return
    elif re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits))
        if total % 11 == 0:
            return
    raise ValidationError(
        "“%(value)s” is not a valid ISBN: give the 10 or 13 digits printed on the publication.",
        code="invalid_isbn",
        params={"value": value},
    )


class PublicationQuerySet(models.QuerySet["Publication"]):
    def public(self) -> Self:
        return self.filter(visibility=Visibility.PUBLIC)

    def at_levels(self, levels: Iterable[str]) -> Self:
        return self.filter(visibility__in=levels)

    def mandates(self) -> Self:
        return self.filter(type=PublicationType.MANDATE)


class Publication(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The publication's web address: /library/<slug>/. Keep it short."
    )
    type = models.CharField(max_length=30, choices=PublicationType.choices)
    audiences = models.ManyToManyField(Audience, blank=True, related_name="publications")
    topics = models.ManyToManyField(Topic, blank=True, related_name="publications")
    publication_date = models.DateField()
    abstract = models.TextField(blank=True)
    authors = models.CharField(max_length=500, blank=True)
    isbn = models.CharField("ISBN", max_length=20, blank=True, validators=[validate_isbn])
    cover = models.FileField(upload_to="publications/covers/", max_length=200, blank=True, editable=False)
    cover_content_type = models.CharField(max_length=50, blank=True, editable=False)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name="related project",
        db_index=False,  # publication_project_list_idx leads with it
    )
    visibility = models.CharField(
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.DRAFT,
        help_text="Change it with the Publish and Unpublish actions of the publication list.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was first made visible outside the secretariat."
    )
    # The topics' names, kept by the services, so that the full-text search (a column
    # PostgreSQL computes from this row alone) can weigh them.
    topics_text = models.TextField(blank=True, editable=False)
    # The weighted document the search matches and ranks (publications/search.py), stored
    # by PostgreSQL itself; always NULL on SQLite, whose FTS5 index plays this part.
    search_vector = models.GeneratedField(
        expression=PostgresSearchDocument(), output_field=SearchVectorField(), db_persist=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "-pk"]
        # Each list's filter, then its order to the tie-breaker, so that a page is read off
        # an index without a sort (tests/publications/test_search_bounded.py checks them).
        # The year filter is a range of publication_date; the search has its GIN index.
        indexes = [
            # The admin's changelist, and lists of every level (the secretariat's library).
            models.Index(fields=["-publication_date", "-id"], name="publication_date_list_idx"),
            # The library: visible levels, newest first; with a year, a range of it.
            models.Index(fields=["visibility", "-publication_date", "-id"], name="publication_visible_date_idx"),
            # The library filtered by type; the mandates page.
            models.Index(
                fields=["visibility", "type", "-publication_date", "-id"], name="publication_visible_type_idx"
            ),
            # The feeds: public, by when each went public (NULLS LAST, as they order).
            NullsLastIndex(
                F("visibility"),
                F("published_at").desc(nulls_last=True),
                F("publication_date").desc(),
                F("id").desc(),
                name="publication_visible_new_idx",
            ),
            # A project's outputs on its page; also the project's foreign-key index.
            models.Index(fields=["project", "-publication_date", "-id"], name="publication_project_list_idx"),
        ]
        permissions = [("view_draft_publication", "Can see draft publications")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:detail", args=[self.slug])

    def clean(self):
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is the address of the library's feeds; choose another."})

    @property
    def files_in_order(self) -> list["PublicationFile"]:
        """English first, then by language name; uses prefetched files when there are any."""
        return sorted(self.files.all(), key=lambda file: (file.language != "en", file.language_name))


class PublicationFile(models.Model):
    """One file of a publication, in one language. Served only through a view."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(max_length=2, choices=LANGUAGES)
    file = models.FileField(upload_to="publications/files/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # Downloads are counted in aggregate only: nothing records who downloaded.
    download_count = models.PositiveBigIntegerField(default=0)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["publication", "language"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "language"], name="publication_file_one_per_language"),
        ]
        # The library's language filter: the publications with a file in a language.
        indexes = [models.Index(fields=["language", "publication"], name="publication_file_language_idx")]

    def __str__(self) -> str:
        return f"{self.publication} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("publications:download", args=[self.publication.slug, self.language])

    @property
    def language_name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)

    @property
    def extension(self) -> str:
        # Stored names are generated with the extension of the type found in the content.
        return PurePosixPath(self.file.name).suffix.lower()

    @property
    def format_label(self) -> str:
        return self.extension.lstrip(".").upper() or "File"
