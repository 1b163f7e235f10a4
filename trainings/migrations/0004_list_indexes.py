"""Indexes for the participants list, of a training and in the admin, in their order to the
tie-breaker id (issue 14)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_delete_participantemail"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="registration",
            name="registration_training_status",
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["training", "full_name", "id"], name="registration_training_list"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["training", "status", "full_name", "id"], name="registration_training_status"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["full_name", "id"], name="registration_name_list"),
        ),
    ]
