"""Who sees what: a walk of every public and member URL of the library and the projects.

Anonymous visitors see public items; a members-only item sends them to sign in; drafts
are for the secretariat only and answer 404 to everyone else, like unknown addresses.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from core.visibility import Visibility
from members.models import Role
from projects.models import FundingSource
from publications import services
from publications.demo import tiny_png
from publications.models import PublicationType
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory, attach_pdf

LEVELS = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.DRAFT]
ANONYMOUS = "anonymous"
NO_ROLE = "no role"
WALKERS = [ANONYMOUS, NO_ROLE, Role.OBSERVER, Role.NATIONAL_REPRESENTATIVE, Role.TRAINER, Role.NCP, Role.SECRETARIAT]


@pytest.fixture
def catalogue(db):
    """One publication, mandate and project at each visibility level, with a file and a cover."""
    projects = {
        level: ProjectFactory(
            slug=f"{level}-project", title=f"The {level} project", visibility=level, funding_source=FundingSource.PSF
        )
        for level in LEVELS
    }
    for level in LEVELS:
        publication = PublicationFactory(
            slug=f"{level}-report", title=f"The {level} report", visibility=level, project=projects[Visibility.PUBLIC]
        )
        attach_pdf(publication)
        services.publication_set_cover(publication=publication, upload=ContentFile(tiny_png(), name="cover.png"))
        PublicationFactory(
            slug=f"{level}-mandate", title=f"The {level} mandate", type=PublicationType.MANDATE, visibility=level
        )
    return projects


@pytest.fixture
def walker_client(client, make_user, login):
    def _client(walker):
        client.logout()
        if walker == ANONYMOUS:
            return client
        user = make_user(
            "" if walker == NO_ROLE else walker, "EE" if walker in (Role.NCP, Role.NATIONAL_REPRESENTATIVE) else None
        )
        return login(user)

    return _client


def expected_status(walker, level) -> int:
    if level == Visibility.PUBLIC:
        return 200
    if level == Visibility.MEMBERS:
        if walker == ANONYMOUS:
            return 302  # to the sign-in page
        return 404 if walker == NO_ROLE else 200
    return 200 if walker == Role.SECRETARIAT else 404


def item_urls(level) -> list[str]:
    return [
        reverse("publications:detail", args=[f"{level}-report"]),
        reverse("publications:download", args=[f"{level}-report", "en"]),
        reverse("publications:cover", args=[f"{level}-report"]),
        reverse("publications:detail", args=[f"{level}-mandate"]),
        reverse("projects:detail", args=[f"{level}-project"]),
    ]


PUBLIC_PAGES = [
    reverse("home"),
    reverse("publications:library"),
    reverse("publications:library") + "?q=report&type=study",
    reverse("publications:mandates"),
    reverse("projects:ongoing"),
    reverse("projects:psf"),
    reverse("projects:all"),
    reverse("publications:feed_rss"),
    reverse("publications:feed_atom"),
    reverse("sitemap"),
]


@pytest.mark.parametrize("walker", WALKERS)
def test_walk_every_public_and_member_url(catalogue, walker_client, walker):
    client = walker_client(walker)
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, (walker, url)
    for level in LEVELS:
        for url in item_urls(level):
            response = client.get(url)
            assert response.status_code == expected_status(walker, level), (walker, url)
            if response.status_code == 302:
                assert response.url == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("walker", WALKERS)
def test_lists_show_only_what_the_walker_may_see(catalogue, walker_client, walker):
    client = walker_client(walker)
    visible = {level for level in LEVELS if expected_status(walker, level) == 200}
    pages = {
        reverse("publications:library"): "report",
        reverse("publications:mandates"): "mandate",
        reverse("projects:ongoing"): "project",
        reverse("projects:psf"): "project",
        reverse("projects:all"): "project",
    }
    for url, kind in pages.items():
        html = client.get(url).content.decode()
        for level in LEVELS:
            assert (f"The {level} {kind}" in html) == (level in visible), (walker, url, level)


@pytest.mark.parametrize("walker", WALKERS)
def test_a_project_page_lists_only_the_outputs_the_walker_may_see(catalogue, walker_client, walker):
    html = walker_client(walker).get(reverse("projects:detail", args=["public-project"])).content.decode()
    for level in LEVELS:
        assert (f"The {level} report" in html) == (expected_status(walker, level) == 200), (walker, level)


def test_a_public_report_of_a_draft_project_does_not_link_the_project(client, db):
    draft = ProjectFactory(slug="hidden", title="Hidden project", visibility=Visibility.DRAFT)
    PublicationFactory(slug="open", title="Open report", project=draft)
    html = client.get(reverse("publications:detail", args=["open"])).content.decode()
    assert "Open report" in html
    assert "Hidden project" not in html


ADMIN_URLS = [
    "/admin/publications/publication/",
    "/admin/publications/publication/add/",
    "/admin/publications/publication/import/",
    "/admin/publications/publication/export/",
    "/admin/publications/audience/",
    "/admin/publications/topic/",
    "/admin/projects/project/",
    "/admin/projects/project/add/",
]


@pytest.mark.parametrize("walker", WALKERS)
def test_admin_walk_only_the_secretariat_gets_in(catalogue, walker_client, walker):
    client = walker_client(walker)
    for url in ADMIN_URLS:
        # The admin sends visitors to its login, which hands over to the portal's (allauth) one.
        response = client.get(url, follow=True)
        if walker == ANONYMOUS:
            assert response.redirect_chain[-1][0].startswith(reverse("account_login")), url
        else:
            assert response.status_code == (200 if walker == Role.SECRETARIAT else 403), (walker, url)


def test_admin_change_pages_open_for_the_secretariat(catalogue, walker_client):
    from projects.models import Project
    from publications.models import Publication

    client = walker_client(Role.SECRETARIAT)
    for publication in Publication.objects.all():
        assert client.get(reverse("admin:publications_publication_change", args=[publication.pk])).status_code == 200
    for project in Project.objects.all():
        assert client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/library/no-such-publication/",
        "/library/no-such-publication/download/en/",
        "/library/public-report/download/xx/",
        "/library/public-report/download/de/",
        "/library/no-such-publication/cover/",
        "/library/public-mandate/cover/",
        "/projects/no-such-project/",
        "/library/feed/",
    ],
)
def test_unknown_addresses_answer_404(client, catalogue, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/library/?page=abc",
        "/library/?page=-1",
        "/library/?page=99999",
        "/library/?year=1800&type=nonsense&audience=nobody&topic=%00&language=zz",
        "/library/?q=%00",
        "/library/?q=" + "x" * 5000,
        "/library/?q=%22unbalanced&q=two",
        "/library/?q=%26%7C%21%3A*()",
        "/mandates/?page=0",
        "/projects/?page=last",
        "/projects/all/?status=nonsense&funding_source=%00&page=2.5",
    ],
)
def test_bad_input_never_fails(client, catalogue, url):
    assert client.get(url).status_code == 200


def test_posting_to_public_pages_is_refused(client, catalogue):
    assert client.post(reverse("publications:library")).status_code == 405
    assert client.post(reverse("publications:download", args=["public-report", "en"])).status_code == 405
