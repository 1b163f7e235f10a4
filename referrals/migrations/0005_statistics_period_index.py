# The statistics pages cut by year (their period): the case's year, the referral's sending time.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("referrals", "0004_events_erased_with_their_case")]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["sent_at"], name="referral_sent_idx"),
        ),
    ]
