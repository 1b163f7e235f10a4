from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {"ncp": ["add_referral"], "secretariat": ["view_referral_statistics"]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("referrals")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        Group.objects.get(name=role).permissions.add(
            *Permission.objects.filter(content_type__app_label="referrals", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
