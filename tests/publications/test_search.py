"""The library's search: ranking, web-search syntax, filters with the query, and its cost."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from publications import services
from publications.models import Audience, Publication, PublicationType, Topic
from publications.search import search
from tests.publications.factories import PublicationFactory, attach_pdf
from thb_portal.visibility import Visibility


def titles(client, **params) -> list[str]:
    response = client.get(reverse("publications:library"), params)
    assert response.status_code == 200
    return [publication.title for publication in response.context["page"].object_list]


@pytest.fixture
def ranked(db):
    # Newer first by date, so that ranking, not the date, must put the title match on top.
    abstract_only = PublicationFactory(
        title="Annual review",
        abstract="A chapter on forced begging in the capitals.",
        publication_date=date(2024, 1, 1),
    )
    title_match = PublicationFactory(
        title="Forced begging in the region", abstract="Police and social services.", publication_date=date(2019, 1, 1)
    )
    PublicationFactory(title="Unrelated", abstract="Nothing about it.", publication_date=date(2025, 1, 1))
    return title_match, abstract_only


def test_a_title_match_ranks_above_an_abstract_only_match(client, ranked):
    assert titles(client, q="begging") == ["Forced begging in the region", "Annual review"]


@pytest.mark.postgres
def test_full_text_search_ranks_title_over_abstract_with_stemming(client, ranked):
    assert connection.vendor == "postgresql"
    # "beg" is stemmed and matched against "begging"; the rank is PostgreSQL's ts_rank.
    assert titles(client, q="beg") == ["Forced begging in the region", "Annual review"]
    results = list(search(Publication.objects.all(), "begging"))
    assert results[0].search_rank > results[1].search_rank


@pytest.mark.postgres
def test_web_search_syntax_phrases_or_and_exclusion(client, db):
    PublicationFactory(title="Labour exploitation in agriculture")
    PublicationFactory(title="Exploitation of labour migrants in construction")
    PublicationFactory(title="Sexual exploitation online")
    assert titles(client, q='"labour exploitation"') == ["Labour exploitation in agriculture"]
    assert sorted(titles(client, q="labour -agriculture")) == ["Exploitation of labour migrants in construction"]
    assert sorted(titles(client, q="agriculture or online")) == [
        "Labour exploitation in agriculture",
        "Sexual exploitation online",
    ]


@pytest.mark.postgres
def test_the_search_uses_the_gin_index(db):
    PublicationFactory(title="Child trafficking")
    queryset = search(Publication.objects.all(), "child trafficking")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "publication_search_idx" in plan, plan


def test_topics_are_searched_too(client, db):
    publication = PublicationFactory(title="Annual review", abstract="Figures.")
    services.publication_set_topics(publication=publication, topics=Topic.objects.filter(code="forced-begging"))
    PublicationFactory(title="Other review", abstract="Figures.")
    assert titles(client, q="begging") == ["Annual review"]


def test_filters_combine_with_the_query(client, db):
    municipalities = Audience.objects.get(code="municipalities")
    media = Audience.objects.get(code="mass-media")
    labour = Topic.objects.get(code="labour-exploitation")

    def make(title, audience, kind=PublicationType.GUIDELINES, day=date(2021, 3, 1), language="en"):
        publication = PublicationFactory(title=title, type=kind, publication_date=day)
        publication.audiences.set([audience])
        services.publication_set_topics(publication=publication, topics=[labour])
        attach_pdf(publication, language)
        return publication

    make("Trafficking guide for municipalities", municipalities)
    make("Trafficking guide for journalists", media)
    make("Trafficking study for municipalities", municipalities, kind=PublicationType.STUDY)
    make("Old trafficking guide for municipalities", municipalities, day=date(2012, 3, 1))
    make("Latvian trafficking guide for municipalities", municipalities, language="lv")
    make("Municipal guide without the word", municipalities)

    query = {"q": "trafficking", "audience": "municipalities", "type": PublicationType.GUIDELINES}
    assert sorted(titles(client, **query)) == [
        "Latvian trafficking guide for municipalities",
        "Old trafficking guide for municipalities",
        "Trafficking guide for municipalities",
    ]
    assert sorted(titles(client, **query, year="2021")) == [
        "Latvian trafficking guide for municipalities",
        "Trafficking guide for municipalities",
    ]
    assert titles(client, **query, year="2021", language="lv") == ["Latvian trafficking guide for municipalities"]
    assert titles(client, **query, topic="labour-exploitation", year="2012") == [
        "Old trafficking guide for municipalities"
    ]
    assert titles(client, **query, topic="forced-begging") == []


def test_the_query_stays_in_the_url_of_every_page(client, db):
    for n in range(30):
        PublicationFactory(title=f"Trafficking report {n}")
    response = client.get(reverse("publications:library"), {"q": "trafficking", "type": "study"})
    html = response.content.decode()
    assert 'href="?q=trafficking&amp;type=study&amp;page=2"' in html
    assert 'value="trafficking"' in html
    second = client.get(reverse("publications:library"), {"q": "trafficking", "type": "study", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_members_only_and_drafts_are_not_found_by_anonymous_searches(client, db):
    PublicationFactory(title="Trafficking public", visibility=Visibility.PUBLIC)
    PublicationFactory(title="Trafficking members", visibility=Visibility.MEMBERS)
    PublicationFactory(title="Trafficking draft", visibility=Visibility.DRAFT)
    assert titles(client, q="trafficking") == ["Trafficking public"]


def _seed(count: int) -> None:
    """Publications in bulk, all matching the filters of the test below, so that no page is empty."""
    start = Publication.objects.filter(slug__startswith="bulk-").count()
    slugs = [f"bulk-{n}" for n in range(start, start + count)]
    Publication.objects.bulk_create(
        [
            Publication(
                title=f"Study {n} on labour trafficking" if n % 2 else f"Labour report {n}",
                slug=slug,
                type=PublicationType.STUDY,
                publication_date=date(2014, 1 + n % 12, 1),
                abstract="Labour exploitation in agriculture and construction." if n % 5 else "Other.",
                topics_text="Labour exploitation",
                visibility=Visibility.PUBLIC,
            )
            for n, slug in zip(range(start, start + count), slugs, strict=True)
        ],
        batch_size=1000,
    )
    audience = Audience.objects.get(code="municipalities")
    Through = Publication.audiences.through
    new = Publication.objects.filter(slug__in=slugs).values_list("pk", flat=True)
    Through.objects.bulk_create([Through(publication_id=pk, audience_id=audience.pk) for pk in new], batch_size=1000)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


SEARCH_PAGES = [
    "",
    "?q=labour+trafficking",
    "?q=labour&audience=municipalities&type=study&year=2014&page=2",
]


def test_the_search_page_runs_as_many_queries_for_5000_publications_as_for_10(client, db):
    urls = [reverse("publications:library") + params for params in SEARCH_PAGES]
    _seed(10)
    for publication in Publication.objects.all():
        attach_pdf(publication)
    small = [_queries(client, url) for url in urls]
    _seed(4990)
    assert Publication.objects.count() == 5000
    large = [_queries(client, url) for url in urls]
    assert small == large
    assert max(large) <= 15


def test_the_mandates_page_runs_as_many_queries_for_many_mandates(client, db):
    url = reverse("publications:mandates")
    for n in range(3):
        PublicationFactory(type=PublicationType.MANDATE, title=f"Mandate {n}")
    small = _queries(client, url)
    for n in range(20):
        attach_pdf(PublicationFactory(type=PublicationType.MANDATE, title=f"Another mandate {n}"))
    assert _queries(client, url) == small
