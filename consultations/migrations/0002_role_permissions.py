from django.contrib.auth.management import create_permissions
from django.db import migrations

# The secretariat runs the consultations and looks them up in the admin. Members of the
# group get no model permission: consultations.access says what each may see.
SECRETARIAT_CODENAMES = ["view_consultation", "view_answer", "manage_consultations"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("consultations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="secretariat")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="consultations", codename__in=SECRETARIAT_CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
