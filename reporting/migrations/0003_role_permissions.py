from django.contrib.auth.management import create_permissions
from django.db import migrations

# The secretariat runs the data calls and looks them up in the admin. The states' members get
# no model permission: reporting.access says what each may see and do.
SECRETARIAT_CODENAMES = ["view_datacall", "view_return", "manage_reporting"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reporting")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="secretariat")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reporting", codename__in=SECRETARIAT_CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_first_indicator_set"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
