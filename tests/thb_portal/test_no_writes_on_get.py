"""No database write on a plain GET or HEAD (DESIGN §4, §10), but the audit record of a read.

Every URL pattern of the every-URL test (tests/access) is requested by every role, with the
real ids of its world, twice by GET: the first request may still write what a session writes
once (its activity stamp in the session tables, a cold cache filled), the second must write
nothing but audit-log rows. A HEAD runs the same view as a GET (only the body is dropped), so it is
requested once more, after the GETs, by the roles whose pages differ most: an anonymous
visitor, an owning NCP and the secretariat. That keeps the walk within the suite's time.
A write made once per object (marking a notice read) shows in the first GET. A GET or HEAD
that writes makes the embedded default (SQLite: one writer at a time) answer "database is
locked" as soon as a few tabs load at once.
"""

import re
from http.cookies import SimpleCookie

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.services import user_email_address_ensure
from tests.access import policy as p
from tests.access.test_every_url import NoProbeValue, build_path, endpoints, url_values
from tests.access.world import build_world

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Reads of case, identity and referral data are audited (DESIGN §7): the one write a GET may cause.
AUDIT_TABLE = "auditlog_logentry"
# What a session writes once, on its first request (members.middleware.ActivityMiddleware).
SESSION_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "(django_session|usersessions_usersession)"')
# The embedded default's cache is a table too: a page may fill a cold cache (the facts and
# figures) once; from then on it reads it. A fill on every GET would show in the second one.
CACHE_FILL = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM) "thb_cache"')


# The roles whose HEADs are walked too (see the module's docstring).
HEAD_ROLES = (p.ANON, p.NCP_EE, p.SECRETARIAT)


def writes(queries) -> list[str]:
    return [query["sql"] for query in queries if WRITE.match(query["sql"]) and AUDIT_TABLE not in query["sql"]]


@pytest.fixture
def embedded_cache(settings, db):
    # The embedded default keeps its cache (allauth's limits, cached figures) in the
    # database: a cache write there is a database write too.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "thb_cache"},
    }
    call_command("createcachetable", verbosity=0)


def _captured() -> CaptureQueriesContext:
    # The query log keeps the last 9,000 queries, and CaptureQueriesContext slices it by its
    # length: once full, that length stops growing and every later capture would be empty.
    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


def _signed_in_clients(world, login, client) -> dict[str, Client]:
    clients = {p.ANON: Client()}
    for role, user in world.users.items():
        login(user)
        # What a real sign-in does besides (members.adapters.AccountAdapter.login), which the
        # test's force_login skips: without it, allauth's email page would make the row on GET.
        user_email_address_ensure(user=user)
        own = Client()
        own.cookies = client.cookies
        client.cookies = SimpleCookie()
        clients[role] = own
    return clients


def _get(client_: Client, path: str, method: str):
    # A page may sign its visitor out (the logout page does not on GET, but if it did,
    # the next page would be tried as someone else): each request starts from the same cookies.
    cookies = {name: morsel.value for name, morsel in client_.cookies.items()}
    try:
        response = client_.head(path) if method == "HEAD" else client_.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        return response
    finally:
        client_.cookies = SimpleCookie()
        for name, value in cookies.items():
            client_.cookies[name] = value


@pytest.mark.postgres
def test_no_signed_in_page_writes_to_the_database_but_the_audit_of_a_read(
    make_user, demo_states, login, client, mfa_user, settings, embedded_cache
):
    # The activity stamp is written at most every THB_ACTIVITY_WRITE_SECONDS; this walk takes
    # longer than that, and a stamp falling due between the two requests of a page is not a
    # write of that page (test_activity_* below show the throttle).
    settings.THB_ACTIVITY_WRITE_SECONDS = 24 * 60 * 60
    world = build_world(make_user, demo_states, mfa_user)
    clients = _signed_in_clients(world, login, client)
    # The count must see a write, or it proves nothing.
    with CaptureQueriesContext(connection) as probe:
        world.announcement.save(update_fields=["title"])
    assert writes(probe.captured_queries)

    found: list[str] = []
    for endpoint in endpoints():
        rules = p.POLICY.get(endpoint.key)
        if rules is None:
            continue  # the every-URL test names it
        for variant, _rule in p.variants(rules):
            try:
                path = build_path(endpoint, url_values(world, endpoint, variant))
            except NoProbeValue:
                continue  # the every-URL test names it
            for role in p.ROLES:
                # The first GET may write a session's once-only stamp; every later request nothing.
                requests = [("GET", True), ("GET", False)] + ([("HEAD", False)] if role in HEAD_ROLES else [])
                for method, first in requests:
                    try:
                        # Savepoints: a failing request must not abort the test's transaction.
                        with transaction.atomic(), _captured() as queries:
                            response = _get(clients[role], path, method)
                    except Exception as error:  # reported with the others
                        found.append(f"{method} {path} as {role}: {type(error).__name__}: {error}"[:300])
                        break
                    written = writes(queries.captured_queries)
                    if first:
                        written = [sql for sql in written if not (SESSION_WRITE.match(sql) or CACHE_FILL.match(sql))]
                    for sql in written:
                        found.append(f"{method} {path} as {role} ({response.status_code}): {sql[:160]}")
    assert not found, f"{len(found)} writes on GET/HEAD:\n" + "\n".join(found)


def test_a_head_of_the_sign_in_page_is_not_a_sign_in_attempt(client, settings, db):
    # allauth's limits leave out only GET (thb_portal.middleware.AllauthHeadAsGetMiddleware):
    # a monitor's HEADs must neither write nor use up the sign-ins of its address.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "heads"}}
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(3):
        response = client.head(reverse("account_login"))
        assert (response.status_code, response.content) == (200, b"")
    response = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"})
    assert response.status_code != 429
    assert "The email address and/or password you specified are not correct." in response.content.decode()
