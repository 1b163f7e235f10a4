"""The flush after a transactional test, past the tables that refuse TRUNCATE.

pytest-django empties the database after a transactional (or live-server) test with one
TRUNCATE of every table. The audit log and the referral events refuse TRUNCATE on
PostgreSQL (thb_portal/migrations/0003, referrals/migrations/0004), so the flush
disables those `thb_*_no_truncate` triggers and enables them again, all inside the
flush's own transaction: outside it, and for every other statement, they stay on.
"""

import pytest

_EACH_GUARD = """
DO $$
DECLARE guard record;
BEGIN
    FOR guard IN SELECT tgrelid::regclass AS tab, tgname FROM pg_trigger WHERE tgname LIKE 'thb\\_%\\_no\\_truncate'
    LOOP
        EXECUTE format('ALTER TABLE %s {} TRIGGER %I', guard.tab, guard.tgname);
    END LOOP;
END $$;
"""
DISABLE_GUARDS = _EACH_GUARD.format("DISABLE")
ENABLE_GUARDS = _EACH_GUARD.format("ENABLE")


@pytest.fixture(autouse=True, scope="session")
def _flush_past_truncate_guards():
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        # execute_sql_flush runs the list in one transaction (DDL is transactional here).
        return original(self, [DISABLE_GUARDS, *sql_list, ENABLE_GUARDS] if sql_list else sql_list)

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = original
