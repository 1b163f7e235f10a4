"""The library's search: ranking, web-search syntax, filters with the query, and its cost."""

import sqlite3
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from core.search import parse as parse_query
from core.visibility import Visibility
from publications import services
from publications.models import Audience, Publication, PublicationType, Topic
from publications.search import ensure_sqlite_index, search, sqlite_condition, sqlite_rank
from tests.publications.factories import PublicationFactory, attach_pdf


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


# One table of queries and answers for both backends: through the library page on the
# database of the run (PostgreSQL in `make test`, SQLite in its fallback), and on a bare
# in-memory SQLite with the migration's FTS5 index and triggers, whatever the run's database.
CORPUS = [
    # title, abstract, topics (as topics_text holds them)
    ("Forced labour in agriculture", "Seasonal workers on farms.", "Labour exploitation"),
    ("Trafficking for labour exploitation in construction", "Subcontractors and agencies.", "Labour exploitation"),
    ("Forced begging in the capitals", "Children and adults made to beg.", "Forced begging"),
    ("Handbook for labour inspectors", "How to spot forced labour at work sites.", ""),
    ("Online sexual exploitation", "Trafficking for sexual exploitation through websites.", "Sexual exploitation"),
    ("Annual review", "Figures of the year.", ""),
]
ALL = sorted(title for title, _, _ in CORPUS)
AGRICULTURE, CONSTRUCTION, BEGGING, HANDBOOK, ONLINE, REVIEW = (title for title, _, _ in CORPUS)

# (query, expected titles, whether their order is asserted: the ranking)
SEARCH_TABLE = [
    ('"forced labour"', [AGRICULTURE, HANDBOOK], True),  # a title match above an abstract match
    ("trafficking labour", [CONSTRUCTION], True),  # both words, not either
    ("Labour   TRAFFICKING", [CONSTRUCTION], True),
    ("labour -agriculture", [CONSTRUCTION, HANDBOOK], False),
    ('labour -"forced labour"', [CONSTRUCTION], True),
    ("begging or online", [BEGGING, ONLINE], False),
    ("agriculture OR construction -inspectors", [AGRICULTURE, CONSTRUCTION], False),
    ("forced begging or sexual", [BEGGING, ONLINE], False),  # (forced and begging) or sexual
    ("labour-exploitation", [AGRICULTURE, CONSTRUCTION], False),  # as the tokenizers split it
    ("beg", [BEGGING], True),  # stemmed: begging, beg
    ("-trafficking", [AGRICULTURE, BEGGING, HANDBOOK, REVIEW], False),  # only an exclusion
    ("smuggling", [], True),
    # Bad input is read as plain words; nothing left means the normal list.
    ('"forced labour', [AGRICULTURE, HANDBOOK], False),  # unclosed quote: two words
    ('"', ALL, False),
    ("-", ALL, False),
    ("or", ALL, False),
    ("( ) * : ^ ; NEAR AND NOT", [], True),  # FTS5's operators are plain words here
    ('"" -"" or -', ALL, False),
    ("labour' OR 1=1 --", [AGRICULTURE, CONSTRUCTION, HANDBOOK], False),
]


def _expected(expected, ordered):
    return expected if ordered else sorted(expected)


@pytest.fixture
def corpus(db):
    for title, abstract, topics in CORPUS:
        PublicationFactory(title=title, abstract=abstract, topics_text=topics)


@pytest.mark.parametrize(("query", "expected", "ordered"), SEARCH_TABLE)
def test_the_search_table_through_the_library_page(client, corpus, query, expected, ordered):
    found = titles(client, q=query)
    assert (found if ordered else sorted(found)) == _expected(expected, ordered), connection.vendor


def test_every_kind_of_write_keeps_the_search_in_step(client, db):
    """The generated column (PostgreSQL) and the triggers (SQLite) follow any write."""
    publication = PublicationFactory(title="Forced labour in fishing")
    assert titles(client, q='"forced labour"') == ["Forced labour in fishing"]
    publication.title = "Trafficking at sea"
    publication.save(update_fields=["title"])
    assert titles(client, q="fishing") == []
    assert titles(client, q="sea") == ["Trafficking at sea"]
    Publication.objects.filter(pk=publication.pk).update(abstract="Crews held on trawlers.")
    assert titles(client, q="trawlers") == ["Trafficking at sea"]
    services.publication_delete(publication=publication)
    assert titles(client, q="sea") == []


@pytest.fixture
def bare_sqlite():
    """An in-memory SQLite with the publications table's searched columns, the FTS5 index
    and triggers of migration 0004 (the same statements), and the corpus."""
    database = sqlite3.connect(":memory:")
    cursor = database.cursor()
    cursor.execute(
        "CREATE TABLE publications_publication (id INTEGER PRIMARY KEY, title TEXT NOT NULL,"
        " abstract TEXT NOT NULL, topics_text TEXT NOT NULL)"
    )
    assert ensure_sqlite_index(cursor, create=True)
    cursor.executemany("INSERT INTO publications_publication (title, abstract, topics_text) VALUES (?, ?, ?)", CORPUS)
    yield database
    database.close()


