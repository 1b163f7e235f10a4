"""One search language for every backend: words are ANDed, "quoted phrases", -exclusion, `or`.

The text a person types is parsed here into a small structure, and each backend gets
it re-written in its own syntax (PostgreSQL's web-search syntax, SQLite FTS5's MATCH
language), so that both answer the same question. Parsing never fails: anything it
cannot read as an operator is read as plain words, and punctuation is dropped, so the
re-written queries contain only letters, digits, spaces and the operators added here.

- `forced labour`       both words (AND);
- `"forced labour"`     the words next to each other, in this order;
- `labour -agriculture` labour but not agriculture (a phrase can be excluded too);
- `begging or labour`   either; AND binds tighter: `a b or c` is (a and b) or c;
- an unclosed `"` or a lone `-` is ignored, and the words around it are plain words;
- `labour-exploitation` (punctuation inside a word) is the phrase "labour exploitation",
  which is how both backends' tokenizers split it in the documents.

What a search shows is a bounded ranked set (BoundedResults): the best few hundred
matches, whatever the backend, so that a common word costs the same at any size.
"""

import hashlib
import re
import time
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, QuerySet

# Letters and digits only: what both tokenizers (PostgreSQL's parser, FTS5's unicode61)
# keep as word characters. "_" is \w but a separator for both.
WORD = re.compile(r"[^\W_]+")
# A quoted phrase, an optionally negated chunk, or anything else one character at a time.
TOKEN = re.compile(r'(-*)"([^"]*)"|(\S+)')
# A long query is cut rather than refused: more terms than this are ignored.
MAX_TERMS = 32

Term = tuple[str, ...]  # one word, or the words of a phrase


@dataclass(frozen=True)
class Clause:
    """Terms that must all be present, and terms that must all be absent."""

    include: tuple[Term, ...] = ()
    exclude: tuple[Term, ...] = ()


@dataclass(frozen=True)
class SearchQuery:
    """Clauses joined by OR. An empty query means: no search, the normal list.

    Frozen (hashable), as Django's expressions that carry it must be.
    """

    clauses: tuple[Clause, ...]

    def __bool__(self) -> bool:
        return bool(self.clauses)


def _words(text: str) -> Term:
    return tuple(word.lower() for word in WORD.findall(text))


def _balance_quotes(text: str) -> str:
    # An unclosed quote opens nothing: dropped, the words after it stay plain words.
    if text.count('"') % 2:
        last = text.rfind('"')
        text = text[:last] + " " + text[last + 1 :]
    return text


def parse(text: str) -> SearchQuery:
    clauses: list[Clause] = []
    include: list[Term] = []
    exclude: list[Term] = []
    terms = 0

    def close_clause() -> None:
        if include or exclude:
            clauses.append(Clause(tuple(include), tuple(exclude)))
            include.clear()
            exclude.clear()

    for match in TOKEN.finditer(_balance_quotes(text or "")):
        dashes, phrase, chunk = match.groups()
        if chunk is not None:
            if chunk.lower() == "or":
                # `or` at the start, the end, or twice in a row joins nothing: ignored.
                close_clause()
                continue
            stripped = chunk.lstrip("-")
            negated, words = stripped != chunk, _words(stripped)
        else:
            negated, words = bool(dashes), _words(phrase)
        if not words or terms >= MAX_TERMS:
            continue
        terms += 1
        (exclude if negated else include).append(words)
    close_clause()
    return SearchQuery(tuple(clauses))


def _quoted(term: Term) -> str:
    # Words are letters and digits only (WORD), so there is nothing to escape; the
    # replace() is a second line of defence should WORD ever change.
    return '"' + " ".join(term).replace('"', '""') + '"'


def to_websearch(query: SearchQuery) -> str:
    """The query in PostgreSQL's websearch_to_tsquery() syntax.

    Every term is quoted, so that a word such as "or" inside a phrase is never read as
    an operator; a one-word phrase is the word itself.
    """
    clauses = []
    for clause in query.clauses:
        parts = [_quoted(term) for term in clause.include] + ["-" + _quoted(term) for term in clause.exclude]
        clauses.append(" ".join(parts))
    return " or ".join(clauses)


