"""Give every existing user the verified, primary allauth EmailAddress of their login email.

Email changes now go through allauth's verification (ACCOUNT_CHANGE_EMAIL): the new
address is added unverified and replaces the old one only once confirmed, and the old
address is told. That needs the current address on record as verified and primary;
until now users were created without one. The address was proved when its owner
accepted the invitation sent to it.
"""

from django.db import migrations


def add_primary_email_addresses(apps, schema_editor):
    User = apps.get_model("members", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    have_primary = EmailAddress.objects.filter(primary=True).values("user_id")
    for user in User.objects.exclude(pk__in=have_primary).exclude(email="").iterator():
        email = user.email.lower()
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        else:
            address.verified = True
            address.primary = True
            address.save(update_fields=["verified", "primary"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_role_groups"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(add_primary_email_addresses, migrations.RunPython.noop)]
