from typing import TypedDict

from django.db.models import Prefetch

from core.types import AnyUser
from members.models import MemberState, Organisation
from projects.access import projects_for
from projects.models import Project, ProjectQuerySet


def project_list(*, user: AnyUser) -> ProjectQuerySet:
    """The projects `user` may see, with what a list shows, newest first."""
    return (
        projects_for(user)
        .select_related("lead_organisation__member_state")
        .prefetch_related(Prefetch("partner_states", queryset=MemberState.objects.order_by("name")))
        .order_by("-start_date", "title", "pk")
    )


class ProjectPartners(TypedDict):
    states: list[MemberState]
    organisations: list[Organisation]


def project_partners(*, project: Project) -> ProjectPartners:
    return ProjectPartners(
        states=list(project.partner_states.order_by("name")),
        organisations=list(project.partner_organisations.select_related("member_state").order_by("name")),
    )