def to_fts5(query: SearchQuery) -> tuple[str, list[str]]:
    """The query for an SQLite FTS5 MATCH: (expression of the clauses with included terms,
    expressions of the clauses that only exclude).

    FTS5 has no "everything but": NOT needs something on its left. A clause made only of
    exclusions is therefore given back apart, as the terms whose matches it leaves out
    (the caller combines `rowid NOT IN (… MATCH that)` with the first expression by OR).
    Either part may be empty.
    """
    including, only_excluding = [], []
    for clause in query.clauses:
        if clause.include:
            expression = "(" + " AND ".join(_quoted(term) for term in clause.include) + ")"
            for term in clause.exclude:
                expression = f"({expression} NOT {_quoted(term)})"
            including.append(expression)
        else:
            only_excluding.append(" OR ".join(_quoted(term) for term in clause.exclude))
    return " OR ".join(including), only_excluding


M = TypeVar("M", bound=Model)


def _version_key(scope: str) -> str:
    return f"search:version:{scope}"


def search_results_changed(scope: str) -> None:
    """Makes every cached ranking of the scope stale: called on each write to its rows (and
    again at commit, as a reader between the write and the commit still ranks the old rows)."""

    def bump() -> None:
        try:
            cache.incr(_version_key(scope))
        except ValueError:  # not there (yet, or evicted): any new value differs from the old ones
            cache.set(_version_key(scope), time.time_ns(), timeout=None)

    bump()
    transaction.on_commit(bump)


class BoundedResults(Generic[M]):
    """The best `limit` rows of a ranked queryset, in its order: what a search lists and counts.

    A common word matches much of a table; ordering every match by rank to show one page
    sorts them all (on disk, at a million rows). Here one query takes the keys of the best
    `limit` + 1 in the queryset's order, which the database answers with a bounded (top-N)
    sort, and each page then reads its own rows by key, through the same queryset, so with
    its annotations, joins and prefetches. The count is the bounded set's; `capped` says
    that there were more matches than it holds ("500+ found").

    The queryset's order must be total (end in the primary key), so that a page's rows
    come back in the order of the keys. Paginator takes this as it takes a queryset (it
    asks count(), then slices; not a Sequence, whose count() counts a value).
    """

    ordered = True  # for Paginator's check of an unordered list

    def __init__(self, queryset: QuerySet[M], limit: int, *, cache_scope: str = "", cache_seconds: int = 0) -> None:
        if limit < 1:
            raise ValueError("A bounded set holds at least one row.")
        self.queryset, self.limit = queryset, limit
        self.cache_scope, self.cache_seconds = cache_scope, cache_seconds
        self._keys: list[Any] | None = None

    def best(self) -> "QuerySet[M, Any]":
        """The query of the keys of the best `limit` + 1 rows, best first."""
        return self.queryset.prefetch_related(None).values_list("pk", flat=True)[: self.limit + 1]

    @property
    def keys(self) -> list[Any]:
        """The keys of the best `limit` + 1 rows (one query, the first time it is asked; with a
        `cache_scope`, the first time anyone asks it until the scope's rows change)."""
        if self._keys is None:
            self._keys = self._cached_keys() if self.cache_scope and self.cache_seconds > 0 else list(self.best())
        return self._keys

    def _cached_keys(self) -> list[Any]:
        # Ranking every match of a common word is most of a search's cost at a million rows
        # (tens of milliseconds), and people search for the same few words. The cache key is
        # the ranking query itself, so the words, the filters and what the visitor may see
        # (each role's visibility filter) all tell the entries apart.
        best = self.best()
        sql, params = best.query.sql_with_params()
        digest = hashlib.sha256(f"{best.db}|{sql}|{params!r}".encode()).hexdigest()
        key = f"search:{self.cache_scope}:{cache.get(_version_key(self.cache_scope), 0)}:{digest}"
        keys = cache.get(key)
        if keys is None:
            keys = list(best)
            cache.set(key, keys, timeout=self.cache_seconds)
        return list(keys)

    @property
    def capped(self) -> bool:
        return len(self.keys) > self.limit

    def count(self) -> int:
        return min(len(self.keys), self.limit)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[M]:
        wanted = self.keys[: self.limit][index]
        if not wanted:
            return []
        return list(self.queryset.filter(pk__in=wanted))
