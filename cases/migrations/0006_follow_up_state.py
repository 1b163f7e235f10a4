"""Follow-ups carry their case's state, for one state's open follow-ups off one index (issue 14)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_case_states(apps, schema_editor):
    # Each follow-up takes its case's state, in one UPDATE.
    FollowUp = apps.get_model("cases", "FollowUp")
    Case = apps.get_model("cases", "Case")
    FollowUp.objects.update(
        member_state_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("member_state_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_list_indexes"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="member_state",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.memberstate",
            ),
        ),
        migrations.RunPython(copy_case_states, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="followup",
            name="member_state",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="members.memberstate",
            ),
        ),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("done_on__isnull", True)),
                fields=["member_state", "due_on", "id"],
                name="followup_state_open_idx",
            ),
        ),
    ]
