"""An index for each list of publications: its filter, then its order to the tie-breaker id.

The project's foreign key loses its own index: publication_project_list_idx leads with it.
On SQLite, altering that column rebuilds the table, which drops the search's FTS5 triggers;
the post_migrate handler (publications.apps) puts them back, as after every migrate.
"""

import django.db.models.deletion
from django.db import migrations, models

import publications.indexes


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_secretariat_permissions"),
        ("publications", "0004_search_everywhere"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="publication",
            name="publication_visible_date_idx",
        ),
        migrations.RemoveIndex(
            model_name="publication",
            name="publication_visible_type_idx",
        ),
        migrations.RemoveIndex(
            model_name="publication",
            name="publication_visible_new_idx",
        ),
        migrations.RemoveIndex(
            model_name="publicationfile",
            name="publication_file_language_idx",
        ),
        migrations.AlterField(
            model_name="publication",
            name="project",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="publications",
                to="projects.project",
                verbose_name="related project",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["-publication_date", "-id"], name="publication_date_list_idx"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["visibility", "-publication_date", "-id"], name="publication_visible_date_idx"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["visibility", "type", "-publication_date", "-id"], name="publication_visible_type_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=publications.indexes.NullsLastIndex(
                models.F("visibility"),
                models.OrderBy(models.F("published_at"), descending=True, nulls_last=True),
                models.OrderBy(models.F("publication_date"), descending=True),
                models.OrderBy(models.F("id"), descending=True),
                name="publication_visible_new_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["project", "-publication_date", "-id"], name="publication_project_list_idx"),
        ),
        migrations.AddIndex(
            model_name="publicationfile",
            index=models.Index(fields=["language", "publication"], name="publication_file_language_idx"),
        ),
    ]
