from typing import Any, cast

from django import forms

from core.forms import DATE_INPUT, BootstrapFormMixin
from reporting.models import CountryProfile, Indicator, IndicatorKind, Return, Value, ValueStatus
from reporting.services import INDICATOR_FIELDS, Entry


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


class IndicatorForm(BootstrapFormMixin, forms.Form):
    """One indicator added in a new version of the set (the one in use stays as it is)."""

    code = forms.RegexField(
        regex=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$",
        max_length=80,
        help_text="Stable across versions and years, lower case with dots: “victims.identified.sex.female”.",
        error_messages={"invalid": "Use lower-case letters, digits, “_” and dots, starting with a letter."},
    )
    label = forms.CharField(max_length=200)
    group = forms.ChoiceField(help_text="The group it is shown and exported under.")
    kind = forms.ChoiceField(choices=IndicatorKind.choices, initial=IndicatorKind.NUMBER)
    total_code = forms.ChoiceField(
        required=False,
        label="Part of the breakdown of",
        help_text="For a part of a breakdown: the total it adds up to with the other parts.",
    )
    breakdown = forms.CharField(
        required=False, max_length=40, help_text="The breakdown's name (“sex”, “age”): needed with a total."
    )
    help_text = forms.CharField(required=False, max_length=500, label="Help for the states")
    version_label = forms.CharField(
        required=False, max_length=200, help_text="The new version's name (the current one's when left empty)."
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = list(dict.fromkeys(indicator.group for indicator in indicators))
        cast(forms.ChoiceField, self.fields["group"]).choices = [(group, group) for group in groups]
        totals = [indicator for indicator in indicators if indicator.kind == IndicatorKind.NUMBER]
        cast(forms.ChoiceField, self.fields["total_code"]).choices = [("", "— not a part of a breakdown —")] + [
            (indicator.code, f"{indicator.label} ({indicator.code})") for indicator in totals
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("total_code") and not data.get("breakdown", "").strip():
            self.add_error("breakdown", "Name the breakdown this part belongs to (“sex”, “age”).")
        if data.get("breakdown", "").strip() and not data.get("total_code"):
            self.add_error("total_code", "Choose the total this breakdown adds up to.")
        if data.get("total_code") and data.get("kind") != IndicatorKind.NUMBER:
            self.add_error("kind", "A part of a breakdown is a number.")
        return data

    def addition(self) -> dict[str, str]:
        return {name: self.cleaned_data[name].strip() for name in INDICATOR_FIELDS}


class SectionFileForm(BootstrapFormMixin, forms.Form):
    """A file with one qualitative section (its code in `section`)."""

    section = forms.CharField(max_length=80, widget=forms.HiddenInput)
    file = forms.FileField(required=False, help_text="PDF, Word, OpenDocument or Excel.")


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
