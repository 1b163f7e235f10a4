from typing import TYPE_CHECKING, TypedDict

from django.db.models import Prefetch, QuerySet

from core.types import AnyUser
from members.models import MemberState, Organisation
from projects.access import projects_for
from projects.models import Project, ProjectQuerySet
from publications.access import publications_for
from publications.models import Publication

if TYPE_CHECKING:
    from trainings.models import Training


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


def project_outputs(*, user: AnyUser, project: Project) -> QuerySet[Publication]:
    """The project's publications that `user` may see."""
    return publications_for(user).filter(project=project).prefetch_related("files").order_by("-publication_date", "-pk")


def project_trainings(*, project: Project) -> "QuerySet[Training]":
    """The project's trainings, as the public may know them: title, audience, place, dates, size."""
    from trainings.models import Training

    return (
        Training.objects.filter(project=project)
        .exclude(status="cancelled")
        .select_related("member_state")
        .order_by("-starts_on", "-pk")
    )
