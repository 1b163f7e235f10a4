"""An index for reading a case's audit entries: its trail and "who has seen this".

Both look entries up by the case id in auditlog's additional_data (cases.selectors),
newest first. Without it each case page would scan the whole audit log, which only
grows. PostgreSQL only: the embedded SQLite demo is small.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS thb_audit_entries_by_case
    ON auditlog_logentry ((additional_data -> 'case_id'), "timestamp" DESC, id DESC);
"""
DROP = "DROP INDEX IF EXISTS thb_audit_entries_by_case;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_lookups_and_permissions"), ("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(create, drop)]
