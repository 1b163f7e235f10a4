"""Indexes matching each case list's filter and order, the tie-breaker id included (issue 14)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_statistics_period_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="case_state_stage_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_state_status_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_state_created_idx",
        ),
        migrations.RemoveIndex(
            model_name="case",
            name="case_year_idx",
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["member_state", "-created_at", "-id"], name="case_state_list_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["member_state", "stage", "-created_at", "-id"], name="case_state_stage_list_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["member_state", "status", "-created_at", "-id"], name="case_state_status_list_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["-created_at", "-id"], name="case_created_list_idx"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["year", "-created_at", "-id"], name="case_year_list_idx"),
        ),
    ]
