"""Referral events stay append-only, with one deliberate exception: retention erases a step's data.

A step's data holds free text (reasons, reception plans, meeting places) that may name the
person. When the case is anonymised, that data goes with the rest of what was shared
(cases.services._anonymise). The trigger allows exactly that UPDATE: `data` set to NULL,
every other column unchanged, and only on a referral whose case is already anonymised.
Nothing can be rewritten, only erased, and only at the end of retention. DELETE and
TRUNCATE stay refused (PostgreSQL; SQLite relies on the model's own refusal).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION thb_referral_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.data IS NULL
        AND (to_jsonb(NEW) - 'data') = (to_jsonb(OLD) - 'data')
        AND EXISTS (
            SELECT 1 FROM referrals_referral AS r JOIN cases_case AS c ON c.id = r.case_id
            WHERE r.id = OLD.referral_id AND c.anonymised_at IS NOT NULL
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS thb_referral_events_append_only ON referrals_referralevent;
CREATE TRIGGER thb_referral_events_append_only
    BEFORE UPDATE OR DELETE ON referrals_referralevent
    FOR EACH ROW EXECUTE FUNCTION thb_referral_event_append_only();
CREATE TRIGGER thb_referral_events_no_truncate
    BEFORE TRUNCATE ON referrals_referralevent
    FOR EACH STATEMENT EXECUTE FUNCTION thb_audit_log_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS thb_referral_events_no_truncate ON referrals_referralevent;
DROP TRIGGER IF EXISTS thb_referral_events_append_only ON referrals_referralevent;
CREATE TRIGGER thb_referral_events_append_only
    BEFORE UPDATE OR DELETE ON referrals_referralevent
    FOR EACH ROW EXECUTE FUNCTION thb_audit_log_append_only();
DROP FUNCTION IF EXISTS thb_referral_event_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_events_append_only"), ("cases", "0002_lookups_and_permissions")]

    operations = [migrations.RunPython(create, drop)]
