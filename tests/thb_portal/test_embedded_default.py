"""The embedded default as users meet it: activity written every few minutes, not on every
page; SQLite configured as a real embedded database; an intended 403/404 is one log line."""

import importlib
import logging
import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse

from members.middleware import ActivityMiddleware
from members.models import Role
from tests.members.test_auth import login as real_login


@pytest.fixture
def clock(monkeypatch):
    """clock(seconds) moves time.time that far ahead of now."""
    real_time = time.time

    def _move(seconds: float) -> None:
        monkeypatch.setattr(time, "time", lambda: real_time() + seconds)

    return _move


def _session_row(client) -> str:
    return Session.objects.get(session_key=client.session.session_key).session_data


def _sign_in(client, user, capture) -> None:
    # allauth records the user session when the login commits.
    with capture(execute=True):
        real_login(client, user.email)


def test_activity_is_written_at_most_once_per_throttle_interval(
    client, make_user, settings, clock, django_capture_on_commit_callbacks
):
    settings.THB_ACTIVITY_WRITE_SECONDS = 300
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    _sign_in(client, user, django_capture_on_commit_callbacks)
    client.get(reverse("dashboard"))
    seen = UserSession.objects.get(user=user).last_seen_at
    row = _session_row(client)
    clock(200)  # within the throttle: neither the session nor "last seen" is written
    assert client.get(reverse("members:directory")).status_code == 200
    assert _session_row(client) == row
    assert UserSession.objects.get(user=user).last_seen_at == seen
    clock(310)  # past it: both move, once
    assert client.get(reverse("members:directory")).status_code == 200
    assert _session_row(client) != row
    assert UserSession.objects.get(user=user).last_seen_at > seen


def test_the_idle_timeout_holds_to_the_throttle_granularity(client, make_user, mfa_user, settings, clock):
    settings.THB_ACTIVITY_WRITE_SECONDS, settings.THB_IDLE_TIMEOUT_SECONDS = 300, 1800
    user = make_user(Role.NCP, "EE")
    mfa_user(user)
    client.force_login(user)
    client.get(reverse("dashboard"))
    for elapsed in (250, 550, 850, 1150, 1450, 1750, 2050):  # busy, every five minutes or so
        clock(elapsed)
        assert client.get(reverse("dashboard")).status_code == 200, elapsed
    clock(2050 + 1800 + 300 + 1)  # idle for longer than the timeout and the throttle together
    assert client.get(reverse("dashboard")).url.startswith(reverse("account_login"))


def test_the_badge_records_no_activity(client, make_user, settings, clock, django_capture_on_commit_callbacks):
    settings.THB_ACTIVITY_WRITE_SECONDS = 300
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    _sign_in(client, user, django_capture_on_commit_callbacks)
    client.get(reverse("dashboard"))
    seen = UserSession.objects.get(user=user).last_seen_at
    clock(400)
    client.get(reverse("notifications:badge"), headers={"HX-Request": "true"})
    assert UserSession.objects.get(user=user).last_seen_at == seen
    assert client.session[ActivityMiddleware.SESSION_KEY] < time.time() - 300


def _settings_with(monkeypatch, url: str):
    import thb_portal.settings as module

    monkeypatch.setenv("DATABASE_URL", url)
    try:
        return importlib.reload(module).DATABASES["default"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)


def test_sqlite_runs_with_wal_a_busy_timeout_and_immediate_transactions(monkeypatch, tmp_path):
    database = _settings_with(monkeypatch, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    options = database["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
    assert "synchronous=NORMAL" in options["init_command"]


def test_sqlite_connections_are_in_wal_mode_with_the_busy_timeout(monkeypatch, tmp_path, django_db_blocker):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    database = _settings_with(monkeypatch, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    extra = {"TIME_ZONE": None, "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True}
    wrapper = DatabaseWrapper({**database, **extra}, alias="probe")
    with django_db_blocker.unblock():
        _check_pragmas(wrapper)


def _check_pragmas(wrapper) -> None:
    wrapper.connect()
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
            assert cursor.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    finally:
        wrapper.close()


def test_postgresql_gets_none_of_the_sqlite_options(monkeypatch):
    database = _settings_with(monkeypatch, "postgres://portal@127.0.0.1:5432/portal")
    options = database.get("OPTIONS", {})
    assert "transaction_mode" not in options and "init_command" not in options


def _one_line(caplog, status: int) -> logging.LogRecord:
    records = [r for r in caplog.records if r.name == "django.request" and getattr(r, "status_code", 0) == status]
    assert len(records) == 1
    return records[0]


def test_an_intended_403_is_logged_as_one_line_without_a_traceback(client, make_user, caplog):
    user = make_user(Role.TRAINER)
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("cases:list")).status_code == 403
    record = _one_line(caplog, 403)
    assert record.getMessage() == f"GET {reverse('cases:list')} 403 user={user.pk}"
    assert record.exc_info is None and record.exc_text is None
    assert "Traceback" not in caplog.text


def test_an_intended_404_is_logged_as_one_line_with_who_asked(client, make_user, caplog):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    client.force_login(user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/no-such-page/%0Aforged line").status_code == 404
    record = _one_line(caplog, 404)
    # The client's own text cannot start a line of its own in the log.
    assert record.getMessage() == f"GET /no-such-page/\\nforged line 404 user={user.pk}"
    caplog.clear()
    client.logout()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/no-such-page/").status_code == 404
    assert _one_line(caplog, 404).getMessage() == "GET /no-such-page/ 404 user=-"


def test_the_filter_leaves_other_records_alone():
    from thb_portal.log import ClientErrorFilter

    request = RequestFactory().post("/x/")
    message = "Internal Server Error: %s"
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, message, ("/x/",), None)
    record.status_code, record.request = 500, request
    assert ClientErrorFilter().filter(record)
    assert record.getMessage() == "Internal Server Error: /x/"
