"""project_save: the admin's add and change forms are one service call; `by` is the audit actor."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.visibility import Visibility
from members.models import Role
from projects import services
from projects.models import Project
from tests.admin_forms import admin_form_data, change_url
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:projects_project_add")


@pytest.fixture
def calls(monkeypatch):
    """The keyword arguments of each project_save call the admin makes."""
    made = []
    real = services.project_save

    def spy(**kwargs):
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "project_save", spy)
    return made


def test_adding_a_project_in_the_admin_is_one_project_save_by_the_signed_in_user(
    secretariat_client, demo_states, calls
):
    data = admin_form_data(
        secretariat_client,
        ADD,
        title="Labour Link",
        slug="labour-link",
        summary="Labour exploitation in the region.",
        funding_source="eu",
        start_date="2024-01-01",
        partner_states=[str(demo_states["EE"].pk), str(demo_states["LV"].pk)],
    )
    response = secretariat_client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [call] = calls
    assert call["by"] == secretariat_client.user
    assert call["data"]["title"] == "Labour Link"
    project = Project.objects.get(slug="labour-link")
    assert project.visibility == Visibility.DRAFT
    assert sorted(project.partner_states.values_list("code", flat=True)) == ["EE", "LV"]
    actors = {entry.actor for entry in LogEntry.objects.get_for_object(project)}
    assert actors == {secretariat_client.user}


def test_changing_a_project_in_the_admin_passes_only_what_changed(secretariat_client, calls):
    project = ProjectFactory(title="Old title")
    data = admin_form_data(secretariat_client, change_url(project), title="New title")
    response = secretariat_client.post(change_url(project), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [call] = calls
    assert (call["data"], call["m2m"]) == ({"title": "New title"}, {})
    project.refresh_from_db()
    assert project.title == "New title"


def test_changing_only_the_partners_marks_the_row_changed(secretariat_client, demo_states):
    project = ProjectFactory()
    before = project.updated_at
    data = admin_form_data(secretariat_client, change_url(project), partner_states=[str(demo_states["FI"].pk)])
    assert secretariat_client.post(change_url(project), data).status_code == 302
    project.refresh_from_db()
    assert list(project.partner_states.values_list("code", flat=True)) == ["FI"]
    assert project.updated_at > before


def test_a_bad_project_is_refused_and_nothing_is_saved(make_user):
    with pytest.raises(ValidationError):
        services.project_save(
            project=Project(),
            data={"title": "Lists", "slug": "psf", "summary": "Shadows a list", "funding_source": "eu"},
            by=make_user(Role.SECRETARIAT),
        )
    assert not Project.objects.exists()


def test_publishing_is_not_a_field_the_save_sets(make_user):
    project = ProjectFactory(visibility=Visibility.DRAFT)
    with pytest.raises(ValidationError, match="actions of the project list"):
        services.project_save(project=project, data={"visibility": Visibility.PUBLIC}, by=make_user(Role.SECRETARIAT))
    project.refresh_from_db()
    assert project.visibility == Visibility.DRAFT


def test_the_publish_action_is_by_the_signed_in_user(secretariat_client):
    project = ProjectFactory(visibility=Visibility.DRAFT)
    secretariat_client.post(
        reverse("admin:projects_project_changelist"), {"action": "publish_public", "_selected_action": [project.pk]}
    )
    entry = LogEntry.objects.get_for_object(project).filter(action=LogEntry.Action.UPDATE).get()
    assert (entry.actor, entry.changes_dict["visibility"]) == (secretariat_client.user, ["draft", "public"])


def test_deleting_projects_in_the_admin_goes_through_project_delete(secretariat_client, monkeypatch):
    project = ProjectFactory()
    publication = PublicationFactory(project=project)
    deleted = []
    real = services.project_delete

    def spy(**kwargs):
        deleted.append((kwargs["project"].pk, kwargs["by"]))
        return real(**kwargs)

    monkeypatch.setattr(services, "project_delete", spy)
    response = secretariat_client.post(
        reverse("admin:projects_project_changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert deleted == [(project.pk, secretariat_client.user)]
    publication.refresh_from_db()
    assert publication.project is None
