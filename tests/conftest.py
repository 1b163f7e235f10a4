"""Shared fixtures, and the rule for tests that need a real service.

`make test` (tools/run_tests.py) starts PostgreSQL, Redis and finds chromium, and says
which it has in THB_AVAILABLE_SERVICES. A test marked postgres/redis/e2e is skipped
when its service is missing, and is an error instead with THB_REQUIRE_SERVICES=1.
"""

import contextlib
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Role
from tests.members.factories import UserFactory

SERVICE_FOR_MARKER = {"postgres": "postgres", "redis": "redis", "e2e": "chromium", "worker": "broker"}

pytest_plugins = ["tests.service_fixtures", "tests.truncate_guard"]


def available_services() -> set[str]:
    declared = os.environ.get("THB_AVAILABLE_SERVICES")
    if declared is not None:
        return {name for name in declared.split(",") if name}
    found = set()
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        found.add("postgres")
    if settings.REDIS_URL:
        found.add("redis")
    if os.environ.get("THB_CHROMIUM") or shutil.which("chromium"):
        found.add("chromium")
    if os.environ.get("THB_TEST_BROKER_PORT") and shutil.which("redis-server"):
        found.add("broker")
    return found


_skipped_for_missing: list[str] = []


def pytest_collection_modifyitems(config, items):
    available = available_services()
    require = os.environ.get("THB_REQUIRE_SERVICES") == "1"
    missing_needed = set()
    for item in items:
        for marker, service in SERVICE_FOR_MARKER.items():
            if item.get_closest_marker(marker) and service not in available:
                missing_needed.add(service)
                item.add_marker(pytest.mark.skip(reason=f"needs {service}, which is not available"))
                _skipped_for_missing.append(f"{item.nodeid} (needs {service})")
    if require and missing_needed:
        raise pytest.UsageError(
            f"THB_REQUIRE_SERVICES=1 but these services are missing: {', '.join(sorted(missing_needed))}"
        )


def pytest_terminal_summary(terminalreporter):
    if _skipped_for_missing:
        terminalreporter.section("SKIPPED FOR MISSING SERVICES", sep="!", bold=True, red=True)
        for line in _skipped_for_missing:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The database cache (embedded default) needs its table; with Redis this does nothing.
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploaded files go to a fresh folder per test: never into the project's media/, and a
    test can see exactly what was written."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": root}},
    }
    return root


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; every test starts with none.
    # Outside a database test the database cache is out of reach; nothing to clear then.
    with contextlib.suppress(Exception):
        cache.clear()
    yield


def _force_login_as_a_real_login_would(force_login):
    """Client.force_login, plus the session's authentication records a real login leaves.

    The portal asks for MFA in the session, not only on the account (members.middleware):
    allauth records "password" at login and "mfa" after the code step. force_login records
    nothing, so it records here what a real login of this user would: the code step only
    if the user has an authenticator. A test that enrols a user after signing them in gets
    what a real session would: a password-only session.
    """
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import RequestFactory

    def _force_login(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        request = RequestFactory().get("/")
        request.session = session
        record_authentication(request, user, method="password", email=user.email)
        authenticator = Authenticator.objects.filter(user_id=user.pk).exclude(type="recovery_codes").first()
        if authenticator is not None:
            record_authentication(request, user, method="mfa", id=authenticator.pk, type=authenticator.type)
        session.save()

    return _force_login


@pytest.fixture(autouse=True)
def _force_login_records_authentication(monkeypatch):
    from django.test import Client

    monkeypatch.setattr(Client, "force_login", _force_login_as_a_real_login_would(Client.force_login))


@pytest.fixture
def demo_states(db):
    from members.demo import MEMBER_STATES
    from members.models import MemberState

    return {
        code: MemberState.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "is_eu_eea": eu})[0]
        for code, name, kind, eu in MEMBER_STATES
    }


@pytest.fixture
def make_user(db, demo_states):
    """make_user(role, state_code=None, **fields) -> a user with that role, set through the service."""

    def _make(role: str, state_code: str | None = None, **fields):
        return UserFactory(role_name=role, member_state=demo_states[state_code] if state_code else None, **fields)

    return _make


@pytest.fixture
def users_by_role(make_user):
    """One user of each role (state roles in Estonia), for permission walks."""
    return {
        Role.SECRETARIAT: make_user(Role.SECRETARIAT),
        Role.NCP: make_user(Role.NCP, "EE"),
        Role.NATIONAL_REPRESENTATIVE: make_user(Role.NATIONAL_REPRESENTATIVE, "EE"),
        Role.TRAINER: make_user(Role.TRAINER),
        Role.OBSERVER: make_user(Role.OBSERVER),
    }


