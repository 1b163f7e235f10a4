"""National reporting: the yearly data call to the member states, each state's return of
figures against a versioned set of indicators, and the history of every value and move.

A value is a number, or "not available" / "confidential" with a note. A breakdown (victims
by sex, say) adds up to its total unless the state explains why not; the checks are in
reporting.checks, the moves of a return in reporting.workflow."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class IndicatorSet(models.Model):
    """A version of the indicators. One in use by a data call is never changed: the
    secretariat adds an indicator to a new version (reporting.services)."""

    version = models.PositiveIntegerField(unique=True)
    label = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.label} (version {self.version})"


class IndicatorKind(models.TextChoices):
    NUMBER = "number", "Number"
    TEXT = "text", "Text (a qualitative section)"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    # A stable code across versions ("victims.identified.sex.female"), so years compare.
    code = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    # The group it is shown and exported under ("Registered victims", "Traffickers").
    group = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.NUMBER)
    # A part of a breakdown names its total's code and the breakdown ("sex"); the parts of
    # one breakdown add up to the total.
    total_code = models.CharField(max_length=80, blank=True)
    breakdown = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField()
    help_text = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["indicator_set", "position"]
        constraints = [
            models.UniqueConstraint("indicator_set", "code", name="indicator_code_once_per_set"),
            models.CheckConstraint(
                condition=Q(total_code="", breakdown="") | (~Q(total_code="") & ~Q(breakdown="")),
                name="indicator_breakdown_names_its_total",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class DataCall(models.Model):
    """The secretariat's yearly call: one return per reporting state, for one reference year."""

    year = models.PositiveIntegerField(unique=True, help_text="The reference year the figures are for.")
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="data_calls")
    deadline = models.DateField()
    note = models.TextField(blank=True, max_length=4000)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    # Closed by the secretariat: the returns not validated by then are "not reported", and
    # the year's region totals are published over the validated ones.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["-year"]
        permissions = [("manage_reporting", "Can open data calls and return or validate the states' returns")]

    def __str__(self) -> str:
        return f"Data call {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:call", args=[self.pk])


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned with comments"
    VALIDATED = "validated", "Validated"
    # The call was closed before the return was validated: the state's figures are not in
    # that year's tables, and the return can no longer change.
    NOT_REPORTED = "not_reported", "Not reported (call closed)"


