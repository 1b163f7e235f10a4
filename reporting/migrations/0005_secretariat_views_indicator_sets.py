from django.db import migrations


def grant(apps, schema_editor):
    """The secretariat looks up the indicator versions in the admin (read-only)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="reporting", codename="view_indicatorset").first()
    if permission is not None:
        Group.objects.get(name="secretariat").permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_country_profiles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
