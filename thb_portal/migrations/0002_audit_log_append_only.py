"""The audit log is append-only in the database itself, not only in the admin.

On PostgreSQL a trigger refuses UPDATE and DELETE on auditlog's table; SQLite (the
embedded demo) relies on the admin's read-only screens.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION thb_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER thb_audit_log_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION thb_audit_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS thb_audit_log_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS thb_audit_log_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("thb_portal", "0001_initial"), ("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(create, drop)]
