import django_filters
from django import forms
from django.db.models import QuerySet

from cases.forms import RevealForm
from cases.models import Consent, DataCategory
from core.forms import BootstrapFormMixin, apply_bootstrap_classes, field_of
from members.models import MemberState, MemberStateKind, Role, User
from referrals.models import CONSENT_PURPOSE_FOR, DRAFT_FIELDS, Purpose, Referral, ReferralStatus, Service, Urgency
from referrals.workflow import REFERRAL_WORKFLOW

DATE = forms.DateInput(attrs={"type": "date"})


class ReferralForm(BootstrapFormMixin, forms.ModelForm):
    requested_services = forms.MultipleChoiceField(
        choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    shared_categories = forms.MultipleChoiceField(
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Data to share",
        help_text="Share only what the planned services need. The consent must cover each category.",
    )

    class Meta:
        model = Referral
        fields = list(DRAFT_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "safeguard_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        consents = Consent.objects.filter(case=case, withdrawn_at__isnull=True).order_by("-given_on", "-pk")
        # Only a state some active consent of the case names, that has a contact point to receive
        # it, can be chosen: the EU is a CBSS member, not a referral destination.
        receiving_states = (
            MemberState.objects.active()
            .exclude(pk=case.member_state_id)
            .exclude(kind=MemberStateKind.EU)
            .filter(pk__in=consents.values("member_states"))
            .filter(pk__in=User.objects.active().filter(role=Role.NCP).values("member_state"))
        )
        field_of(self, "receiving_state", forms.ModelChoiceField).queryset = receiving_states
        field_of(self, "consent", forms.ModelChoiceField).queryset = consents
        self.fields["consent"].help_text = "The consent this referral relies on."
        self.fields["safeguard"].help_text = "Needed when the receiving state is outside the EU/EEA."
        if self.instance.pk is None and not self.is_bound:
            self._prefill_from(consents.prefetch_related("member_states").first(), receiving_states)

    def _prefill_from(self, consent: Consent | None, receiving_states: QuerySet[MemberState]) -> None:
        """A new draft starts from the latest consent: what the person agreed to is what is shared."""
        if consent is None:
            return
        self.initial.setdefault("consent", consent.pk)
        choosable = set(receiving_states.values_list("pk", flat=True))
        states = [state for state in consent.member_states.all() if state.pk in choosable]
        if len(states) == 1:
            self.initial.setdefault("receiving_state", states[0].pk)
        # The first purpose (in the list's order) that the consent covers.
        covered = [purpose for purpose in Purpose if CONSENT_PURPOSE_FOR[purpose] in consent.purposes]
        if covered:
            self.initial.setdefault("purpose", covered[0].value)
        self.initial.setdefault(
            "shared_categories", [category for category in consent.data_categories if category in DataCategory.values]
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        consent, state = cleaned.get("consent"), cleaned.get("receiving_state")
        if consent and state and not consent.member_states.filter(pk=state.pk).exists():
            self.add_error("receiving_state", f"The chosen consent does not cover sharing with {state.name}.")
        return cleaned


class StepForm(BootstrapFormMixin, forms.Form):
    """A referral step's form (referrals.workflow names one per step). Every step's form is
    given the referral and the acting user, so none needs a special case to be built."""

    def __init__(self, *args, referral: Referral | None = None, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral, self.user = referral, user


class AcknowledgeForm(StepForm):
    receiving_contact = forms.ModelChoiceField(queryset=User.objects.none(), label="Key contact")
    receiving_alternate = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Alternate contact", required=False, empty_label="No alternate"
    )
    assessment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="First feedback on risks and needs"
    )

    def __init__(self, *args, referral: Referral, user: User | None = None, **kwargs):
        super().__init__(*args, referral=referral, user=user, **kwargs)
        contacts = User.objects.ncps_of(referral.receiving_state_id)
        field_of(self, "receiving_contact", forms.ModelChoiceField).queryset = contacts
        field_of(self, "receiving_alternate", forms.ModelChoiceField).queryset = contacts
        # Whoever acknowledges is usually the one who follows it up.
        if user is not None and user.member_state_id == referral.receiving_state_id and user.role == Role.NCP:
            self.fields["receiving_contact"].initial = user.pk


class AcceptForm(StepForm):
    met_by = forms.CharField(label="Who meets the person", max_length=200)
    meeting_place = forms.CharField(label="Where", max_length=200)
    meeting_time = forms.DateTimeField(label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    plan = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Reception plan")


class CompleteForm(StepForm):
    arrived_on = forms.DateField(label="Arrival or start of services", widget=DATE)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(StepForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class ReferOnwardForm(StepForm):
    third_state = forms.ModelChoiceField(
        queryset=MemberState.objects.active().exclude(kind=MemberStateKind.EU),
        label="Refer on to",
        error_messages={
            "invalid_choice": "Choose a third state from the list: not the EU, nor a state this referral is between."
        },
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A third state: not the EU (a CBSS member, not a destination), nor the two states
        # the referral is already between.
        third_state = field_of(self, "third_state", forms.ModelChoiceField)
        if self.referral is not None and third_state.queryset is not None:  # the field declares one
            third_state.queryset = third_state.queryset.exclude(
                pk__in=[self.referral.sending_state_id, self.referral.receiving_state_id]
            )


class NoteForm(StepForm):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


def action_form(action: str, referral: Referral, data=None, user: User | None = None) -> StepForm:
    """The form of a step of the referral table, bound to `data` when given."""
    form_class = REFERRAL_WORKFLOW.get(action).form_class()
    return form_class(data, prefix=action, referral=referral, user=user)


class MessageForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Message")
    attachment = forms.FileField(required=False, help_text="PDF, PNG, JPEG, Word (.docx) or OpenDocument (.odt).")


class SharedIdentityRevealForm(RevealForm):
    """The reveal of a referral's shared identity: the case page's purposes, none chosen in advance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No purpose is preselected: seeing a victim's identity is a deliberate choice.
        field_of(self, "purpose", forms.ChoiceField).choices = [("", "Choose a purpose"), *RevealForm.PURPOSES]
        self.fields["purpose"].error_messages["required"] = "Choose why you need to see the identity."


class ReferralFilter(django_filters.FilterSet):
    state = django_filters.ModelChoiceFilter(
        queryset=MemberState.objects.active(), method="filter_state", label="Other state", empty_label="Any state"
    )
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices, empty_label="Any urgency")
    purpose = django_filters.ChoiceFilter(choices=Purpose.choices, empty_label="Any purpose")
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, empty_label="Any status")
    sent_from = django_filters.DateFilter(field_name="sent_at", lookup_expr="date__gte", label="Sent from", widget=DATE)
    sent_to = django_filters.DateFilter(field_name="sent_at", lookup_expr="date__lte", label="Sent until", widget=DATE)

    class Meta:
        model = Referral
        fields = ["state", "urgency", "purpose", "status", "sent_from", "sent_to"]

    def __init__(self, *args, direction: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        apply_bootstrap_classes(self.form)

    def filter_state(self, queryset, name, value):
        field = "sending_state" if self.direction == "inbox" else "receiving_state"
        return queryset.filter(**{field: value})
