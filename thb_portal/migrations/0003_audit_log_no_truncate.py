"""The audit log cannot be truncated either (PostgreSQL).

The row triggers of 0002 do not fire on TRUNCATE, which empties the table at once; a
statement-level trigger refuses it. The test suite's flush after a transactional test
disables the `thb_*_no_truncate` triggers inside its own transaction (tests/truncate_guard.py);
doing the same elsewhere takes the table owner's rights, as dropping the trigger would.
"""

from django.db import migrations

CREATE = """
CREATE TRIGGER thb_audit_log_no_truncate
    BEFORE TRUNCATE ON auditlog_logentry
    FOR EACH STATEMENT EXECUTE FUNCTION thb_audit_log_append_only();
"""
DROP = "DROP TRIGGER IF EXISTS thb_audit_log_no_truncate ON auditlog_logentry;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("thb_portal", "0002_audit_log_append_only")]

    operations = [migrations.RunPython(create, drop)]
