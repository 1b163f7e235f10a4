"""Case files: pseudonymous records of presumed victims, kept by their member state.

Variables follow IOM's Human Trafficking Case Data Standard (HTCDS) and the CTDC
publication bands, so that statistics can be exported in CTDC form. Identity lives
apart, encrypted, in CaseIdentity.
"""

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.fields import EncryptedTextField


class Stage(models.TextChoices):
    PRESUMED = "presumed", "Presumed victim"
    FORMALLY_IDENTIFIED = "formally_identified", "Formally identified"
    NOT_IDENTIFIED = "not_identified", "Not identified"
    REFLECTION_PERIOD = "reflection_period", "Reflection and recovery period"
    URGENT_ASSISTANCE = "urgent_assistance", "Urgent assistance"
    LONG_TERM_ASSISTANCE = "long_term_assistance", "Long-term assistance"
    RETURN_PREPARATION = "return_preparation", "Return preparation"
    RETURNED = "returned", "Returned"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSED = "closed", "Closed"


class CaseStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    FOLLOW_UP = "follow_up", "Follow-up"
    CLOSED = "closed", "Closed"
    CLOSED_REFERRED = "closed_referred", "Closed after referral"


class ClosureReason(models.TextChoices):
    ASSISTANCE_COMPLETED = "assistance_completed", "Assistance completed"
    REFERRED = "referred", "Referred to another state or organisation"
    RETURNED_HOME = "returned_home", "Returned and reintegrated"
    DECLINED = "declined", "Person declined further assistance"
    LOST_CONTACT = "lost_contact", "Contact lost"
    NOT_A_VICTIM = "not_a_victim", "Not a victim of trafficking"
    OTHER = "other", "Other"


class TraffickingStatus(models.TextChoices):
    POSSIBLE = "possible", "Possible victim"
    ACTUAL = "actual", "Actual victim"
    NOT_A_VICTIM = "not_a_victim", "Not a victim"


class IdentifiedBy(models.TextChoices):
    POLICE = "police", "Police"
    NGO = "ngo", "NGO"
    COURT = "court", "Court"
    GOVERNMENT = "government", "Non-police government agency"
    OTHER = "other", "Other"


class Gender(models.TextChoices):
    # CTDC's published categories.
    MAN = "man", "Man"
    WOMAN = "woman", "Woman"
    TRANS_OTHER = "trans_other", "Trans / other"
    UNKNOWN = "unknown", "Not known"


class AgeBand(models.TextChoices):
    # CTDC's age bands, kept stable because statistics are published by them.
    AGE_0_8 = "0-8", "0–8"
    AGE_9_17 = "9-17", "9–17"
    AGE_18_20 = "18-20", "18–20"
    AGE_21_23 = "21-23", "21–23"
    AGE_24_26 = "24-26", "24–26"
    AGE_27_29 = "27-29", "27–29"
    AGE_30_38 = "30-38", "30–38"
    AGE_39_47 = "39-47", "39–47"
    AGE_48_PLUS = "48+", "48+"
    UNKNOWN = "unknown", "Not known"


MINOR_AGE_BANDS = (AgeBand.AGE_0_8, AgeBand.AGE_9_17)


