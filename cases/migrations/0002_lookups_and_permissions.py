from django.contrib.auth.management import create_permissions
from django.db import migrations

# Stable codes: statistics and CTDC exports depend on them.
EXPLOITATION_FORMS = [
    ("sexual", "Sexual exploitation", "isSexualExploit"),
    ("labour", "Forced labour / labour exploitation", "isForcedLabour"),
    ("forced_marriage", "Forced or sham marriage", "isForcedMarriage"),
    ("forced_criminality", "Forced criminality", "isOtherExploit"),
    ("forced_begging", "Forced begging", "isOtherExploit"),
    ("child_trafficking", "Child trafficking", "isOtherExploit"),
    ("organ_removal", "Organ removal", "isOrganRemoval"),
    ("servitude", "Servitude and domestic slavery", "isSlaveryAndPractices"),
    ("other", "Other", "isOtherExploit"),
]
CONTROL_MEANS = [
    ("threats", "Threats"),
    ("debt_bondage", "Debt bondage"),
    ("withheld_documents", "Withheld documents"),
    ("false_promises", "False promises"),
    ("psychological_abuse", "Psychological abuse"),
    ("physical_abuse", "Physical abuse"),
    ("sexual_abuse", "Sexual abuse"),
    ("drugs_alcohol", "Drugs or alcohol"),
    ("denied_basic_needs", "Denial of basic needs"),
    ("excessive_hours", "Excessive working hours"),
    ("restricted_movement", "Restricted movement"),
    ("other", "Other"),
]
ROLE_PERMISSIONS = {
    "ncp": ["add_case"],
    "secretariat": ["view_case_statistics"],
}


def seed(apps, schema_editor):
    ExploitationForm = apps.get_model("cases", "ExploitationForm")
    ControlMeans = apps.get_model("cases", "ControlMeans")
    for code, name, column in EXPLOITATION_FORMS:
        ExploitationForm.objects.update_or_create(code=code, defaults={"name": name, "ctdc_column": column})
    for code, name in CONTROL_MEANS:
        ControlMeans.objects.update_or_create(code=code, defaults={"name": name})

    app_config = apps.get_app_config("cases")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="cases", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("members", "0002_role_groups")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
