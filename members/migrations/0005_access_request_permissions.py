"""The secretariat sees access requests in the admin (read-only: they are decided in the portal)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("members")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="secretariat")
    group.permissions.add(Permission.objects.get(content_type__app_label="members", codename="view_accessrequest"))


class Migration(migrations.Migration):
    dependencies = [("members", "0004_access_requests")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
