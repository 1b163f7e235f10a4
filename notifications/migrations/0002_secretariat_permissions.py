from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT_PERMISSIONS = [
    ("notifications", "add_announcement"),
    ("notifications", "change_announcement"),
    ("notifications", "view_announcement"),
    ("notifications", "view_notification"),
    ("notifications", "view_delivery"),
    ("notifications", "change_delivery"),
    ("thb_portal", "view_jobrun"),
]


def grant(apps, schema_editor):
    for app_label in ("notifications", "thb_portal"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat = Group.objects.get(name="secretariat")
    for app_label, codename in SECRETARIAT_PERMISSIONS:
        secretariat.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat:
        for app_label, codename in SECRETARIAT_PERMISSIONS:
            secretariat.permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("thb_portal", "0001_initial"),
        ("members", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
