"""Full-text search of the library, in one query language (core/search.py) on both backends.

The text typed is parsed once and re-written for the database in use, so that a query
finds the same publications on PostgreSQL and on SQLite (the embedded default); the
same table of queries and answers is tested on both (tests/publications/test_search.py).
Both weigh the title above the abstract above the topics' names, and rank best first.

- PostgreSQL: the stored `search_vector` column (a generated column, weighted: title A,
  abstract B, topics C), matched with websearch_to_tsquery() and ranked with ts_rank().
  A GIN index on the column (migration 0004) keeps it fast.
- SQLite: an FTS5 index `publication_search` (external content: the publications table),
  matched with FTS5's MATCH and ranked with bm25(). Triggers keep it in step with every
  write of a publication row, whatever writes it (services, the admin, the import, the
  demo seeder, bulk writes): an index that depends on each writer remembering it drifts.
  Rebuilding a table on SQLite (what Django's migrations do to alter a column) drops its
  triggers, so after every `migrate` ensure_sqlite_index() puts back what is missing.

A search lists the best THB_SEARCH_MAX_RESULTS matches only (bounded(), the same on both
backends): the rank of a common word is then a top-N sort, never a sort of every match.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Field, FloatField, Func, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from core import search as query_language
from core.search import BoundedResults

if TYPE_CHECKING:  # the model imports this module (PostgresSearchDocument)
    from publications.models import Publication

SEARCH_CONFIG = "english"
RANK = "search_rank"  # the annotation that search() ranks by
FTS_TABLE = "publication_search"


def search_document():
    """The weighted document the generated column `search_vector` holds (PostgreSQL)."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("abstract", weight="B", config=SEARCH_CONFIG)
        + SearchVector("topics_text", weight="C", config=SEARCH_CONFIG)
    )


class PostgresSearchDocument(Func):
    """search_document() on PostgreSQL; NULL on SQLite, which has its FTS5 index instead.

    The expression of the generated column, so that the model (and its migration) is
    the same on both backends while only PostgreSQL computes and stores a tsvector.
    """

    template = "%(expressions)s"

    def __init__(self):
        super().__init__(search_document())

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


# The FTS5 index and the triggers that keep it in step. Used by migration 0004, by
# ensure_sqlite_index() after every migrate, and by the tests on a bare sqlite3 connection
# (as are sqlite_condition() and sqlite_rank()).
# The porter tokenizer stems English words as PostgreSQL's "english" configuration does.
SQLITE_INDEX = """
CREATE VIRTUAL TABLE IF NOT EXISTS publication_search USING fts5(
    title, abstract, topics_text,
    content='publications_publication', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)
"""
SQLITE_TRIGGERS = {
    "publication_search_insert": """
CREATE TRIGGER IF NOT EXISTS publication_search_insert AFTER INSERT ON publications_publication BEGIN
    INSERT INTO publication_search(rowid, title, abstract, topics_text)
    VALUES (new.id, new.title, new.abstract, new.topics_text);
END
""",
    # An external-content index forgets a row by being given its old values.
    "publication_search_delete": """
CREATE TRIGGER IF NOT EXISTS publication_search_delete AFTER DELETE ON publications_publication BEGIN
    INSERT INTO publication_search(publication_search, rowid, title, abstract, topics_text)
    VALUES ('delete', old.id, old.title, old.abstract, old.topics_text);
END
""",
    "publication_search_update": """
CREATE TRIGGER IF NOT EXISTS publication_search_update
AFTER UPDATE OF id, title, abstract, topics_text ON publications_publication BEGIN
    INSERT INTO publication_search(publication_search, rowid, title, abstract, topics_text)
    VALUES ('delete', old.id, old.title, old.abstract, old.topics_text);
    INSERT INTO publication_search(rowid, title, abstract, topics_text)
    VALUES (new.id, new.title, new.abstract, new.topics_text);
END
""",
}
SQLITE_REBUILD = "INSERT INTO publication_search(publication_search) VALUES ('rebuild')"
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS publication_search_insert",
    "DROP TRIGGER IF EXISTS publication_search_delete",
    "DROP TRIGGER IF EXISTS publication_search_update",
    "DROP TABLE IF EXISTS publication_search",
]
SQLITE_MATCHING = "SELECT rowid FROM publication_search WHERE publication_search MATCH %s"
# bm25() weights of title, abstract and topics: those of ts_rank()'s A, B and C (1, 0.4, 0.2).
SQLITE_RANK = (
    "SELECT -bm25(publication_search, 10.0, 4.0, 2.0) FROM publication_search WHERE publication_search MATCH %s"
)


