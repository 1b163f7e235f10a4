"""One visibility badge (templates/_components/visibility_badge.html) on the four pages that
show publications and projects: members-only and draft say so, public shows nothing."""

import pytest
from django.urls import reverse

from core.visibility import Visibility
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory

MEMBERS = '<span class="badge text-bg-info">Members only</span>'
DRAFT = '<span class="badge text-bg-warning">Draft</span>'
DRAFT_ON_ITS_PAGE = '<span class="badge text-bg-warning">Draft: only the secretariat sees it</span>'
EXPECTED_ON_ITS_PAGE = {Visibility.PUBLIC: None, Visibility.MEMBERS: MEMBERS, Visibility.DRAFT: DRAFT_ON_ITS_PAGE}


@pytest.mark.parametrize("kind", ["publication", "project"])
def test_the_list_and_the_page_show_the_visibility_badge(secretariat_client, kind):
    factory, list_url = {
        "publication": (PublicationFactory, reverse("publications:library")),
        "project": (ProjectFactory, reverse("projects:all")),
    }[kind]
    items = {level: factory(title=f"A {level} {kind}", visibility=level) for level in Visibility.values}
    listing = secretariat_client.get(list_url).content.decode()
    assert listing.count(MEMBERS) == 1 and listing.count(DRAFT) == 1
    for level, item in items.items():
        page = secretariat_client.get(item.get_absolute_url()).content.decode()
        badges = [badge for badge in (MEMBERS, DRAFT_ON_ITS_PAGE) if badge in page]
        assert badges == ([EXPECTED_ON_ITS_PAGE[level]] if EXPECTED_ON_ITS_PAGE[level] else []), level
