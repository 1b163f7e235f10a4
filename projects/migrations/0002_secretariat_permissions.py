from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_PERMISSIONS = [
    "add_project",
    "change_project",
    "view_project",
    "delete_project",
    "view_draft_project",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="secretariat").permissions.add(
        *Permission.objects.filter(content_type__app_label="projects", codename__in=SECRETARIAT_PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat:
        secretariat.permissions.remove(
            *Permission.objects.filter(content_type__app_label="projects", codename__in=SECRETARIAT_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(grant, revoke)]
