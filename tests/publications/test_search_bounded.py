"""The library's search lists a bounded ranked set, every list of publications reads its page
off an index, and the publications' changelist does not scan (issue 14, sections 2 to 4)."""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

from core.search import BoundedResults
from core.visibility import Visibility
from members.models import Role
from publications import search, selectors, services
from publications.access import publications_for
from publications.indexes import NullsLastIndex
from publications.models import Audience, Publication, PublicationFile, PublicationType, Topic
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory, attach_pdf
from tests.publications.test_search import ALL, CORPUS, SEARCH_TABLE

LIBRARY = reverse("publications:library")
CHANGELIST = "admin:publications_publication_changelist"


def listed(response) -> list[str]:
    return [publication.title for publication in response.context["page"].object_list]


@pytest.fixture
def five_matches(db):
    """Two title matches and three abstract-only matches of "begging", the latter newer, so that
    only the rank (not the date) puts the title matches first; and one that does not match."""
    for n, day in enumerate([date(2018, 1, 1), date(2019, 1, 1)]):
        PublicationFactory(title=f"Forced begging {n}", abstract="Police work.", publication_date=day)
    for n, day in enumerate([date(2023, 1, 1), date(2024, 1, 1), date(2025, 1, 1)]):
        PublicationFactory(title=f"Annual review {n}", abstract="A chapter on begging.", publication_date=day)
    PublicationFactory(title="Unrelated", abstract="Nothing about it.", publication_date=date(2026, 1, 1))


def ranked_titles(text: str) -> list[str]:
    """The whole ranked order of the search, unbounded: what the bounded set is the start of."""
    return [publication.title for publication in search.search(Publication.objects.all(), text)]


@override_settings(THB_SEARCH_MAX_RESULTS=3)
def test_a_search_lists_only_its_best_matches_up_to_the_cap_and_says_there_are_more(client, five_matches):
    response = client.get(LIBRARY, {"q": "begging"})
    shown = listed(response)
    assert len(shown) == 3
    assert shown == ranked_titles("begging")[:3], connection.vendor
    assert set(shown[:2]) == {"Forced begging 0", "Forced begging 1"}
    assert response.context["page"].paginator.count == 3
    assert response.context["capped"] is True
    status = response.content.decode().split('data-testid="result-count">')[1].split("</p>")[0]
    assert status.startswith("3+ publications found;"), status


@override_settings(THB_SEARCH_MAX_RESULTS=5)
def test_a_search_at_the_cap_is_counted_exactly_without_the_note(client, five_matches):
    response = client.get(LIBRARY, {"q": "begging"})
    assert listed(response) == ranked_titles("begging")
    assert response.context["page"].paginator.count == 5
    assert response.context["capped"] is False
    assert "5 publications found, best matches first." in response.content.decode()


@override_settings(THB_SEARCH_MAX_RESULTS=3, PAGE_SIZE=2)
def test_the_pages_of_a_bounded_search_follow_the_rank_and_stop_at_the_cap(client, five_matches):
    best = ranked_titles("begging")
    assert listed(client.get(LIBRARY, {"q": "begging"})) == best[:2]
    assert listed(client.get(LIBRARY, {"q": "begging", "page": 2})) == best[2:3]
    # There is no third page: the nearest real page is the last one.
    assert listed(client.get(LIBRARY, {"q": "begging", "page": 3})) == best[2:3]


@override_settings(THB_SEARCH_MAX_RESULTS=3)
def test_filters_narrow_the_matches_before_the_best_are_taken(client, five_matches):
    Publication.objects.filter(title="Forced begging 0").update(type=PublicationType.HANDBOOK)
    response = client.get(LIBRARY, {"q": "begging", "type": PublicationType.STUDY})
    assert listed(response) == [title for title in ranked_titles("begging") if title != "Forced begging 0"][:3]
    assert response.context["capped"] is True
    only = client.get(LIBRARY, {"q": "begging", "type": PublicationType.HANDBOOK})
    assert listed(only) == ["Forced begging 0"]
    assert only.context["capped"] is False


@override_settings(THB_SEARCH_MAX_RESULTS=3)
def test_the_normal_list_is_not_bounded(client, five_matches):
    response = client.get(LIBRARY)
    assert response.context["page"].paginator.count == 6
    assert response.context["capped"] is False


