import django_filters
from django import forms
from django.db.models import Q

from core.forms import DATETIME_INPUT, BootstrapFormMixin, apply_bootstrap_classes, field_of
from trainings.models import Registration, RegistrationStatus, Training, TrainingSession, TrainingStatus
from trainings.services import training_status_error
from trainings.workflow import settings_statuses


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, email or organisation")
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices, label="Status", empty_label="Any status")

    class Meta:
        model = Registration
        fields = ["q", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_bootstrap_classes(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(email__icontains=value) | Q(organisation__icontains=value)
        )


class RegistrationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["full_name", "email", "organisation", "country", "profession", "gender", "consent"]

    def __init__(self, *args, training: Training, **kwargs):
        super().__init__(*args, **kwargs)
        self.training = training
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = (
            "The participant must consent to the processing of their data."
        )

    def clean_email(self):
        # Said at the field; trainings.services checks it again under the training's lock.
        email = self.cleaned_data["email"].strip().lower()
        if self.training.registrations.filter(email__iexact=email).exists():
            raise forms.ValidationError(f"{email} is already registered for this training.")
        return email

    def validate_unique(self):
        # The duplicate email is checked above, in words; the model's constraint needs the training.
        pass


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="First row: name, email, organisation, country, profession, gender, consent.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    to = forms.ChoiceField(
        choices=RegistrationStatus.choices,
        error_messages={"required": "Choose the new status.", "invalid_choice": "Choose one of the statuses listed."},
    )


LOCAL_DATETIME = DATETIME_INPUT


class TrainingSettingsForm(BootstrapFormMixin, forms.ModelForm):
    """What a trainer runs: format, place, places, registration and status. Title, audience,
    member state, project and retention are the secretariat's, as they shape the figures."""

    class Meta:
        model = Training
        fields = [
            "status",
            "format",
            "city",
            "venue",
            "language",
            "capacity",
            "waitlist_enabled",
            "requires_approval",
            "registration_opens",
            "registration_closes",
            "reminder_days",
        ]
        widgets = {"registration_opens": LOCAL_DATETIME, "registration_closes": LOCAL_DATETIME}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status
        # The steps taken here (trainings.workflow); completing has its own page, which says
        # what it does to the participants.
        reachable = set(settings_statuses(current))
        status_field = field_of(self, "status", forms.ChoiceField)
        status_field.choices = [(value, label) for value, label in TrainingStatus.choices if value in reachable]
        status_field.help_text = "Cancelling tells every registered, confirmed and waiting participant by email."

    def clean_status(self):
        status = self.cleaned_data["status"]
        if error := training_status_error(self.instance.status, status):
            raise forms.ValidationError(error)
        return status


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["title", "starts_at", "ends_at"]
        widgets = {"starts_at": LOCAL_DATETIME, "ends_at": LOCAL_DATETIME}
        labels = {"title": "Title (optional)", "starts_at": "Starts", "ends_at": "Ends"}

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        # In words at the field; a field with an error is left out of the model's checks, so the
        # check constraint does not also answer with its name.
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The session must end after it starts.")
        return cleaned
