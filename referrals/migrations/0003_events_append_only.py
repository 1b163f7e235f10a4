"""Referral events are append-only in the database too (PostgreSQL), like the audit log."""

from django.db import migrations

CREATE = """
CREATE TRIGGER thb_referral_events_append_only
    BEFORE UPDATE OR DELETE ON referrals_referralevent
    FOR EACH ROW EXECUTE FUNCTION thb_audit_log_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS thb_referral_events_append_only ON referrals_referralevent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_role_permissions"), ("thb_portal", "0002_audit_log_append_only")]

    operations = [migrations.RunPython(create, drop)]
