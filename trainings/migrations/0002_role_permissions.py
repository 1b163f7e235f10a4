from django.contrib.auth.management import create_permissions
from django.db import migrations

# Trainers get no model-level permission: the secretariat creates trainings and assigns
# trainers, and each trainer's rights on a training are guardian grants on that object
# (services.training_set_trainers). The secretariat oversees every training.
SECRETARIAT_CODENAMES = [
    f"{action}_{model}"
    for model in ("training", "trainingsession", "registration", "historicaltotal", "participantemail")
    for action in ("add", "change", "delete", "view")
] + ["view_all_trainings"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("trainings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name="secretariat")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="trainings", codename__in=SECRETARIAT_CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