class Return(models.Model):
    """A state's answer to a data call; any of its representatives or NCPs fills it in."""

    data_call = models.ForeignKey(DataCall, on_delete=models.PROTECT, related_name="returns")
    member_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED)
    # The state's choice: its validated national totals may be published unsuppressed.
    publish_unsuppressed = models.BooleanField(
        default=False,
        help_text="Publish this state's validated national totals as they are (small cells are protected otherwise).",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["member_state__name"]
        constraints = [models.UniqueConstraint("data_call", "member_state", name="return_one_per_state")]
        indexes = [
            # A state's returns, newest year first (its earlier years for the year-on-year check).
            models.Index("member_state", F("data_call").desc(), name="return_state_idx"),
            models.Index(fields=["data_call", "status"], name="return_call_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member_state} {self.data_call.year}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:return", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status in (ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED, ReturnStatus.NOT_REPORTED)


class Publication(models.Model):
    """One year's public cells as they were published: kept, every one, so that a later
    publication of that year (after a correction, a reopening) is protected against
    differencing with what readers have already seen (reporting.figures)."""

    year = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    # [indicator code, state code or "region", the number or the "not given" label, shown,
    # the validation it comes from] (reporting.published).
    cells = models.JSONField()
    # The k it was protected with, and whether the year's call was complete (its region totals
    # shown; "pending" otherwise).
    k = models.PositiveIntegerField(default=0)
    complete = models.BooleanField(default=False)

    class Meta:
        ordering = ["year", "published_at", "id"]
        indexes = [models.Index(fields=["year", "published_at"], name="publication_year_idx")]

    def __str__(self) -> str:
        return f"Publication of {self.year}, {self.published_at:%Y-%m-%d %H:%M}"


class ValueStatus(models.TextChoices):
    GIVEN = "given", "Given"
    NOT_AVAILABLE = "not_available", "Not available"
    CONFIDENTIAL = "confidential", "Confidential"


class Value(models.Model):
    """One indicator's answer in a return: a number (or text), or why there is none."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ValueStatus.choices, default=ValueStatus.GIVEN)
    number = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=10_000)
    # Why not available or confidential; or, on a total, why its breakdown does not add up.
    note = models.CharField(max_length=1000, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("return_record", "indicator", name="value_once_per_return"),
            models.CheckConstraint(condition=Q(number__isnull=True) | Q(number__gte=0), name="value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}={self.number if self.number is not None else self.status}"


class ValueRevision(models.Model):
    """Every value as it was saved, with who and when (append-only): the value's history."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(max_length=20, choices=ValueStatus.choices)
    number = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    note = models.CharField(max_length=1000, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["value", "changed_at"], name="value_revision_idx")]

    def __str__(self) -> str:
        return f"{self.value_id} at {self.changed_at:%Y-%m-%d %H:%M}"


class ReturnEvent(models.Model):
    """A move of a return (submitted, returned, validated, reopened), with who, when and why."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=ReturnStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReturnStatus.choices)
    comment = models.TextField(blank=True, max_length=4000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["return_record", "at", "id"]
        indexes = [models.Index(fields=["return_record", "at"], name="return_event_idx")]

    def __str__(self) -> str:
        return f"{self.step} by {self.by_id}"


class ReturnFile(models.Model):
    """A file with a qualitative section of a return (an action plan, a law), through the
    checked upload; served by an access-checked view to the state and the secretariat. A
    newer file replaces it on the page; none is ever deleted (a removed one says by whom)."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="files")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="reporting/%Y/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["return_record", "indicator", "-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["return_record", "indicator", "-uploaded_at"], name="returnfile_current_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("reporting:return_file", args=[self.return_record_id, self.pk])


class ReturnComment(models.Model):
    """The thread between the state and the secretariat on a return."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_secretariat = models.BooleanField(default=False)
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    # The secretariat's comments are open until the state has answered them (the board counts them).
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["return_record", "created_at", "id"]
        indexes = [models.Index(fields=["return_record", "created_at"], name="return_comment_idx")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.return_record_id}"


class CountryProfile(models.Model):
    """A reporting state's national anti-trafficking structure, shown on its public page;
    edited by the state's representatives and NCPs (every version kept) and confirmed yearly."""

    member_state = models.OneToOneField("members.MemberState", on_delete=models.PROTECT, related_name="profile")
    national_coordinator = models.CharField(max_length=300, blank=True)
    national_rapporteur = models.CharField("national rapporteur or equivalent mechanism", max_length=300, blank=True)
    referral_mechanism = models.TextField("national referral mechanism", max_length=2000, blank=True)
    lead_agency = models.CharField("the referral mechanism's lead agency", max_length=300, blank=True)
    hotlines = models.TextField(max_length=1000, blank=True, help_text="One per line: name and number.")
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    STRUCTURE_FIELDS = ("national_coordinator", "national_rapporteur", "referral_mechanism", "lead_agency", "hotlines")

    class Meta:
        indexes = [models.Index(fields=["confirmed_at"], name="profile_confirmed_idx")]

    def __str__(self) -> str:
        return f"Profile of {self.member_state}"

    def get_absolute_url(self) -> str:
        return reverse("countries:detail", args=[self.member_state.code.lower()])


class CountryProfileRevision(models.Model):
    """The structure as saved, with who and when (append-only): the profile's history."""

    profile = models.ForeignKey(CountryProfile, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["profile", "changed_at"], name="profile_revision_idx")]

    def __str__(self) -> str:
        return f"{self.profile_id} at {self.changed_at:%Y-%m-%d %H:%M}"