def sqlite_condition(parsed: query_language.SearchQuery, pk_sql: str) -> tuple[str, list[str]]:
    """SQL true for the rows (id in `pk_sql`) that `parsed` matches, with its parameters.

    Shared by the ORM (_SqliteSearch) and the tests on a bare sqlite3 connection. The
    parameters are FTS5 expressions built by core.search, never the text as typed.
    """
    including, only_excluding = query_language.to_fts5(parsed)
    parts, params = [], []
    if including:
        parts.append(f"{pk_sql} IN ({SQLITE_MATCHING})")
        params.append(including)
    for excluded in only_excluding:
        parts.append(f"{pk_sql} NOT IN ({SQLITE_MATCHING})")
        params.append(excluded)
    return "(" + " OR ".join(parts) + ")", params


def sqlite_rank(parsed: query_language.SearchQuery, pk_sql: str) -> tuple[str, list[str]]:
    """SQL for the rank of the row `pk_sql`: -bm25(), so higher is better as with ts_rank().

    NULL for a row found only by a clause that excludes (nothing to rank it by); 0
    when the whole query only excludes.
    """
    including, _ = query_language.to_fts5(parsed)
    if not including:
        return "0.0", []
    return f"({SQLITE_RANK} AND rowid = {pk_sql})", [including]


def ensure_sqlite_index(cursor, *, create: bool = False) -> bool:
    """Put back the FTS5 index's missing triggers, and rebuild the index if any was missing.

    With `create` (migration 0004), create the index too; without it (after any later
    migrate), do nothing where there is no index: migrated back before 0004, or not yet
    migrated that far. Returns whether anything was missing. `cursor`: DB-API, SQLite.
    """
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
    existing = {name for (name,) in cursor.fetchall()}
    if FTS_TABLE not in existing and not create:
        return False
    missing = [name for name in [FTS_TABLE, *SQLITE_TRIGGERS] if name not in existing]
    if missing:
        cursor.execute(SQLITE_INDEX)
        for statement in SQLITE_TRIGGERS.values():
            cursor.execute(statement)
        # Rows written while a trigger was missing are in the table but not in the index.
        cursor.execute(SQLITE_REBUILD)
    return bool(missing)


class _SqliteSearch(Func):
    """sqlite_condition() or sqlite_rank() for the row of the query it is used in.

    The primary key is compiled by Django, so that the table's alias is the right one.
    """

    def __init__(
        self,
        build: Callable[[query_language.SearchQuery, str], tuple[str, list[str]]],
        parsed: query_language.SearchQuery,
        output_field: Field,
    ):
        super().__init__(F("pk"), output_field=output_field)
        self.build, self.parsed = build, parsed

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[str | int]]:
        # Func's function, template and joiner do not apply: `build` writes the whole SQL.
        (pk,) = self.get_source_expressions()
        pk_sql, pk_params = compiler.compile(pk)
        assert not pk_params
        sql, params = self.build(self.parsed, pk_sql)
        return sql, [*params]


def _search_postgresql(queryset: QuerySet, parsed: query_language.SearchQuery) -> QuerySet:
    query = SearchQuery(query_language.to_websearch(parsed), search_type="websearch", config=SEARCH_CONFIG)
    return queryset.filter(search_vector=query).annotate(**{RANK: SearchRank(F("search_vector"), query)})


def _search_sqlite(queryset: QuerySet, parsed: query_language.SearchQuery) -> QuerySet:
    return queryset.filter(_SqliteSearch(sqlite_condition, parsed, BooleanField())).annotate(
        **{RANK: _SqliteSearch(sqlite_rank, parsed, FloatField())}
    )


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Publications of `queryset` matching `text`, best first; all of them for an empty query."""
    parsed = query_language.parse(text)
    if not parsed:
        return queryset
    if connection.vendor == "postgresql":
        found = _search_postgresql(queryset, parsed)
    else:
        found = _search_sqlite(queryset, parsed)
    return found.order_by(F(RANK).desc(nulls_last=True), "-publication_date", "-pk")


# The cached rankings of publications (core.search.BoundedResults) start again at any write to a
# publication or its audiences and topics (publications.apps).
SEARCH_SCOPE = "publications"


def bounded(queryset: "QuerySet[Publication]") -> "QuerySet[Publication] | BoundedResults[Publication]":
    """What a list shows of `queryset`: a search's best THB_SEARCH_MAX_RESULTS matches
    (after the filters that narrowed it), or the queryset itself when it is not a search."""
    if RANK not in queryset.query.annotations:
        return queryset
    return BoundedResults(
        queryset,
        settings.THB_SEARCH_MAX_RESULTS,
        cache_scope=SEARCH_SCOPE,
        cache_seconds=settings.THB_SEARCH_CACHE_SECONDS,
    )
