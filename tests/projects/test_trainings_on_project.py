from django.urls import reverse

from core.visibility import Visibility
from projects.models import Project
from tests.trainings.factories import make_training


def test_a_project_page_lists_its_trainings(client, db):
    project = Project.objects.create(
        title="Consular staff training",
        slug="consular",
        summary="s",
        funding_source="psf",
        visibility=Visibility.PUBLIC,
    )
    training = make_training(trainers=[])
    training.project = project
    training.save(update_fields=["project"])
    content = client.get(reverse("projects:detail", args=[project.slug])).content.decode()
    assert training.title in content
