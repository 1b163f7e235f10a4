from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.visibility import Visibility
from members.models import Organisation, OrganisationType
from projects import services
from projects.models import FundingSource, Project, ProjectStatus
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory


def test_the_end_date_cannot_be_before_the_start(db):
    project = ProjectFactory.build(start_date=date(2024, 5, 1), end_date=date(2024, 4, 30))
    with pytest.raises(ValidationError, match="The end date cannot be before the start date"):
        project.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()


def test_budgets_are_euros_and_never_negative(db):
    project = ProjectFactory.build(budget=Decimal("-1"))
    with pytest.raises(ValidationError):
        project.full_clean()
    project = ProjectFactory(budget=Decimal("1234567.89"), co_financing=Decimal("0.50"))
    project.refresh_from_db()
    assert project.budget == Decimal("1234567.89")


def test_a_project_list_address_cannot_be_taken_by_a_project(db):
    with pytest.raises(ValidationError, match="address of a project list"):
        ProjectFactory.build(slug="psf").full_clean()


def test_publishing_records_when_a_project_first_went_out(db):
    project = ProjectFactory(visibility=Visibility.DRAFT)
    project = services.project_publish(project=project)
    first = project.published_at
    project = services.project_unpublish(project=project)
    project = services.project_publish(project=project, members_only=True)
    assert project.visibility == Visibility.MEMBERS
    assert project.published_at == first


def titles(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return [project.title for project in response.context["page"].object_list]


def test_the_ongoing_psf_and_all_lists(client, db):
    ProjectFactory(title="Ongoing EU", status=ProjectStatus.ONGOING, funding_source=FundingSource.EU)
    ProjectFactory(title="Ongoing PSF", status=ProjectStatus.ONGOING, funding_source=FundingSource.PSF)
    ProjectFactory(title="Completed PSF", status=ProjectStatus.COMPLETED, funding_source=FundingSource.PSF)
    ProjectFactory(title="Planned national", status=ProjectStatus.PLANNED, funding_source=FundingSource.NATIONAL)
    assert sorted(titles(client, reverse("projects:ongoing"))) == ["Ongoing EU", "Ongoing PSF"]
    assert sorted(titles(client, reverse("projects:psf"))) == ["Completed PSF", "Ongoing PSF"]
    assert len(titles(client, reverse("projects:all"))) == 4
    assert titles(client, reverse("projects:all"), status="completed", funding_source="psf") == ["Completed PSF"]
    assert titles(client, reverse("projects:all"), status="planned", funding_source="psf") == []


def test_the_project_page_shows_its_details_and_outputs(client, db):
    lead = Organisation.objects.create(name="CBSS Secretariat", type=OrganisationType.INTERNATIONAL)
    project = ProjectFactory(
        slug="labour-link",
        title="Labour Link",
        acronym="LL",
        budget=Decimal("620000"),
        co_financing=Decimal("124000"),
        start_date=date(2018, 9, 1),
        end_date=date(2021, 8, 31),
        lead_organisation=lead,
        website="https://example.org/labour-link",
        contact_email="tf-thb@example.org",
    )
    PublicationFactory(title="Study on berry pickers", project=project)
    PublicationFactory(title="Another project's study")
    html = client.get(reverse("projects:detail", args=["labour-link"])).content.decode()
    for text in (
        "Labour Link",
        "€620,000",
        "€124,000",
        "CBSS Secretariat",
        "Study on berry pickers",
        "1 September 2018",
    ):
        assert text in html, text
    assert "Another project&#x27;s study" not in html


def _create_projects(count: int, states) -> None:
    start = Project.objects.count()
    Project.objects.bulk_create(
        [
            Project(
                title=f"Project {n}",
                slug=f"bulk-project-{n}",
                summary="Summary.",
                status=ProjectStatus.ONGOING,
                funding_source=FundingSource.PSF,
                visibility=Visibility.PUBLIC,
                start_date=date(2020, 1, 1),
            )
            for n in range(start, start + count)
        ]
    )
    Through = Project.partner_states.through
    Through.objects.bulk_create(
        [
            Through(project_id=pk, memberstate_id=state.pk)
            for pk in Project.objects.filter(slug__startswith="bulk-project-").values_list("pk", flat=True)[start:]
            for state in states
        ],
        ignore_conflicts=True,
    )


@pytest.mark.parametrize("url_name", ["projects:ongoing", "projects:psf", "projects:all"])
def test_project_lists_run_as_many_queries_for_500_projects_as_for_10(
    client, demo_states, url_name, assert_constant_queries
):
    states = [demo_states["EE"], demo_states["LV"]]
    _create_projects(10, states)
    assert_constant_queries(client, reverse(url_name), grow=lambda: _create_projects(490, states))