# The states of a referral in the referral and dashboard tests: EE sends, LV receives, LT is outside.
@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE", full_name="Eeva Sender")


@pytest.fixture
def lv_ncp(make_user):
    return make_user(Role.NCP, "LV", full_name="Liga Receiver")


@pytest.fixture
def lv_alt(make_user):
    return make_user(Role.NCP, "LV", full_name="Janis Alternate")


@pytest.fixture
def lt_ncp(make_user):
    return make_user(Role.NCP, "LT", full_name="Lina Outsider")


@pytest.fixture
def secretariat_client(client, make_user, mfa_user):
    """The test client signed in as a secretariat user, enrolled in MFA and with the code step
    done in this session (as a real login); the user is client.user."""
    user = make_user(Role.SECRETARIAT)
    mfa_user(user)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def login(client, mfa_user):
    """login(user) -> the test client signed in as `user` (enrolled in MFA where the role needs it,
    and with the session's MFA record a real login with the code leaves)."""
    from allauth.mfa.utils import is_mfa_enabled

    def _login(user):
        client.logout()
        if user.role in (Role.NCP, Role.SECRETARIAT) and not is_mfa_enabled(user):
            mfa_user(user)
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def mfa_user():
    """Give a user a TOTP authenticator, as enrolment would."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def _enrol(user):
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return _enrol


@pytest.fixture
def service_calls(monkeypatch):
    """Record each call of a service, which still runs: `calls = service_calls(services, "x_save")`
    gives the list of the keyword arguments of every call (an admin saving through it, say)."""

    def _watch(module, name: str) -> list[dict]:
        calls: list[dict] = []
        real = getattr(module, name)

        def spy(**kwargs):
            calls.append(kwargs)
            return real(**kwargs)

        monkeypatch.setattr(module, name, spy)
        return calls

    return _watch


# The budget of a page (DESIGN §10). Savepoints are transaction control around the session
# save and allauth's session tracking, not the page's work, so they are not counted.
QUERY_BUDGET = 15
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@dataclass
class PageQueries:
    """One GET of a page: its response and the statements it ran (without transaction control)."""

    url: str
    response: object
    sql: list[str]

    @property
    def count(self) -> int:
        return len(self.sql)


def page_queries(client, url: str, *, status: int = 200) -> PageQueries:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}, not {status}"
    sql = [query["sql"] for query in captured.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL)]
    return PageQueries(url, response, sql)


def _shape(sql: str) -> str:
    # Statements that differ only in their values are the same query run again (an N+1).
    sql = re.sub(r"_django_curs_\w+", "_django_curs_?", sql)  # a server-side cursor's own name
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:300]


def _grown_by(small: PageQueries, large: PageQueries) -> str:
    extra = Counter(map(_shape, large.sql)) - Counter(map(_shape, small.sql))
    return "\n".join(f"    +{times} × {shape}" for shape, times in extra.most_common(5))


@pytest.fixture
def assert_constant_queries(db):
    """assert_constant_queries(client, *urls, grow, budget=15, prepare=None, status=200)
    -> [(small, large)] (PageQueries for each url, in order).

    Requests each url once to warm up (a session's first request records the session; the
    first use of a model fills the content-type cache), measures each, calls grow() to add
    data, measures each again and asserts that the count is the same and within the budget.
    prepare(), when given, runs before every measurement (to empty a page cache, say).
    """

    def _assert(
        client,
        *urls: str,
        grow: Callable[[], object],
        budget: int = QUERY_BUDGET,
        prepare: Callable[[], object] | None = None,
        status: int = 200,
    ) -> list[tuple[PageQueries, PageQueries]]:
        assert urls, "name at least one page"

        def measure() -> list[PageQueries]:
            measured = []
            for url in urls:
                if prepare is not None:
                    prepare()
                measured.append(page_queries(client, url, status=status))
            return measured

        for url in urls:
            client.get(url)
        small = measure()
        grow()
        large = measure()
        pairs = list(zip(small, large, strict=True))
        problems = [
            f"{before.url}: {before.count} queries before grow(), {after.count} after\n{_grown_by(before, after)}"
            for before, after in pairs
            if before.count != after.count
        ]
        problems += [
            f"{page.url}: {page.count} queries, over the budget of {budget}" for page in large if page.count > budget
        ]
        assert not problems, "\n".join(problems)
        return pairs

    return _assert
