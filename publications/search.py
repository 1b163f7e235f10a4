"""Full-text search of the library.

On PostgreSQL: a weighted document (title A, abstract B, topics C) matched against a
web-search query (quotes, OR, -word) and ranked; a GIN index on the same expression
(migration 0003) keeps it fast. The document here and the index's expression there
must stay identical, or PostgreSQL stops using the index; a test checks that it does.

On SQLite (the embedded demo) there is no such search: a plain case-insensitive match
on the same three fields, with title matches first.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

SEARCH_CONFIG = "english"


def search_document():
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("abstract", weight="B", config=SEARCH_CONFIG)
        + SearchVector("topics_text", weight="C", config=SEARCH_CONFIG)
    )


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def search(queryset: QuerySet, text: str) -> QuerySet:
    """Publications matching `text`, best first."""
    text = text.strip()
    if not text:
        return queryset
    if uses_full_text_search():
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            # alias(), not annotate(): the document is only matched, never sent back.
            queryset.alias(search_document=search_document())
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(search_document(), query))
            .order_by("-search_rank", "-publication_date", "-pk")
        )
    matches = Q(title__icontains=text) | Q(abstract__icontains=text) | Q(topics_text__icontains=text)
    return (
        queryset.filter(matches)
        .annotate(
            search_rank=Case(
                When(title__icontains=text, then=Value(2)),
                When(abstract__icontains=text, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-search_rank", "-publication_date", "-pk")
    )
