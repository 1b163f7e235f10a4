"""Writes on projects: saving the secretariat's form, publishing and unpublishing, deleting."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from core.visibility import Visibility, visibility_change
from members.models import User
from projects.models import Project

# Set by project_set_visibility alone, which records when a project first went out.
VISIBILITY_FIELDS = {"visibility", "published_at"}


@audited_as_by
@transaction.atomic
def project_save(
    *, project: Project, data: dict[str, Any], m2m: dict[str, Any] | None = None, by: User | None
) -> Project:
    """Create a project, or change one, from the secretariat's form.

    `data` holds the fields to set (on a change, those that changed) and `m2m` the partner
    lists to set. Publishing is project_set_visibility's, not a field to save here.
    """
    if VISIBILITY_FIELDS & set(data):
        raise ValidationError("Publish or unpublish a project with the actions of the project list.")
    created = project.pk is None
    if created:
        for name, value in data.items():
            setattr(project, name, value)
        project.full_clean()
        project.save()
    else:
        update_fields(project, data)
    for name, values in (m2m or {}).items():
        getattr(project, name).set(values)
    if m2m and not data and not created:
        # Only the partners changed: the row still records that it was changed.
        update_fields(project, {"updated_at": timezone.now()}, clean=False)
    return project


@audited_as_by
@transaction.atomic
def project_set_visibility(*, project: Project, visibility: str, by: User | None = None) -> Project:
    """Publish (public or members only) or unpublish (draft) a project."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    changed = visibility_change(project, visibility)
    project.full_clean()
    project.save(update_fields=changed)
    return project


@audited_as_by
def project_publish(*, project: Project, members_only: bool = False, by: User | None = None) -> Project:
    visibility = Visibility.MEMBERS if members_only else Visibility.PUBLIC
    return project_set_visibility(project=project, visibility=visibility, by=by)


@audited_as_by
def project_unpublish(*, project: Project, by: User | None = None) -> Project:
    return project_set_visibility(project=project, visibility=Visibility.DRAFT, by=by)


@audited_as_by
@transaction.atomic
def project_delete(*, project: Project, by: User | None) -> None:
    """Delete a project; its publications and trainings stay, naming no project (SET_NULL)."""
    project.delete()
