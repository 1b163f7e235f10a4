import django_filters

from core.forms import apply_bootstrap_classes
from projects.models import FundingSource, Project, ProjectStatus


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ProjectStatus.choices, label="Status", empty_label="Any status")
    funding_source = django_filters.ChoiceFilter(
        choices=FundingSource.choices, label="Funding", empty_label="Any funding"
    )

    class Meta:
        model = Project
        fields = ["status", "funding_source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_bootstrap_classes(self.form)
