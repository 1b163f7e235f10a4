"""Create the role groups with their model permissions.

Later apps add their own permissions to these groups in their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "secretariat": [
        "members.view_directory",
        "members.invite_user",
        "members.add_user",
        "members.change_user",
        "members.view_user",
        "members.add_memberstate",
        "members.change_memberstate",
        "members.view_memberstate",
        "members.add_organisation",
        "members.change_organisation",
        "members.view_organisation",
        "members.delete_organisation",
        "members.add_expertisearea",
        "members.change_expertisearea",
        "members.view_expertisearea",
        "members.delete_expertisearea",
        "auditlog.view_logentry",
    ],
    "ncp": ["members.view_directory"],
    "national_representative": ["members.view_directory"],
    "trainer": ["members.view_directory"],
    "observer": ["members.view_directory"],
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in permission_names:
            app_label, codename = name.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
