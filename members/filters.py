import django_filters
from django.db.models import Q

from core.forms import apply_bootstrap_classes
from members.models import ExpertiseArea, MemberState, Role, User


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name or organisation")
    member_state = django_filters.ModelChoiceFilter(
        queryset=MemberState.objects.active(), label="Member state", empty_label="All states"
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Role", empty_label="All roles")
    expertise = django_filters.ModelChoiceFilter(
        queryset=ExpertiseArea.objects.all(), label="Expertise", empty_label="Any expertise"
    )

    class Meta:
        model = User
        fields = ["q", "member_state", "role", "expertise"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_bootstrap_classes(self.form)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(full_name__icontains=value) | Q(organisation__name__icontains=value))
