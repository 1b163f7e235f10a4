"""The secretariat's admin: publish and unpublish, and the catalogue's import and export."""

import csv
import io

import pytest
import tablib
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.figures import FACTS_CACHE_KEY
from core.visibility import Visibility
from publications import services
from publications.models import Publication
from publications.resources import PublicationResource
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory, attach_pdf
from trainings.facts import facts_and_figures

CHANGELIST = "admin:publications_publication_changelist"


def test_the_secretariat_role_holds_the_publication_and_project_permissions(db):
    codenames = set(Group.objects.get(name="secretariat").permissions.values_list("codename", flat=True))
    for model in ("publication", "publicationfile", "audience", "topic", "project"):
        assert {f"add_{model}", f"change_{model}", f"view_{model}", f"delete_{model}"} <= codenames
    assert {"view_draft_publication", "view_draft_project"} <= codenames
    observer = set(Group.objects.get(name="observer").permissions.values_list("codename", flat=True))
    assert "view_draft_publication" not in observer


@pytest.mark.parametrize(
    ("action", "visibility"),
    [
        ("publish_public", Visibility.PUBLIC),
        ("publish_members_only", Visibility.MEMBERS),
        ("unpublish", Visibility.DRAFT),
    ],
)
def test_publish_and_unpublish_actions(secretariat_client, action, visibility):
    start = Visibility.PUBLIC if visibility == Visibility.DRAFT else Visibility.DRAFT
    publications = [PublicationFactory(visibility=start) for _ in range(2)]
    response = secretariat_client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [p.pk for p in publications]}, follow=True
    )
    assert "2 publications" in response.content.decode()
    for publication in publications:
        publication.refresh_from_db()
        assert publication.visibility == visibility
        assert (publication.published_at is not None) == (visibility != Visibility.DRAFT)


def test_project_publish_and_unpublish_actions(secretariat_client):
    project = ProjectFactory(visibility=Visibility.DRAFT)
    changelist = reverse("admin:projects_project_changelist")
    secretariat_client.post(changelist, {"action": "publish_public", "_selected_action": [project.pk]})
    project.refresh_from_db()
    assert project.visibility == Visibility.PUBLIC and project.published_at
    secretariat_client.post(changelist, {"action": "unpublish", "_selected_action": [project.pk]})
    project.refresh_from_db()
    assert project.visibility == Visibility.DRAFT


