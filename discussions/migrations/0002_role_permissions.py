from django.contrib.auth.management import create_permissions
from django.db import migrations

# The secretariat opens topics, hides posts and corrects topics in the admin. Members of the
# group get no model permission: discussions.access says what each may see and do.
SECRETARIAT_CODENAMES = ["view_topic", "change_topic", "view_thread", "view_post", "manage_discussions"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("discussions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="secretariat")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="discussions", codename__in=SECRETARIAT_CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [("discussions", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