# The search table of test_search.py, bounded to 2: on the run's database (PostgreSQL in
# `make test`, SQLite in its fallback), every answer is the start of the unbounded one.
@pytest.fixture
def search_corpus(db):
    for title, abstract, topics in CORPUS:
        PublicationFactory(title=title, abstract=abstract, topics_text=topics)


@override_settings(THB_SEARCH_MAX_RESULTS=2)
@pytest.mark.parametrize(("query", "expected", "ordered"), [row for row in SEARCH_TABLE if row[1] != ALL])
def test_the_search_table_bounded_to_two_on_either_backend(client, search_corpus, query, expected, ordered):
    response = client.get(LIBRARY, {"q": query})
    shown = listed(response)
    if ordered:
        assert shown == expected[:2], connection.vendor
    else:
        assert len(shown) == min(2, len(expected)) and set(shown) <= set(expected), connection.vendor
        assert shown == ranked_titles(query)[:2]
    assert response.context["page"].paginator.count == len(shown)
    assert response.context["capped"] is (len(expected) > 2)


def test_the_bounded_set_is_the_start_of_the_ranked_order_and_ranks_never_rise(five_matches):
    ranked = search.search(Publication.objects.all(), "begging or police")
    for limit in range(1, 7):
        best = BoundedResults(ranked, limit)
        rows = best[0:limit]
        assert [row.pk for row in rows] == [row.pk for row in ranked][:limit]
        assert best.count() == min(limit, 5) and best.capped == (limit < 5)
        ranks = [row.search_rank for row in rows]
        assert ranks == sorted(ranks, reverse=True)


def test_bounded_answers_the_queryset_itself_when_it_is_not_a_search(db):
    publications = Publication.objects.all()
    assert search.bounded(publications) is publications
    assert search.bounded(search.search(publications, '"')) is publications
    assert isinstance(search.bounded(search.search(publications, "labour")), BoundedResults)


def _seed(count: int, start: int = 0) -> None:
    Publication.objects.bulk_create(
        [
            Publication(
                title=f"Labour study {n}" if n % 2 else f"Report {n} on labour",
                slug=f"bounded-{n}",
                type=PublicationType.STUDY,
                publication_date=date(2010 + n % 12, 1 + n % 12, 1),
                abstract="Labour exploitation." if n % 3 else "Other.",
                visibility=Visibility.PUBLIC,
            )
            for n in range(start, start + count)
        ]
    )


@override_settings(THB_SEARCH_MAX_RESULTS=10)
# The ranking itself is measured, not the cache of it (tests/publications/test_search_cache.py).
@override_settings(THB_SEARCH_CACHE_SECONDS=0)
def test_a_search_runs_as_many_queries_for_30_matches_past_the_cap_as_for_3(client, db, assert_constant_queries):
    _seed(3)
    for publication in Publication.objects.all():
        attach_pdf(publication)
    urls = [LIBRARY + "?q=labour", LIBRARY + "?q=labour&type=study&page=2", LIBRARY + "?q=labour+-exploitation"]
    [(small, large), _, _] = assert_constant_queries(client, *urls, grow=lambda: _seed(27, start=3))
    assert small.response.context["capped"] is False and large.response.context["capped"] is True
    # No COUNT over the matches: the count is of the keys of the best ones, taken once.
    assert not [sql for sql in large.sql if "COUNT(" in sql.upper()], large.sql


@pytest.mark.postgres
@override_settings(THB_SEARCH_MAX_RESULTS=5)
def test_postgresql_ranks_a_common_word_with_a_bounded_sort(db):
    _seed(400)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publications_publication")
    best = search.bounded(search.search(Publication.objects.public(), "labour"))
    assert isinstance(best, BoundedResults)
    plan = best.best().explain(analyze=True)
    assert "top-N heapsort" in plan, plan


# Each list of publications: how it filters, and the index that must serve its order.
def _index(model, name: str):
    [index] = [index for index in model._meta.indexes if index.name == name]
    return index


def _columns(order_by) -> list[str]:
    return [str(field).replace("pk", "id") for field in order_by]


