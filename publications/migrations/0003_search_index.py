"""A GIN index for the library's full-text search, on PostgreSQL only.

The expression must be the one publications.search.search_document() builds, or the
planner will not use the index (tests/publications/test_search.py checks that it
does). SQLite, the embedded demo, has no such index and searches without it. The
index is not in the model's Meta because SQLite cannot create it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "publication_search_idx"


def search_index() -> GinIndex:
    document = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("abstract", weight="B", config="english")
        + SearchVector("topics_text", weight="C", config="english")
    )
    return GinIndex(document, name=INDEX_NAME)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("publications", "Publication"), search_index())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("publications", "Publication"), search_index())


class Migration(migrations.Migration):
    dependencies = [("publications", "0002_lookups_and_permissions")]

    operations = [migrations.RunPython(create, drop)]
