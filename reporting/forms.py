from django import forms

from core.forms import DATE_INPUT, BootstrapFormMixin
from reporting.models import CountryProfile, Indicator, IndicatorKind, Return, Value, ValueStatus
from reporting.services import Entry


class DataCallForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Reference year")
    deadline = forms.DateField(widget=DATE_INPUT)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


def _name(indicator: Indicator, part: str) -> str:
    return f"{indicator.code}__{part}"


class ReturnForm(BootstrapFormMixin, forms.Form):
    """One row of fields per indicator: for a number, its status, the number and a note; for a
    qualitative section, its text. A number field that gets text or a negative says so there."""

    publish_unsuppressed = forms.BooleanField(
        required=False, label=Return._meta.get_field("publish_unsuppressed").help_text
    )

    def __init__(self, *args, indicators: list[Indicator], values: dict[int, Value], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for indicator in indicators:
            value = values.get(indicator.pk)
            if indicator.kind == IndicatorKind.TEXT:
                self.fields[_name(indicator, "text")] = forms.CharField(
                    required=False,
                    max_length=10_000,
                    label=indicator.label,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    initial=value.text if value else "",
                )
                continue
            self.fields[_name(indicator, "status")] = forms.ChoiceField(
                choices=ValueStatus.choices,
                required=False,  # not sent: a figure is given
                label=f"{indicator.label}: what is given",
                initial=value.status if value else ValueStatus.GIVEN,
            )
            self.fields[_name(indicator, "number")] = forms.IntegerField(
                required=False,
                min_value=0,
                max_value=10**12,
                label=indicator.label,
                initial=value.number if value else None,
                error_messages={"invalid": "Enter a whole number (or mark it not available)."},
            )
            self.fields[_name(indicator, "note")] = forms.CharField(
                required=False,
                max_length=1000,
                label=f"{indicator.label}: note",
                initial=value.note if value else "",
            )

    def rows(self) -> list[dict]:
        """The bound fields of each indicator, for the table."""
        rows = []
        for indicator in self.indicators:
            parts = [part for part in ("status", "number", "note", "text") if _name(indicator, part) in self.fields]
            fields = {part: self[_name(indicator, part)] for part in parts}
            rows.append({"indicator": indicator, "fields": list(fields.values()), **fields})
        return rows

    def entries(self) -> dict[str, Entry]:
        """The entries of the indicators the request sent: one it did not send at all (a
        partial POST, a page of an older version) keeps its saved value instead of being blanked."""
        data = self.cleaned_data
        entries = {}
        for indicator in self.indicators:
            if not any(_name(indicator, part) in self.data for part in ("status", "number", "note", "text")):
                continue
            if indicator.kind == IndicatorKind.TEXT:
                entries[indicator.code] = Entry(text=data.get(_name(indicator, "text"), ""))
            else:
                entries[indicator.code] = Entry(
                    status=data.get(_name(indicator, "status")) or ValueStatus.GIVEN,
                    number=data.get(_name(indicator, "number")),
                    note=data.get(_name(indicator, "note"), ""),
                )
        return entries


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label="The return as XLSX", help_text="The columns of the export: fill it in and upload it.")


class StepForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        required=False,
        max_length=4000,
        label="Why the call is closed",
        help_text="Kept with the call and sent to the states not reported. Needed while a return is not validated.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(max_length=4000, label="Comment", widget=forms.Textarea(attrs={"rows": 3}))


class CountryProfileForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CountryProfile
        fields = list(CountryProfile.STRUCTURE_FIELDS)
        widgets = {
            "referral_mechanism": forms.Textarea(attrs={"rows": 4}),
            "hotlines": forms.Textarea(attrs={"rows": 3}),
        }
