"""Indexes for the inbox, the outbox and the admin changelist, each in its order to the tie-breaker id (issue 14)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0005_statistics_period_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["receiving_state", "-sent_at", "-id"], name="referral_inbox_list_idx"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["sending_state", "-created_at", "-id"], name="referral_outbox_list_idx"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["-created_at", "-id"], name="referral_created_list_idx"),
        ),
    ]
