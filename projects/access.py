"""The only way from a URL slug to a project: 404 when missing or not visible."""

from django.http import Http404

from core.types import AnyUser
from core.visibility import SignInRequired, Visibility, visible_levels
from projects.models import Project, ProjectQuerySet

DRAFT_PERMISSION = "projects.view_draft_project"


def project_levels(user: AnyUser) -> list[str]:
    return visible_levels(user, draft_permission=DRAFT_PERMISSION)


def projects_for(user: AnyUser) -> ProjectQuerySet:
    return Project.objects.filter(visibility__in=project_levels(user))


def project_visible_to(user: AnyUser, project: Project | None) -> bool:
    return project is not None and project.visibility in project_levels(user)


def access_project(user: AnyUser, slug: str) -> Project:
    project = projects_for(user).select_related("lead_organisation__member_state").filter(slug=slug).first()
    if project is None:
        members_only = Project.objects.filter(slug=slug, visibility=Visibility.MEMBERS)
        if not user.is_authenticated and members_only.exists():
            raise SignInRequired
        raise Http404("No such project.")
    return project
