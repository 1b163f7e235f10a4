"""The library's search on both backends (publications/search.py).

PostgreSQL: the weighted document becomes a stored generated column, `search_vector`,
with a GIN index under the name of 0003's expression index, which it replaces (search
ranks from a stored tsvector, DESIGN.md section 10). The column is NULL on SQLite.

SQLite: an FTS5 index over the publications, with the triggers that keep it in step,
filled from the rows already there. The statements live in publications/search.py,
shared with ensure_sqlite_index(), which puts back triggers that a later rebuild of
the table drops.
"""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

import publications.search

INDEX_NAME = "publication_search_idx"


def expression_index() -> GinIndex:
    document = (
        django.contrib.postgres.search.SearchVector("title", weight="A", config="english")
        + django.contrib.postgres.search.SearchVector("abstract", weight="B", config="english")
        + django.contrib.postgres.search.SearchVector("topics_text", weight="C", config="english")
    )
    return GinIndex(document, name=INDEX_NAME)


def column_index() -> GinIndex:
    return GinIndex(fields=["search_vector"], name=INDEX_NAME)


def drop_expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("publications", "Publication"), expression_index())


def restore_expression_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("publications", "Publication"), expression_index())


def add_column_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("publications", "Publication"), column_index())


def drop_column_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("publications", "Publication"), column_index())


def create_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            publications.search.ensure_sqlite_index(cursor, create=True)


def drop_fts_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in publications.search.SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("publications", "0003_search_index")]

    operations = [
        migrations.RunPython(drop_expression_index, restore_expression_index),
        migrations.AddField(
            model_name="publication",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=publications.search.PostgresSearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(add_column_index, drop_column_index),
        # After AddField: on SQLite adding a stored generated column rebuilds the table,
        # which would drop triggers created before it.
        migrations.RunPython(create_fts_index, drop_fts_index),
    ]