def test_the_admin_lists_and_searches_publications(secretariat_client):
    PublicationFactory(title="Guidelines for the mass media")
    PublicationFactory(title="Round-up report")
    response = secretariat_client.get(reverse(CHANGELIST), {"q": "mass media", "has_files": "no"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list.values_list("title", flat=True)) == ["Guidelines for the mass media"]
    for params in ({"visibility__exact": "draft"}, {"language": "en"}, {"audience": "mass-media"}, {"year": "2022"}):
        assert secretariat_client.get(reverse(CHANGELIST), params).status_code == 200


HEADER = "slug,title,type,visibility,publication_date,audiences,topics,abstract,authors,isbn,project"


def csv_file(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("catalogue.csv", "\n".join([HEADER, *rows]).encode(), content_type="text/csv")


def import_preview(client, upload):
    return client.post(
        reverse("admin:publications_publication_import"), {"resource": "0", "format": "0", "import_file": upload}
    )


def test_importing_a_catalogue_with_bad_rows_reports_each_one_and_imports_nothing(secretariat_client):
    ProjectFactory(slug="labour-link")
    upload = csv_file(
        "good-one,A good study,study,public,2021-04-01,municipalities,labour-exploitation,Abstract,,,labour-link",
        "bad-type,A bad type,brochure,public,2021-04-01,,,,,,",
        "bad-date,A bad date,study,public,01/04/2021x,,,,,,",
        "bad-codes,Bad codes,study,draft,2021-04-01,aliens,space-travel,,,,",
        "bad-isbn,Bad ISBN,study,draft,2021-04-01,,,,,978-0-00-000000-1,",
        "bad-project,Bad project,study,draft,2021-04-01,,,,,,no-such-project",
        ",No slug,study,draft,2021-04-01,,,,,,",
    )
    response = import_preview(secretariat_client, upload)
    assert response.status_code == 200
    html = response.content.decode()
    for message in [
        "Unknown publication type “brochure”. Use one of: round_up_report",
        "“01/04/2021x” is not a date. Write it as YYYY-MM-DD",
        "Unknown audience “aliens”. Use codes from: municipalities",
        "Unknown topic “space-travel”",
        "is not a valid ISBN",
        "No project has the address (slug) “no-such-project”",
    ]:
        assert message in html, message
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Publication.objects.exists()


def test_importing_a_good_catalogue_creates_and_updates_publications(secretariat_client):
    ProjectFactory(slug="labour-link")
    existing = PublicationFactory(slug="existing", title="Old title", visibility=Visibility.DRAFT)
    upload = csv_file(
        "new-study,Seasonal work study,Study,Public,2021-04-01,"
        '"municipalities,mass-media",labour-exploitation,Berry pickers,A. Author,978-91-9876-001-9,labour-link',
        "existing,New title,guidelines,members,2020-01-01,,,,,,",
    )
    preview = import_preview(secretariat_client, upload)
    confirm = preview.context["confirm_form"]
    assert confirm is not None, preview.content.decode()[:3000]
    response = secretariat_client.post(
        reverse("admin:publications_publication_process_import"),
        {name: confirm.initial[name] for name in ("import_file_name", "original_file_name", "format", "resource")},
        follow=True,
    )
    assert response.status_code == 200
    study = Publication.objects.get(slug="new-study")
    assert study.type == "study" and study.visibility == Visibility.PUBLIC and study.published_at
    assert sorted(study.audiences.values_list("code", flat=True)) == ["mass-media", "municipalities"]
    assert study.topics_text == "Labour exploitation"
    assert study.project.slug == "labour-link"
    existing.refresh_from_db()
    assert (existing.title, existing.type, existing.visibility) == ("New title", "guidelines", Visibility.MEMBERS)


HEADERS = ["slug", "title", "type", "visibility", "publication_date", "audiences", "topics", "project"]


def test_an_import_saves_each_row_through_publication_save_as_the_user(make_user, monkeypatch):
    """Outside a request too (a shell, a job): `user` is the services' `by`, hence the audit actor."""
    secretariat = make_user("secretariat")
    existing = PublicationFactory(slug="existing", title="Old title", visibility=Visibility.DRAFT)
    saved = []
    real = services.publication_save

    def spy(**kwargs):
        saved.append((kwargs["publication"].slug, kwargs["by"], sorted(kwargs["m2m"])))
        return real(**kwargs)

    monkeypatch.setattr(services, "publication_save", spy)
    dataset = tablib.Dataset(
        ["new-study", "A study", "study", "public", "2021-04-01", "municipalities", "labour-exploitation", ""],
        ["existing", "New title", "guidelines", "draft", "2020-01-01", "", "", ""],
        headers=HEADERS,
    )
    result = PublicationResource().import_data(dataset, dry_run=False, user=secretariat)
    assert not result.has_errors() and not result.has_validation_errors()
    assert saved == [
        ("new-study", secretariat, ["audiences", "topics"]),
        ("existing", secretariat, ["audiences", "topics"]),
    ]
    study = Publication.objects.get(slug="new-study")
    assert (study.visibility, study.topics_text) == (Visibility.PUBLIC, "Labour exploitation")
    existing.refresh_from_db()
    assert existing.title == "New title"
    for publication in (study, existing):
        assert {entry.actor for entry in LogEntry.objects.get_for_object(publication).filter(actor__isnull=False)} == {
            secretariat
        }


def test_an_import_drops_the_cached_figures(db, django_capture_on_commit_callbacks):
    facts_and_figures()
    assert cache.get(FACTS_CACHE_KEY) is not None
    dataset = tablib.Dataset(["new-study", "A study", "study", "public", "2021-04-01", "", "", ""], headers=HEADERS)
    with django_capture_on_commit_callbacks(execute=True):
        PublicationResource().import_data(dataset, dry_run=False)
    assert cache.get(FACTS_CACHE_KEY) is None
    assert facts_and_figures()["publications"] == 1


def test_the_export_has_every_publication_and_neutralises_formulas(db):
    publication = PublicationFactory(slug="tricky", title='=HYPERLINK("http://evil")', abstract="+1 trained")
    attach_pdf(publication, "en")
    attach_pdf(publication, "lv")
    dataset = PublicationResource().export(Publication.objects.all())
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    assert row["abstract"] == "'+1 trained"
    assert row["languages"] == "en,lv"
    assert row["downloads"] == 0

    # The export imports back unchanged: the quote added against formulas is taken off again.
    result = PublicationResource().import_data(tablib.Dataset(dataset[0], headers=dataset.headers), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    publication.refresh_from_db()
    assert publication.title == '=HYPERLINK("http://evil")'


def test_the_admin_exports_csv(secretariat_client):
    PublicationFactory(slug="a-study", title="A study")
    chosen = {f"publicationresource_{name}": "on" for name in PublicationResource().get_export_order()}
    response = secretariat_client.post(
        reverse("admin:publications_publication_export"), {"resource": "0", "format": "0", **chosen}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["a-study"]
