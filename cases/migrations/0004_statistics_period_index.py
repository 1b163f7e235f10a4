# The statistics pages cut by year (their period): the case's year, the referral's sending time.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_audit_entries_by_case_index")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["year"], name="case_year_idx"),
        ),
    ]