def bare_search(database, query: str) -> list[str]:
    """What publications.search does on SQLite, on the bare connection: the same SQL."""
    parsed = parse_query(query)
    if not parsed:
        return [title for (title,) in database.execute("SELECT title FROM publications_publication ORDER BY title")]
    where, where_params = sqlite_condition(parsed, "id")
    rank, rank_params = sqlite_rank(parsed, "id")
    sql = f"SELECT title FROM publications_publication WHERE {where} ORDER BY {rank} DESC, id"  # noqa: S608
    return [title for (title,) in database.execute(sql.replace("%s", "?"), [*rank_params, *where_params])]


@pytest.mark.parametrize(("query", "expected", "ordered"), SEARCH_TABLE)
def test_the_search_table_on_sqlite_fts5(bare_sqlite, query, expected, ordered):
    found = bare_search(bare_sqlite, query)
    assert (found if ordered else sorted(found)) == _expected(expected, ordered)


def test_the_sqlite_triggers_keep_the_index_in_step(bare_sqlite):
    bare_sqlite.execute("UPDATE publications_publication SET title = 'Domestic servitude' WHERE title = ?", [REVIEW])
    assert bare_search(bare_sqlite, "servitude") == ["Domestic servitude"]
    assert bare_search(bare_sqlite, "annual") == []
    bare_sqlite.execute("DELETE FROM publications_publication WHERE title = ?", [AGRICULTURE])
    assert bare_search(bare_sqlite, '"forced labour"') == [HANDBOOK]
    bare_sqlite.execute(
        "INSERT INTO publications_publication (title, abstract, topics_text) VALUES ('Forced labour at sea', '', '')"
    )
    assert bare_search(bare_sqlite, '"forced labour"') == ["Forced labour at sea", HANDBOOK]
    # The FTS5 integrity check compares the index with the rows it was built from.
    bare_sqlite.execute("INSERT INTO publication_search(publication_search) VALUES ('integrity-check')")


def test_a_rebuilt_table_gets_its_triggers_and_index_back(bare_sqlite):
    """What Django's migrations do on SQLite to alter a table drops its triggers."""
    database = bare_sqlite
    database.executescript(
        "CREATE TABLE new_publications (id INTEGER PRIMARY KEY, title TEXT NOT NULL, abstract TEXT NOT NULL,"
        " topics_text TEXT NOT NULL);"
        " INSERT INTO new_publications SELECT id, title, abstract, topics_text FROM publications_publication;"
        " DROP TABLE publications_publication; ALTER TABLE new_publications RENAME TO publications_publication;"
        " INSERT INTO publications_publication (title, abstract, topics_text) VALUES ('Written meanwhile', '', '');"
    )
    assert ensure_sqlite_index(database.cursor())
    assert bare_search(database, "meanwhile") == ["Written meanwhile"]
    database.execute("UPDATE publications_publication SET title = 'Renamed' WHERE title = 'Written meanwhile'")
    assert bare_search(database, "renamed") == ["Renamed"]
    assert not ensure_sqlite_index(database.cursor())


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab \"-()*:^+.'OR NOT AND or NEAR\u00e9\u0000"), max_size=40))
def test_no_typed_text_makes_the_sqlite_search_fail(text):
    database = sqlite3.connect(":memory:")
    cursor = database.cursor()
    cursor.execute("CREATE TABLE publications_publication (id INTEGER PRIMARY KEY, title, abstract, topics_text)")
    ensure_sqlite_index(cursor, create=True)
    cursor.execute("INSERT INTO publications_publication (title, abstract, topics_text) VALUES ('a b', 'b', '')")
    bare_search(database, text)
    database.close()


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


SEARCH_PAGES = [
    "",
    "?q=labour+trafficking",
    "?q=labour&audience=municipalities&type=study&year=2014&page=2",
]


def test_the_search_page_runs_as_many_queries_for_5000_publications_as_for_10(client, db, assert_constant_queries):
    urls = [reverse("publications:library") + params for params in SEARCH_PAGES]
    _seed(10)
    for publication in Publication.objects.all():
        attach_pdf(publication)
    assert_constant_queries(client, *urls, grow=lambda: _seed(4990))
    assert Publication.objects.count() == 5000


def test_the_mandates_page_runs_as_many_queries_for_many_mandates(client, db, assert_constant_queries):
    for n in range(3):
        PublicationFactory(type=PublicationType.MANDATE, title=f"Mandate {n}")

    def grow():
        for n in range(20):
            attach_pdf(PublicationFactory(type=PublicationType.MANDATE, title=f"Another mandate {n}"))

    assert_constant_queries(client, reverse("publications:mandates"), grow=grow)
