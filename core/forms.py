"""Forms the apps share.

PeriodForm: the period of a statistics page. A period is all years or one calendar
year, never a free date range: two ranges that overlap (2020-2022 and 2020-2021) give
by subtraction the count of their difference, however small, and core.disclosure only
protects the counts one publication shows together. Years are a fixed partition, so a
page can hold each year's counts and the all-years counts in one publication and
protect them together (see cases.statistics and referrals.statistics).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms

# More characters than any year has: longer input is refused before it is read.
_LONGEST = 10


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
