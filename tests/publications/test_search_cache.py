"""A search's ranking is kept for a while and starts again at any write to a publication
(core.search.BoundedResults with a cache scope; issue 14: a common word ranks tens of
thousands of matches at a million rows)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.visibility import Visibility
from members.models import Role
from publications.models import Topic
from tests.publications.factories import PublicationFactory

LIBRARY = reverse("publications:library")


def _search(client, text: str, **params) -> tuple[list[str], list[str]]:
    """The titles listed, and the SQL the request ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIBRARY, {"q": text, **params})
    assert response.status_code == 200
    return [p.title for p in response.context["page"].object_list], [q["sql"] for q in queries.captured_queries]


def _rankings(sqls: list[str]) -> list[str]:
    # The ranking query: the keys of the best matches, best first (BoundedResults.best).
    return [sql for sql in sqls if "rank" in sql.lower() and "LIMIT" in sql and "SELECT" in sql]


@pytest.fixture
def library(db):
    PublicationFactory(title="Forced labour in agriculture", abstract="Seasonal work.")
    PublicationFactory(title="Labour inspections", abstract="Inspectors and labour.")
    PublicationFactory(title="Members only on labour", abstract="Labour.", visibility=Visibility.MEMBERS)


def test_the_same_search_again_is_not_ranked_again(client, library):
    first, first_sql = _search(client, "labour")
    again, again_sql = _search(client, "labour")
    assert again == first and len(first) == 2
    assert len(_rankings(first_sql)) == 1 and _rankings(again_sql) == []


def test_a_write_to_a_publication_starts_the_rankings_again(client, library):
    _search(client, "labour")
    PublicationFactory(title="Labour exploitation, a new study")
    found, sql = _search(client, "labour")
    assert "Labour exploitation, a new study" in found and len(_rankings(sql)) == 1
    # Withdrawn from the public: gone from the next search, counted out too.
    hidden = PublicationFactory._meta.model.objects.get(title="Labour inspections")
    hidden.visibility = Visibility.MEMBERS
    hidden.save()
    response = client.get(LIBRARY, {"q": "labour"})
    assert "Labour inspections" not in [p.title for p in response.context["page"].object_list]
    assert response.context["page"].paginator.count == 2


def test_a_change_of_topics_starts_the_rankings_again(client, library):
    topic = Topic.objects.first()
    _search(client, "labour", topic=topic.code)
    publication = PublicationFactory._meta.model.objects.get(title="Labour inspections")
    publication.topics.add(topic)
    found, sql = _search(client, "labour", topic=topic.code)
    assert "Labour inspections" in found and len(_rankings(sql)) == 1


def test_what_a_member_may_see_is_ranked_apart_from_what_the_public_sees(client, login, make_user, library):
    public, _ = _search(client, "labour")
    member, sql = _search(login(make_user(Role.NATIONAL_REPRESENTATIVE, "EE")), "labour")
    assert "Members only on labour" in member and "Members only on labour" not in public
    assert len(_rankings(sql)) == 1
    # And the public is not handed the members' ranking afterwards.
    client.logout()
    assert "Members only on labour" not in _search(client, "labour")[0]


@override_settings(THB_SEARCH_CACHE_SECONDS=0)
def test_with_no_cache_time_every_search_is_ranked(client, library):
    _search(client, "labour")
    assert len(_rankings(_search(client, "labour")[1])) == 1


def test_a_change_of_audiences_starts_the_rankings_again(client, library):
    from publications.models import Audience

    audience = Audience.objects.first()
    _search(client, "labour", audience=audience.code)
    publication = PublicationFactory._meta.model.objects.get(title="Labour inspections")
    publication.audiences.add(audience)
    found, sql = _search(client, "labour", audience=audience.code)
    assert "Labour inspections" in found and len(_rankings(sql)) == 1
