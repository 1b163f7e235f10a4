"""Forms the apps share, and the helpers every form uses.

apply_bootstrap_classes / BootstrapFormMixin, field_of, errors_as_text and form_data
are the helpers.

PeriodForm: the period of a statistics page. A period is all years or one calendar
year, never a free date range: two ranges that overlap (2020-2022 and 2020-2021) give
by subtraction the count of their difference, however small, and core.disclosure only
protects the counts one publication shows together. Years are a fixed partition, so a
page can hold each year's counts and the all-years counts in one publication and
protect them together (see cases.statistics and referrals.statistics).
"""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest

# More characters than any year has: longer input is refused before it is read.
_LONGEST = 10


F = TypeVar("F", bound=forms.Field)

# The browser's own pickers; the formats are the ones those inputs send and show.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def apply_bootstrap_classes(form: forms.BaseForm) -> None:
    """Give each widget Bootstrap's class, so templates can stay plain."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class BootstrapFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self, forms.BaseForm):  # always, as a form's mixin; says so to the checker
            apply_bootstrap_classes(self)


def field_of(form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """The form's field `name`, which must be a `kind`: a ModelChoiceField whose queryset a
    form narrows, a ChoiceField whose choices it sets (form.fields says only Field)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def errors_as_text(form: forms.BaseForm) -> str:
    """A form's errors as one sentence per field, for a flash message."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(error) for error in errors)
        parts.append(text if name == NON_FIELD_ERRORS else f"{form[name].label}: {text}")
    return " ".join(parts)


def add_service_error(form: forms.BaseForm, error: Any) -> None:
    """A service's refusal (a ValidationError) next to the fields it names when the form has
    them all, else at the top of the form."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        for name, errors in error.error_dict.items():
            form.add_error(name, errors)
    else:
        form.add_error(None, error.messages)


def form_status(form: forms.BaseForm) -> int:
    """400 for a refused form shown again with what was typed; 200 for a fresh one."""
    return 400 if form.is_bound and form.errors else 200


def form_data(request: HttpRequest) -> tuple[Any, Any]:
    """A form's (data, files): bound on any POST, an empty one too (that is bad input to
    refuse with 400, not a first visit), unbound otherwise. Form(*form_data(request), ...)."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


class PeriodForm(forms.Form):
    """All years (an empty value), or one of `years`, the years that hold data."""

    period = forms.CharField(
        required=False,
        label="Period",
        strip=True,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, data: Mapping[str, Any] | None, *, years: Iterable[int], noun: str) -> None:
        """`noun` names what a year holds, as in "There are no {noun} in 2019"."""
        super().__init__(data)
        self.years = sorted(set(years))
        self.noun = noun
        choices = [("", "All years"), *((str(year), str(year)) for year in reversed(self.years))]
        # What was asked for, as the list shows it selected (beside its error if invalid).
        self.asked = str(self.data.get("period", "")).strip()[:_LONGEST]
        if self.asked not in dict(choices):
            choices.append((self.asked, self.asked))
        self.fields["period"].widget.choices = choices

    def clean_period(self) -> int | None:
        raw = self.cleaned_data["period"]
        if raw == "":
            return None
        if len(raw) > _LONGEST or not (raw.isascii() and raw.isdigit()):
            raise forms.ValidationError(
                "“%(value)s” is not a year. Choose “All years” or a year from the list.",
                params={"value": raw[:_LONGEST]},
            )
        year = int(raw)
        if not self.years:
            raise forms.ValidationError(
                "There are no %(noun)s yet, so there is no year to choose. Choose “All years”.",
                params={"noun": self.noun},
            )
        first, last = self.years[0], self.years[-1]
        if not first <= year <= last:
            raise forms.ValidationError(
                "%(year)s is out of range: these statistics cover %(span)s.",
                params={"year": year, "span": f"only {first}" if first == last else f"{first} to {last}"},
            )
        if year not in self.years:
            raise forms.ValidationError(
                "There are no %(noun)s in %(year)s. Choose “All years” or a year from the list.",
                params={"noun": self.noun, "year": year},
            )
        return year
