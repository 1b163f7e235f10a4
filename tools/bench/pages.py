"""The pages the benchmark measures, and what is asked of them in Django (the child process
that loads the portal: migrating, seeding, where the pages are, how many queries they run)."""

import sys
from dataclasses import dataclass

# Role only: core.roles loads no settings, so the parent, which never sets Django up, may import it.
from core.roles import Role

# --- the pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    # Who requests it (a role of thb_portal.bench_data.BENCH_LOGINS), None for a visitor.
    role: str | None
    url_name: str
    # What the URL takes: "case" (a case of the big state with a referral), "training" (the big
    # one), "topic" and "thread" (the big discussion topic and thread), "call" (the newest data
    # call), "country" (the big state's code).
    arg: str = ""
    query: str = ""
    content: str = ""
    # The cached figures are deleted before each request.
    cold: bool = False


# The content: a regular expression the page's own content matches (a count of its rows where it
# shows one), so that a page answering 200 with something else, or empty, fails.
ROWS = r"[1-9][\d,]*\+? {}"
PAGES = [
    Page("case list (NCP)", Role.NCP, "cases:list", content=ROWS.format("cases")),
    Page("case list, one stage", Role.NCP, "cases:list", query="stage=urgent_assistance", content=ROWS.format("cases")),
    Page("case detail", Role.NCP, "cases:detail", arg="case", content=r"Case EE-[\s\S]*-R1"),
    Page("referral inbox", Role.NCP, "referrals:inbox", content=ROWS.format("referrals")),
    Page("referral outbox", Role.NCP, "referrals:outbox", content=ROWS.format("referrals")),
    Page("library: a word", None, "publications:library", query="q=labour", content=ROWS.format("publications")),
    Page(
        "library: a phrase",
        None,
        "publications:library",
        query="q=%22forced+labour%22",
        content=ROWS.format("publications"),
    ),
    Page("participants", Role.TRAINER, "trainings:detail", arg="training", content=ROWS.format("participants")),
    Page("facts and figures, cached", None, "trainings:facts", content="People trained by audience"),
    Page("facts and figures, cold", None, "trainings:facts", content="People trained by audience", cold=True),
    Page("dashboard (NCP)", Role.NCP, "dashboard", content="Waiting for your action"),
    Page("dashboard (representative)", Role.NATIONAL_REPRESENTATIVE, "dashboard", content="Contact points of Estonia"),
    Page("dashboard (trainer)", Role.TRAINER, "dashboard", content="Next sessions"),
    Page("dashboard (secretariat)", Role.SECRETARIAT, "dashboard", content=r"<h2[^>]*>\s*Secretariat"),
    Page(
        "meetings (representative)",
        Role.NATIONAL_REPRESENTATIVE,
        "meetings:list",
        content=r"Meeting \d{5} \(benchmark\)",
    ),
    Page(
        "action points (representative)",
        Role.NATIONAL_REPRESENTATIVE,
        "meetings:actions",
        content=r"Action point \d{5}",
    ),
    Page(
        "consultations (representative)",
        Role.NATIONAL_REPRESENTATIVE,
        "consultations:list",
        content=r"Consultation \d{5} \(benchmark\)",
    ),
    Page(
        "discussion topic (representative)",
        Role.NATIONAL_REPRESENTATIVE,
        "discussions:topic",
        arg="topic",
        content=r"Thread \d{5} \(benchmark\)",
    ),
    Page(
        "discussion thread (representative)",
        Role.NATIONAL_REPRESENTATIVE,
        "discussions:thread",
        arg="thread",
        content=r"Post \d+ of thread 0",
    ),
    Page("reporting: data calls (secretariat)", Role.SECRETARIAT, "reporting:index", content=r"Data call \d{4}"),
    Page(
        "reporting: a call's board (secretariat)",
        Role.SECRETARIAT,
        "reporting:call",
        arg="call",
        content=r"Returned with comments",
    ),
    Page(
        "reporting: figures as validated (secretariat)",
        Role.SECRETARIAT,
        "reporting:figures",
        content=r"Registered victims",
    ),
    Page("regional figures (public)", None, "reporting:region", content=r"the states' figures"),
    Page("country profile (public)", None, "countries:detail", arg="country", content=r"National coordinator of"),
    Page("admin: cases (secretariat)", Role.SECRETARIAT, "admin:cases_case_changelist", content=ROWS.format("cases")),
    Page(
        "admin: referrals (secretariat)",
        Role.SECRETARIAT,
        "admin:referrals_referral_changelist",
        content=ROWS.format("referrals"),
    ),
]
FLOOR = "floor"


# --- the child: what needs Django -----------------------------------------------------------------


def child_prepare(size: str) -> dict:
    """Migrate, seed, collect the static files; say how to sign in and where the pages are."""
    # The child alone loads Django, under the environment the parent gave it (each size its own).
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.urls import reverse

    from core.figures import FACTS_CACHE_KEY
    from discussions.models import Thread, Topic
    from referrals.models import Referral
    from reporting.models import DataCall
    from thb_portal.bench_data import BIG_STATE, BIG_THREAD_TITLE, BIG_TOPIC_TITLE, BIG_TRAINING_TITLE, bench_logins
    from trainings.models import Training

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_bench", size=size, force=True, stdout=sys.stderr)
    # Production serves hashed names from the manifest, so it must be there (whitenoise).
    call_command("collectstatic", interactive=False, verbosity=0)
    args = {
        # The newest case of the big state with a referral: its page has every section.
        "case": Referral.objects.filter(sending_state__code=BIG_STATE).order_by("-case__created_at")[0].case_id,
        "training": Training.objects.get(title=BIG_TRAINING_TITLE).pk,
        "topic": Topic.objects.get(title=BIG_TOPIC_TITLE).pk,
        "thread": Thread.objects.get(title=BIG_THREAD_TITLE, topic__title=BIG_TOPIC_TITLE).pk,
        "call": DataCall.objects.order_by("-year")[0].pk,
        "country": BIG_STATE.lower(),
    }
    paths = {}
    for page in PAGES:
        path = reverse(page.url_name, args=[args[page.arg]] if page.arg else [])
        paths[page.name] = path + (f"?{page.query}" if page.query else "")
    return {"logins": bench_logins(), "paths": paths, "facts_cache_key": cache.make_key(FACTS_CACHE_KEY)}


# Savepoints are transaction control around the session save, not the page's work (as in
# tests/conftest.py's page_queries).
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def count_page_queries(path: str, *, cookie: str = "", cold: bool = False) -> dict[str, int]:
    """The queries one GET of the page runs, and its writes other than the audit log's, on the
    second request of the session (the first fills the content-type cache and the like)."""
    # Called where Django is set up: in the child, or in a test.
    from http.cookies import SimpleCookie

    from auditlog.models import LogEntry
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.figures import FACTS_CACHE_KEY

    client = Client()
    client.cookies = SimpleCookie(cookie)
    for attempt in ("warm-up", "counted"):
        if cold:
            cache.delete(FACTS_CACHE_KEY)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code} to the {attempt} request")
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]
    audit = connection.ops.quote_name(LogEntry._meta.db_table)
    writes = [
        sql for sql in statements if sql.startswith(("INSERT", "UPDATE", "DELETE")) and audit not in sql.split("(")[0]
    ]
    return {"queries": len(statements), "writes": len(writes)}


def child_count(pages: list[dict]) -> dict:
    # The child alone loads Django (see child_prepare).
    import django

    django.setup()
    return {page["name"]: count_page_queries(page["path"], cookie=page["cookie"], cold=page["cold"]) for page in pages}