class RecruitmentMethod(models.TextChoices):
    JOB_OFFER = "job_offer", "False job offer"
    ROMANCE = "romance", "Romantic relationship (lover-boy)"
    FAMILY = "family", "Through family"
    ONLINE = "online", "Online or social media"
    AGENCY = "agency", "Recruitment agency"
    ABDUCTION = "abduction", "Abduction"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class RecruiterRelation(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", "Intimate partner"
    FRIEND = "friend", "Friend or acquaintance"
    FAMILY = "family", "Family member"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class LabourSector(models.TextChoices):
    # ISIC Rev. 4 sections, the full list HTCDS refers to.
    A = "A", "Agriculture, forestry and fishing"
    B = "B", "Mining and quarrying"
    C = "C", "Manufacturing"
    D = "D", "Electricity, gas, steam and air conditioning supply"
    E = "E", "Water supply, sewerage, waste management"
    F = "F", "Construction"
    G = "G", "Wholesale and retail trade; repair of vehicles"
    H = "H", "Transportation and storage"
    I = "I", "Accommodation and food service (hospitality)"  # noqa: E741 -- ISIC's letter
    J = "J", "Information and communication"
    K = "K", "Financial and insurance activities"
    L = "L", "Real estate activities"
    M = "M", "Professional, scientific and technical activities"
    N = "N", "Administrative and support service activities"
    O = "O", "Public administration and defence"  # noqa: E741 -- ISIC's letter
    P = "P", "Education"
    Q = "Q", "Human health and social work"
    R = "R", "Arts, entertainment and recreation"
    S = "S", "Other service activities"
    T = "T", "Households as employers (domestic work)"
    U = "U", "Extraterritorial organisations"


class ExploitationForm(models.Model):
    """A form of exploitation (HTCDS plus the task force's own); a lookup, seeded by migration."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    ctdc_column = models.CharField(max_length=60, blank=True, help_text="CTDC column this form counts under.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ControlMeans(models.Model):
    """A means of control (HTCDS); a lookup, seeded by migration."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "means of control"

    def __str__(self) -> str:
        return self.name


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> Self:
        return self.exclude(stage=Stage.CLOSED)

    def closed(self) -> Self:
        return self.filter(stage=Stage.CLOSED)

    def not_anonymised(self) -> Self:
        return self.filter(anonymised_at__isnull=True)


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    member_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, related_name="cases")
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    organisation = models.ForeignKey(
        "members.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    case_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )

    stage = models.CharField(max_length=30, choices=Stage.choices, default=Stage.PRESUMED)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.ACTIVE)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    not_identified_reason = models.TextField(blank=True)
    reflection_start = models.DateField(null=True, blank=True)
    reflection_end = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)

    trafficking_status = models.CharField(
        max_length=20, choices=TraffickingStatus.choices, default=TraffickingStatus.POSSIBLE
    )
    identified_by = models.CharField(max_length=20, choices=IdentifiedBy.choices, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.UNKNOWN)
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    is_minor = models.BooleanField("minor", default=False)
    guardian_appointed = models.BooleanField(default=False)
    best_interests_note = models.TextField(
        "best-interests assessment", blank=True, help_text="For minors: the best-interests assessment."
    )
    citizenship = CountryField(blank=True)
    country_of_recruitment = CountryField(blank=True)
    countries_of_transit = CountryField(multiple=True, blank=True)
    country_of_exploitation = CountryField(blank=True)
    forms_of_exploitation = models.ManyToManyField(ExploitationForm, blank=True, related_name="cases")
    means_of_control = models.ManyToManyField(ControlMeans, blank=True, related_name="cases")
    recruitment_method = models.CharField(max_length=20, choices=RecruitmentMethod.choices, blank=True)
    recruiter_relation = models.CharField(
        "relationship to the trafficker", max_length=20, choices=RecruiterRelation.choices, blank=True
    )
    labour_sector = models.CharField(max_length=1, choices=LabourSector.choices, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    interpretation_needed = models.BooleanField(default=False)
    interpretation_language = models.CharField(max_length=100, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    # Free text that can name or describe the person: masked in the audit log (CasesConfig)
    # and blanked when the case is anonymised (cases.services.retention). Likewise on each record.
    PERSONAL_TEXT_FIELDS = (
        "not_identified_reason",
        "best_interests_note",
        "reopened_reason",
        "languages",
        "interpretation_language",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("reveal_identity", "Can reveal the identity of a case's person"),
            ("view_case_statistics", "Can view anonymised case statistics"),
        ]
        constraints = [
            models.UniqueConstraint("member_state", "year", "sequence", name="case_unique_sequence_per_state_year"),
            models.CheckConstraint(
                condition=~models.Q(stage="closed") | ~models.Q(closure_reason=""), name="case_closed_has_reason"
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="not_identified") | ~models.Q(not_identified_reason=""),
                name="case_not_identified_has_reason",
            ),
        ]
        # Each list's filter, then its order to the tie-breaker, so a page is read off the index
        # (tests/cases/test_list_indexes.py): the case list of a state, plain and by stage or
        # status (cases.selectors.case_list; the per-stage counts read the stage one), and the
        # admin's changelist of all states in the default order.
        indexes = [
            models.Index(fields=["member_state", "-created_at", "-id"], name="case_state_list_idx"),
            models.Index(fields=["member_state", "stage", "-created_at", "-id"], name="case_state_stage_list_idx"),
            models.Index(fields=["member_state", "status", "-created_at", "-id"], name="case_state_status_list_idx"),
            models.Index(fields=["-created_at", "-id"], name="case_created_list_idx"),
            models.Index(fields=["stage", "closed_at"], name="case_stage_closed_idx"),
            # Statistics of one year (their period), the years on offer, and the admin's
            # changelist of one year in its order.
            models.Index(fields=["year", "-created_at", "-id"], name="case_year_list_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    def get_additional_data(self) -> dict:
        # Lets the case's audit trail gather its sub-records' entries too.
        return {"case_id": self.pk}

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseIdentity(models.Model):
    """Who the person is. Encrypted; shown only after a stated purpose; never in lists,
    exports, the admin or the audit log's change records."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="identity")
    given_names = EncryptedTextField(blank=True)
    family_name = EncryptedTextField(blank=True)
    date_of_birth = EncryptedTextField(blank=True, help_text="YYYY-MM-DD, or what is known.")
    document_numbers = EncryptedTextField(blank=True, help_text="Passport, ID card, residence permit.")
    contact_details = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    ENCRYPTED_FIELDS = ["given_names", "family_name", "date_of_birth", "document_numbers", "contact_details", "address"]

    class Meta:
        verbose_name_plural = "case identities"

    def __str__(self) -> str:
        # Never the name: this string ends up in logs and admin messages.
        return f"Identity of {self.case_id}"


class RevealPurpose(models.TextChoices):
    CONTACT = "contact", "To contact the person"
    REFERRAL = "referral", "To prepare a referral or a meeting"
    DOCUMENTS = "documents", "To arrange documents or legal matters"
    VERIFICATION = "verification", "To verify the record"
    EDIT = "edit", "To correct the identity"
    OTHER = "other", "Other (explain)"


class CaseRecord(models.Model):
    """What every sub-record of a case shares."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="%(class)ss")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    # The record's free text that can name the person (as Case.PERSONAL_TEXT_FIELDS).
    PERSONAL_TEXT_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
        ordering = ["-recorded_at", "-pk"]

    def get_additional_data(self) -> dict:
        return {"case_id": self.case_id}


class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "assistance", "Assistance"
    REFERRAL = "referral", "Referral to another state or organisation"
    RETURN = "return", "Return"
    DATA_SHARING = "data_sharing", "Sharing data with partners"
    STATISTICS = "statistics", "Anonymised statistics"


class DataCategory(models.TextChoices):
    IDENTITY = "identity", "Identity (name, date of birth, documents)"
    CONTACT = "contact", "Contact details and address"
    CASE_VARIABLES = "case_variables", "Case variables (exploitation, countries, needs)"
    RISK = "risk", "Risk and needs assessment"
    HEALTH = "health", "Health information"
    PROCEEDINGS = "proceedings", "Criminal and civil proceedings"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Written, signed form"
    ORAL = "oral", "Oral, recorded by the case worker"
    GUARDIAN = "guardian", "Given by the guardian (minor)"


class Consent(CaseRecord):
    given_by = models.CharField(
        max_length=20, choices=[("person", "The person"), ("guardian", "Guardian or legal representative")]
    )
    given_on = models.DateField()
    purposes = models.JSONField(default=list, help_text="ConsentPurpose values.")
    member_states = models.ManyToManyField("members.MemberState", blank=True, related_name="+")
    data_categories = models.JSONField(default=list, help_text="DataCategory values.")
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    interpreter_language = models.CharField(max_length=100, blank=True)
    informed_of_purpose = models.BooleanField(default=False)
    informed_of_data_use = models.BooleanField(default=False)
    informed_of_research_use = models.BooleanField(default=False)
    informed_of_access_right = models.BooleanField(default=False)
    informed_of_retention = models.BooleanField(default=False)
    informed_of_withdrawal = models.BooleanField(default=False)
    scanned_form = models.ForeignKey(
        "cases.CaseDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    PERSONAL_TEXT_FIELDS = ("withdrawal_reason", "interpreter_language")

    class Meta(CaseRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"Consent of {self.given_on:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    def get_purposes_display(self) -> list[str]:
        return [ConsentPurpose(p).label for p in self.purposes if p in ConsentPurpose.values]

    def get_data_categories_display(self) -> list[str]:
        return [DataCategory(c).label for c in self.data_categories if c in DataCategory.values]


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    LIFE = "life", "Risk to life"


class RiskAssessment(CaseRecord):
    kind = models.CharField(
        max_length=20, choices=[("initial", "Initial"), ("ongoing", "Ongoing"), ("pre_return", "Before return")]
    )
    assessed_on = models.DateField()
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    needs = models.TextField(blank=True)
    safety_plan = models.TextField(blank=True)

    PERSONAL_TEXT_FIELDS = ("needs", "safety_plan")

    class Meta(CaseRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.get_kind_display()} risk assessment of {self.assessed_on:%Y-%m-%d}"


class AssistanceService(CaseRecord):
    type = models.CharField(
        max_length=30,
        choices=[
            ("accommodation", "Safe accommodation"),
            ("medical", "Medical care"),
            ("psychological", "Psychological support"),
            ("legal", "Legal counselling"),
            ("interpretation", "Interpretation"),
            ("financial", "Financial support"),
            ("education", "Education or training"),
            ("employment", "Employment support"),
            ("return", "Return assistance"),
            ("other", "Other"),
        ],
    )
    provider = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20,
        choices=[("planned", "Planned"), ("ongoing", "Ongoing"), ("completed", "Completed"), ("declined", "Declined")],
        default="planned",
    )

    PERSONAL_TEXT_FIELDS = ("provider",)

    class Meta(CaseRecord.Meta):
        pass

    def __str__(self) -> str:
        return self.get_type_display()


class Proceedings(CaseRecord):
    country = CountryField()
    kind = models.CharField(
        max_length=20, choices=[("criminal", "Criminal"), ("civil", "Civil"), ("compensation", "Compensation")]
    )
    stage = models.CharField(
        max_length=20,
        choices=[
            ("investigation", "Investigation"),
            ("prosecution", "Prosecution"),
            ("trial", "Trial"),
            ("appeal", "Appeal"),
            ("concluded", "Concluded"),
        ],
    )
    victim_role = models.CharField(
        max_length=20,
        choices=[
            ("witness", "Witness"),
            ("injured_party", "Injured party"),
            ("plaintiff", "Plaintiff"),
            ("none", "None"),
        ],
    )
    outcome = models.TextField(blank=True)

    PERSONAL_TEXT_FIELDS = ("outcome",)

    class Meta(CaseRecord.Meta):
        verbose_name_plural = "proceedings"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} proceedings ({self.country})"


class FollowUp(CaseRecord):
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    method = models.CharField(
        max_length=20,
        choices=[("visit", "Visit"), ("phone", "Phone"), ("video", "Video call"), ("partner", "Through a partner")],
    )
    outcome = models.TextField(blank=True)
    # The case's state, copied (a case never changes state) so that a state's open follow-ups
    # are read off one index (followup_state_open_idx) instead of every state's being probed.
    member_state = models.ForeignKey("members.MemberState", on_delete=models.PROTECT, editable=False, related_name="+")

    PERSONAL_TEXT_FIELDS = ("outcome",)

    class Meta(CaseRecord.Meta):
        ordering = ["due_on", "pk"]
        indexes = [
            # Every state's open follow-ups by due date (the reminders).
            models.Index(fields=["due_on"], condition=models.Q(done_on__isnull=True), name="followup_open_idx"),
            # One state's, in the dashboard's order (cases.selectors.follow_ups_due).
            models.Index(
                fields=["member_state", "due_on", "id"],
                condition=models.Q(done_on__isnull=True),
                name="followup_state_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        self._take_case_state()
        super().save(*args, **kwargs)

    def full_clean(self, *args, **kwargs) -> None:
        self._take_case_state()
        super().full_clean(*args, **kwargs)

    def _take_case_state(self) -> None:
        if self.member_state_id is None and self.case_id is not None:
            self.member_state_id = self.case.member_state_id


class CaseDocument(CaseRecord):
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="cases/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    PERSONAL_TEXT_FIELDS = ("title", "original_name")

    class Meta(CaseRecord.Meta):
        pass

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:document_download", args=[self.case_id, self.pk])
