from typing import Any

import django_filters
from django import forms
from django.core import validators

from cases.models import (
    MINOR_AGE_BANDS,
    AssistanceService,
    Case,
    CaseIdentity,
    CaseStatus,
    ClosureReason,
    Consent,
    ConsentPurpose,
    DataCategory,
    ExploitationForm,
    FollowUp,
    Proceedings,
    RevealPurpose,
    RiskAssessment,
    Stage,
)
from cases.workflow import CASE_STAGE_WORKFLOW
from core.forms import BootstrapFormMixin, apply_bootstrap_classes, field_of
from members.models import MemberState, MemberStateKind, Organisation, Role, User

DATE = forms.DateInput(attrs={"type": "date"})

# Free text kept in unbounded columns still has a sensible length, so that a pasted
# document is refused with a message rather than stored.
NOTE_LENGTH = 2000
LONG_TEXT_LENGTH = 4000


def limit_length(form: forms.BaseForm, length: int, *names: str) -> None:
    """Give model fields without a max_length one on the form: a validator and the browser's hint."""
    for name in names:
        # A model's TextField is a CharField on the form: it takes a max_length.
        field = field_of(form, name, forms.CharField)
        field.max_length = length
        field.validators.append(validators.MaxLengthValidator(length))
        field.widget.attrs["maxlength"] = str(length)


class CaseForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "organisation",
            "case_worker",
            "trafficking_status",
            "identified_by",
            "gender",
            "age_band",
            "is_minor",
            "guardian_appointed",
            "best_interests_note",
            "citizenship",
            "country_of_recruitment",
            "countries_of_transit",
            "country_of_exploitation",
            "forms_of_exploitation",
            "means_of_control",
            "recruitment_method",
            "recruiter_relation",
            "labour_sector",
            "languages",
            "interpretation_needed",
            "interpretation_language",
        ]
        widgets = {
            "forms_of_exploitation": forms.CheckboxSelectMultiple,
            "means_of_control": forms.CheckboxSelectMultiple,
            "best_interests_note": forms.Textarea(attrs={"rows": 3}),
        }

    M2M_FIELDS = ("forms_of_exploitation", "means_of_control")

    def __init__(self, *args: Any, member_state: MemberState, acting_user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the state's own organisations and contact points can hold its cases.
        # (Each organisation is labelled with its state: one join, not a query per choice.)
        organisations = Organisation.objects.filter(member_state=member_state).select_related("member_state")
        field_of(self, "organisation", forms.ModelChoiceField).queryset = organisations
        field_of(self, "case_worker", forms.ModelChoiceField).queryset = User.objects.ncps_of(member_state)
        if acting_user is not None and self.instance.pk is None:
            # A new case is most often the opener's own: start from their organisation and themselves.
            if acting_user.organisation and acting_user.organisation.member_state_id == member_state.pk:
                self.fields["organisation"].initial = acting_user.organisation_id
            if acting_user.member_state_id == member_state.pk and acting_user.role == Role.NCP:
                self.fields["case_worker"].initial = acting_user.pk
        limit_length(self, LONG_TEXT_LENGTH, "best_interests_note")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("guardian_appointed") and not (
            cleaned.get("is_minor") or cleaned.get("age_band") in MINOR_AGE_BANDS
        ):
            self.add_error("guardian_appointed", "A guardian is recorded for minors only: tick “minor” first.")
        return cleaned

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """The cleaned data as the services take it: the fields, and the many-to-many fields apart."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.M2M_FIELDS}
        m2m = {k: self.cleaned_data[k] for k in self.M2M_FIELDS}
        return data, m2m


class CaseFilter(django_filters.FilterSet):
    reference = django_filters.CharFilter(lookup_expr="icontains", label="Reference")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any stage")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices, empty_label="Any status")
    form = django_filters.ModelChoiceFilter(
        field_name="forms_of_exploitation",
        queryset=ExploitationForm.objects.all(),
        label="Form of exploitation",
        empty_label="Any form",
    )
    opened_from = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Opened from", widget=DATE
    )
    opened_to = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Opened until", widget=DATE
    )

    class Meta:
        model = Case
        fields = ["reference", "stage", "status", "form", "opened_from", "opened_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_bootstrap_classes(self.form)


class StageMoveForm(BootstrapFormMixin, forms.Form):
    to_stage = forms.ChoiceField(
        label="Move to", choices=(), error_messages={"required": "Choose the stage to move the case to."}
    )
    reason = forms.CharField(
        label="Reason (when not identified)",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    closure_reason = forms.ChoiceField(
        label="Reason for closing", required=False, choices=[("", "—"), *ClosureReason.choices]
    )
    reflection_start = forms.DateField(required=False, widget=DATE, label="Reflection period starts")
    reflection_end = forms.DateField(required=False, widget=DATE, label="Reflection period ends")

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "to_stage", forms.ChoiceField).choices = [(s, Stage(s).label) for s in allowed]


class ReopenForm(BootstrapFormMixin, forms.Form):
    STAGE_MESSAGE = "Choose the stage the reopened case starts in."
    to_stage = forms.ChoiceField(
        label="Reopen in stage",
        # The stages the stage table reopens a case in (cases.workflow).
        choices=[(stage, Stage(stage).label) for stage in CASE_STAGE_WORKFLOW.targets(Stage.CLOSED)],
        error_messages={"required": STAGE_MESSAGE, "invalid_choice": STAGE_MESSAGE},
    )
    reason = forms.CharField(
        label="Reason for reopening",
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason for reopening the case."},
    )


class IdentityForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CaseIdentity
        fields = CaseIdentity.ENCRYPTED_FIELDS
        widgets = {
            "given_names": forms.TextInput(attrs={"autocomplete": "off"}),
            "family_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "date_of_birth": forms.TextInput(attrs={"autocomplete": "off"}),
            "document_numbers": forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
            "contact_details": forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
            "address": forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, 200, "given_names", "family_name")
        limit_length(self, 100, "date_of_birth")
        limit_length(self, NOTE_LENGTH, "document_numbers", "contact_details", "address")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # A first identity with nothing in it would only make the case page offer an empty reveal.
        if self.instance.pk is None and not any((cleaned.get(name) or "").strip() for name in self.fields):
            raise forms.ValidationError("Fill in at least one detail of the person's identity.")
        return cleaned


class RevealForm(BootstrapFormMixin, forms.Form):
    # Correcting the identity has its own page, which records its own purpose.
    PURPOSES = [choice for choice in RevealPurpose.choices if choice[0] != RevealPurpose.EDIT]
    purpose = forms.ChoiceField(choices=PURPOSES, label="Why do you need to see the identity?")
    note = forms.CharField(
        required=False, max_length=500, label="Note", help_text="Recorded in the audit trail. Do not write names here."
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("purpose") == "other" and not cleaned.get("note", "").strip():
            self.add_error("note", "Explain the purpose.")
        return cleaned


class ConsentForm(BootstrapFormMixin, forms.ModelForm):
    purposes = forms.MultipleChoiceField(choices=ConsentPurpose.choices, widget=forms.CheckboxSelectMultiple)
    data_categories = forms.MultipleChoiceField(choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple)
    # The EU is a CBSS member, not a state a referral can go to (as in referrals.forms).
    member_states = forms.ModelMultipleChoiceField(
        queryset=MemberState.objects.active().exclude(kind=MemberStateKind.EU),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The states the person agreed their data may go to.",
        error_messages={"invalid_choice": "Choose states from the list: the EU is not a state a referral goes to."},
    )

    class Meta:
        model = Consent
        fields = [
            "given_by",
            "given_on",
            "method",
            "purposes",
            "member_states",
            "data_categories",
            "interpreter_language",
            "informed_of_purpose",
            "informed_of_data_use",
            "informed_of_research_use",
            "informed_of_access_right",
            "informed_of_retention",
            "informed_of_withdrawal",
        ]
        widgets = {"given_on": DATE}

    all_explained = forms.BooleanField(
        required=False,
        label="All points explained to the person",
        help_text="Ticks the six points below; each can still be unticked.",
    )

    M2M_FIELDS = ("member_states",)
    CHECKLIST = (
        "informed_of_purpose",
        "informed_of_data_use",
        "informed_of_research_use",
        "informed_of_access_right",
        "informed_of_retention",
        "informed_of_withdrawal",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # static/js/portal.js ties the box to the six points (no inline script: the CSP forbids it).
        self.fields["all_explained"].widget.attrs["data-check-all"] = "informed"
        for name in self.CHECKLIST:
            self.fields[name].widget.attrs["data-check-all-member"] = "informed"
        order = list(self.fields)
        order.remove("all_explained")
        order.insert(order.index(self.CHECKLIST[0]), "all_explained")
        self.order_fields(order)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        checklist = list(self.CHECKLIST)
        if cleaned.get("all_explained") and not any(cleaned.get(name) for name in checklist):
            # Without the script, the box alone says every point was explained.
            for name in checklist:
                cleaned[name] = True
        if not all(cleaned.get(name) for name in checklist):
            raise forms.ValidationError(
                "Consent is informed only when every point of the checklist was explained. Tick each one."
            )
        return cleaned


class ConsentWithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


class RiskAssessmentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RiskAssessment
        fields = ["kind", "assessed_on", "level", "needs", "safety_plan"]
        widgets = {
            "assessed_on": DATE,
            "needs": forms.Textarea(attrs={"rows": 3}),
            "safety_plan": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, LONG_TEXT_LENGTH, "needs", "safety_plan")


class AssistanceServiceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = AssistanceService
        fields = ["type", "provider", "start_date", "end_date", "status"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The service cannot end before it starts.")
        return cleaned


class ProceedingsForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Proceedings
        fields = ["country", "kind", "stage", "victim_role", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_length(self, LONG_TEXT_LENGTH, "outcome")


class FollowUpForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["due_on", "method"]
        widgets = {"due_on": DATE}


class FollowUpDoneForm(BootstrapFormMixin, forms.Form):
    done_on = forms.DateField(widget=DATE)
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=LONG_TEXT_LENGTH)


class DocumentForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Leave empty to use the file's name.")
    file = forms.FileField(help_text="PDF, PNG, JPEG, Word (.docx) or OpenDocument (.odt).")
