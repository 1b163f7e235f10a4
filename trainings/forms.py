import django_filters
from django import forms
from django.db.models import Q

from thb_portal.forms import BootstrapFormMixin, apply_bootstrap_classes
from trainings.models import Registration, RegistrationStatus


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].required = True

    def validate_unique(self):
        # The service reports a duplicate email in words; the model's constraint needs the training.
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
    to = forms.ChoiceField(choices=RegistrationStatus.choices)
