"""Writes on projects: publishing and unpublishing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from projects.models import Project
from thb_portal.public_figures import public_figures_changed
from thb_portal.visibility import Visibility


@transaction.atomic
def project_set_visibility(*, project: Project, visibility: str) -> Project:
    """Publish (public or members only) or unpublish (draft) a project."""
    if visibility not in Visibility.values:
        raise ValidationError(f"Unknown visibility “{visibility}”.")
    project = Project.objects.select_for_update().get(pk=project.pk)
    project.visibility = visibility
    if visibility != Visibility.DRAFT and project.published_at is None:
        project.published_at = timezone.now()
    project.updated_at = timezone.now()
    project.full_clean()
    project.save(update_fields=["visibility", "published_at", "updated_at"])
    public_figures_changed()
    return project


def project_publish(*, project: Project, members_only: bool = False) -> Project:
    visibility = Visibility.MEMBERS if members_only else Visibility.PUBLIC
    return project_set_visibility(project=project, visibility=visibility)


def project_unpublish(*, project: Project) -> Project:
    return project_set_visibility(project=project, visibility=Visibility.DRAFT)
