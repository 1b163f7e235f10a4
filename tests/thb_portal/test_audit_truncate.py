"""The audit log refuses TRUNCATE too (PostgreSQL), and the test suite's own flush still works."""

import pytest
from auditlog.models import LogEntry
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from members.models import Role


def _truncate(table: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Pending foreign-key checks would refuse the TRUNCATE before the trigger could.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def _guards_enabled() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgname LIKE 'thb\\_%%\\_no\\_truncate'")
        return dict(cursor.fetchall())


@pytest.mark.postgres
def test_the_database_refuses_to_truncate_the_audit_log(make_user):
    make_user(Role.SECRETARIAT)  # its creation is an audit entry
    assert LogEntry.objects.exists()
    with pytest.raises(DatabaseError, match="append-only: TRUNCATE"):
        _truncate("auditlog_logentry")
    assert LogEntry.objects.exists()


@pytest.mark.postgres
def test_the_test_flush_passes_the_guards_and_leaves_them_on(make_user):
    make_user(Role.SECRETARIAT)
    assert _guards_enabled() == {"thb_audit_log_no_truncate": "O", "thb_referral_events_no_truncate": "O"}
    # What pytest-django runs after a transactional test (here inside the test's own transaction,
    # whose foreign-key checks must be done first, as they are after autocommitted statements).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), ["auditlog_logentry"]))
    assert not LogEntry.objects.exists()
    assert _guards_enabled() == {"thb_audit_log_no_truncate": "O", "thb_referral_events_no_truncate": "O"}
    with pytest.raises(DatabaseError, match="append-only"):
        _truncate("auditlog_logentry")


@pytest.mark.postgres
def test_an_audit_entry_made_in_a_transactional_test_is_flushed_afterwards(
    transactional_db, django_db_serialized_rollback, make_user
):
    # The flush after this test truncates auditlog_logentry: it must not fail on the guard.
    make_user(Role.SECRETARIAT)
    assert LogEntry.objects.exists()
