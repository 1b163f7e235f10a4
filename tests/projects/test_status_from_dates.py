from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from projects.models import Project, ProjectStatus
from tests.projects.factories import ProjectFactory


def test_a_project_that_ended_is_not_ongoing_whatever_its_stored_status(client, db):
    today = timezone.localdate()
    ProjectFactory(
        title="Ended",
        status=ProjectStatus.ONGOING,
        start_date=today - timedelta(days=400),
        end_date=today - timedelta(days=1),
    )
    ProjectFactory(
        title="Running",
        status=ProjectStatus.PLANNED,
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=10),
    )
    ProjectFactory(title="Later", status=ProjectStatus.ONGOING, start_date=today + timedelta(days=5))
    ProjectFactory(title="Open ended", status=ProjectStatus.ONGOING)
    ProjectFactory(title="Closed, no dates", status=ProjectStatus.COMPLETED)

    assert sorted(Project.objects.ongoing().values_list("title", flat=True)) == ["Open ended", "Running"]
    content = client.get(reverse("projects:ongoing")).content.decode()
    assert "Running" in content and "Ended" not in content and "Later" not in content
    ended = Project.objects.get(title="Ended")
    assert ended.current_status() == ProjectStatus.COMPLETED
    assert "Completed" in client.get(ended.get_absolute_url()).content.decode()
    assert Project.objects.get(title="Later").status_label == "Planned"
    assert Project.objects.get(title="Running").status_label == "Ongoing"
