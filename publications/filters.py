import django_filters
from django import forms
from django.utils import timezone

from core.forms import apply_bootstrap_classes
from core.languages import LANGUAGES
from publications import search
from publications.models import Audience, Publication, PublicationType, Topic

# The task force was set up in 2006; nothing in the library is older.
FIRST_YEAR = 2006


def year_choices() -> list[tuple[str, str]]:
    return [(str(year), str(year)) for year in range(timezone.localdate().year, FIRST_YEAR - 1, -1)]


class PublicationFilter(django_filters.FilterSet):
    """The library's search and filters. Every value lives in the URL, so results can be shared."""

    q = django_filters.CharFilter(
        method="search", label="Search", max_length=200, widget=forms.TextInput(attrs={"type": "search"})
    )
    type = django_filters.ChoiceFilter(choices=PublicationType.choices, label="Type", empty_label="All types")
    audience = django_filters.ModelChoiceFilter(
        field_name="audiences",
        queryset=Audience.objects.all(),
        to_field_name="code",
        label="Audience",
        empty_label="All audiences",
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", queryset=Topic.objects.all(), to_field_name="code", label="Topic", empty_label="All topics"
    )
    year = django_filters.ChoiceFilter(
        field_name="publication_date", lookup_expr="year", choices=year_choices, label="Year", empty_label="Any year"
    )
    language = django_filters.ChoiceFilter(
        field_name="files__language", choices=LANGUAGES, label="Language", empty_label="Any language"
    )

    class Meta:
        model = Publication
        fields = ["q", "type", "audience", "topic", "year", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_bootstrap_classes(self.form)

    def search(self, queryset, name, value):
        return search.search(queryset, value)