def test_every_list_order_ends_in_its_index(make_user):
    library = selectors.publication_list(user=make_user(Role.SECRETARIAT))
    order = _columns(library.query.order_by)
    assert order == ["-publication_date", "-id"]
    assert list(_index(Publication, "publication_date_list_idx").fields) == order
    assert list(_index(Publication, "publication_visible_date_idx").fields) == ["visibility", *order]
    assert list(_index(Publication, "publication_visible_type_idx").fields) == ["visibility", "type", *order]
    project = ProjectFactory()
    assert _columns(selectors.project_publications(user=AnonymousUser(), project=project).query.order_by) == order
    assert list(_index(Publication, "publication_project_list_idx").fields) == ["project", *order]
    assert _columns(admin.site._registry[Publication].ordering) == order
    assert list(_index(PublicationFile, "publication_file_language_idx").fields) == ["language", "publication"]
    feed = _index(Publication, "publication_visible_new_idx")
    assert isinstance(feed, NullsLastIndex) and feed.expressions == (
        F("visibility"),
        F("published_at").desc(nulls_last=True),
        F("publication_date").desc(),
        F("id").desc(),
    )


@pytest.fixture
def many_publications(db):
    """3,000 publications over the three levels, the types and 12 years, some with a file in Latvian."""
    levels = [Visibility.PUBLIC, Visibility.MEMBERS, Visibility.DRAFT]
    kinds = list(PublicationType.values)
    Publication.objects.bulk_create(
        [
            Publication(
                title=f"Publication {n}",
                slug=f"many-{n}",
                type=kinds[n % len(kinds)],
                publication_date=date(2013 + n % 12, 1 + n % 12, 1 + n % 28),
                visibility=levels[n % 3],
                published_at=None,
            )
            for n in range(3000)
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publications_publication")


def _plan(queryset, size: int = 25) -> str:
    return queryset[:size].explain()


@pytest.mark.postgres
@pytest.mark.parametrize("role", [None, Role.OBSERVER, Role.SECRETARIAT])
def test_a_page_of_the_library_is_read_off_an_index_without_a_sort(many_publications, make_user, role):
    user = AnonymousUser() if role is None else make_user(role)
    plan = _plan(selectors.publication_list(user=user))
    assert "publication_" in plan and "_idx" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({"type": PublicationType.GUIDELINES}, "publication_visible_type_idx"),
        ({"type": PublicationType.MANDATE}, "publication_visible_type_idx"),
        ({"publication_date__year": 2020}, "publication_visible_date_idx"),
    ],
)
def test_a_filtered_page_of_the_public_library_is_read_off_its_index(many_publications, filters, index):
    plan = _plan(publications_for(AnonymousUser()).filter(**filters).order_by("-publication_date", "-pk"))
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_the_feed_is_read_off_its_index_without_a_sort(many_publications):
    plan = _plan(
        Publication.objects.public().order_by(F("published_at").desc(nulls_last=True), "-publication_date", "-pk"),
        size=30,
    )
    assert "publication_visible_new_idx" in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_the_changelists_page_is_read_off_its_index_without_a_sort(many_publications):
    plan = _plan(Publication.objects.order_by(*admin.site._registry[Publication].ordering), size=100)
    assert "publication_date_list_idx" in plan and "Sort" not in plan, plan


# The changelist.
def test_the_changelist_has_fixed_filters_and_one_count(secretariat_client, assert_constant_queries):
    model_admin = admin.site._registry[Publication]
    assert model_admin.show_full_result_count is False
    assert model_admin.date_hierarchy is None
    assert model_admin.list_select_related == ["project"]

    def grow(count: int) -> None:
        for _ in range(count):
            publication = PublicationFactory(project=ProjectFactory())
            publication.audiences.set(Audience.objects.filter(code__in=["municipalities", "mass-media"]))
            topics = Topic.objects.filter(code__in=["labour-exploitation", "forced-begging"])
            services.publication_set_topics(publication=publication, topics=topics)
            attach_pdf(publication)
            attach_pdf(publication, "lv")

    grow(3)
    base = reverse(CHANGELIST)
    urls = [
        base,
        base + "?type=study&year=2022",
        base + "?has_files=yes&language=en&audience=municipalities&topic=labour-exploitation",
    ]
    pairs = assert_constant_queries(secretariat_client, *urls, grow=lambda: grow(27))
    for _, large in pairs:
        over_publications = [sql for sql in large.sql if '"publications_publication"' in sql]
        assert not [sql for sql in over_publications if "DISTINCT" in sql.upper()], over_publications
        counts = [sql for sql in over_publications if "COUNT(" in sql.upper()]
        assert len(counts) == 1, counts  # the filtered list's, not a second one of the table
    for _, large in pairs:
        assert len(large.response.context["cl"].result_list) == 30
