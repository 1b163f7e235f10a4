"""The project page's sections: publications and trainings list themselves on it (projects.sections),
since projects sits below both apps and cannot read them."""

from django.urls import reverse

from projects.sections import project_page
from publications.admin import OutputInline
from tests.admin_forms import change_url
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory
from tests.trainings.factories import make_training


def test_publications_and_trainings_register_their_sections_in_page_order():
    assert [section.name for section in project_page.sections()] == ["publications", "trainings"]


def test_the_project_page_shows_its_outputs_above_its_trainings(client, db):
    project = ProjectFactory(slug="labour-link")
    PublicationFactory(title="Study on berry pickers", project=project)
    make_training(project=project, title="Inspectors' course")
    html = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert html.index("Outputs") < html.index("Study on berry pickers") < html.index("Trainings")
    assert html.index("Trainings") < html.index("Inspectors&#x27; course")


def test_the_project_page_runs_as_many_queries_with_many_outputs_and_trainings(client, db, assert_constant_queries):
    project = ProjectFactory(slug="labour-link")

    def grow(n: int) -> None:
        for _ in range(n):
            PublicationFactory(project=project)
            make_training(project=project, sessions=1)

    grow(1)
    assert_constant_queries(client, reverse("projects:detail", args=[project.slug]), grow=lambda: grow(6))


def test_the_project_form_lists_its_publications_read_only(secretariat_client):
    project = ProjectFactory()
    PublicationFactory(title="Study on berry pickers", project=project)
    response = secretariat_client.get(change_url(project))
    assert response.status_code == 200
    [outputs] = [
        inline for inline in response.context["inline_admin_formsets"] if inline.opts.__class__ is OutputInline
    ]
    assert "Study on berry pickers" in response.content.decode()
    # Shown only: no row to add, none to delete.
    assert outputs.formset.max_num == 0 and not outputs.formset.can_delete
