from django.contrib.auth.management import create_permissions
from django.db import migrations

# Stable codes: the library's filter URLs and the catalogue import use them.
AUDIENCES = [
    ("municipalities", "Municipalities"),
    ("mass-media", "Mass media"),
    ("diplomatic-consular-staff", "Diplomatic and consular staff"),
    ("frontline-professionals", "Frontline professionals"),
    ("policy-makers", "Policy makers"),
    ("general-public", "General public"),
]
TOPICS = [
    ("labour-exploitation", "Labour exploitation"),
    ("sexual-exploitation", "Sexual exploitation"),
    ("forced-marriage", "Forced or sham marriage"),
    ("forced-criminality", "Forced criminality"),
    ("forced-begging", "Forced begging"),
    ("child-trafficking", "Child trafficking"),
    ("organ-removal", "Trafficking for organ removal"),
    ("identification", "Identification of victims"),
    ("victim-assistance", "Victim assistance and protection"),
    ("referral", "Referral and the BSR-TRM"),
    ("return-reintegration", "Return and reintegration"),
    ("prosecution", "Investigation and prosecution"),
    ("prevention", "Prevention and awareness"),
    ("data-research", "Data and research"),
    ("crisis-response", "Crisis response and displacement"),
    ("online-recruitment", "Online recruitment"),
]
SECRETARIAT_PERMISSIONS = [
    "add_publication",
    "change_publication",
    "view_publication",
    "delete_publication",
    "view_draft_publication",
    "add_publicationfile",
    "change_publicationfile",
    "view_publicationfile",
    "delete_publicationfile",
    "add_audience",
    "change_audience",
    "view_audience",
    "delete_audience",
    "add_topic",
    "change_topic",
    "view_topic",
    "delete_topic",
]


def seed(apps, schema_editor):
    Audience = apps.get_model("publications", "Audience")
    Topic = apps.get_model("publications", "Topic")
    for position, (code, name) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    for position, (code, name) in enumerate(TOPICS):
        Topic.objects.update_or_create(code=code, defaults={"name": name, "position": position})

    app_config = apps.get_app_config("publications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="secretariat").permissions.add(
        *Permission.objects.filter(content_type__app_label="publications", codename__in=SECRETARIAT_PERMISSIONS)
    )


def unseed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat = Group.objects.filter(name="secretariat").first()
    if secretariat:
        secretariat.permissions.remove(
            *Permission.objects.filter(content_type__app_label="publications", codename__in=SECRETARIAT_PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("publications", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(seed, unseed)]
