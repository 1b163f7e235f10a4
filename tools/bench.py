"""The benchmark (`make bench`; README "Benchmark"; issue 14): how fast the key pages answer as
the data grows, against a bare Django "hello" served the same way (the floor).

    python -m tools.bench --sizes "S L" [--duration 3] [--rounds 2] [--connections 4]

For each size: a database of the benchmark's own (thb_bench_<size>) on the PostgreSQL of
DATABASE_URL, or on a throwaway one started like `make test` does (as Redis, for REDIS_URL);
migrated and filled by `manage.py seed_bench` (at once when it holds that size already). Then
the portal and the floor are served by gunicorn with 2 workers each, under production settings
(DEBUG off, a random SECRET_KEY; only the HTTPS knobs are off, for plain HTTP on 127.0.0.1).
The roles sign in through the real login pages, the password and then the TOTP code of the
authenticator seed_bench enrolled. Every page must answer 200 with its own content; then each
is measured with wrk (4 connections; the benchmark's own load generator when wrk is missing),
interleaved with the floor, over a few rounds. The queries of each page are counted in a child
process with Django's test client, signed in with the same session, against the same database.

Facts and figures "cold" is measured by the benchmark's own load generator on one connection,
which deletes the cached figures from Redis before each request (outside the time measured);
its floor is measured the same way, so its ratio compares like with like.

The child process (`--child prepare|count`) is the only one that loads Django: the parent only
starts services, talks HTTP and prints the tables.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

from tools.run_tests import free_port, postgres_bin_dir, throwaway_postgres, throwaway_redis, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The benchmark's own key ring: its databases are throwaway, and a fixed key lets a database
# seeded by an earlier run (DATABASE_URL given) still be read. Never a real deployment's key.
BENCH_FIELD_KEY = "dGhiLWJlbmNoLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="
WORKERS = 2


def say(message: str) -> None:
    print(f"[make bench] {message}", file=sys.stderr, flush=True)


# --- the pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    # Who requests it (a key of thb_portal.bench_data.BENCH_LOGINS), None for a visitor.
    role: str | None
    url_name: str
    # What the URL takes: "case" (a case of the big state with a referral), "training" (the big one).
    arg: str = ""
    query: str = ""
    content: str = ""
    # The cached figures are deleted before each request.
    cold: bool = False


# The content: a regular expression the page's own content matches (a count of its rows where it
# shows one), so that a page answering 200 with something else, or empty, fails.
ROWS = r"[1-9][\d,]* {}"
PAGES = [
    Page("case list (NCP)", "ncp", "cases:list", content=ROWS.format("cases")),
    Page("case list, one stage", "ncp", "cases:list", query="stage=urgent_assistance", content=ROWS.format("cases")),
    Page("case detail", "ncp", "cases:detail", arg="case", content=r"Case EE-[\s\S]*-R1"),
    Page("referral inbox", "ncp", "referrals:inbox", content=ROWS.format("referrals")),
    Page("referral outbox", "ncp", "referrals:outbox", content=ROWS.format("referrals")),
    Page("library: a word", None, "publications:library", query="q=labour", content=ROWS.format("publications")),
    Page(
        "library: a phrase",
        None,
        "publications:library",
        query="q=%22forced+labour%22",
        content=ROWS.format("publications"),
    ),
    Page("participants", "trainer", "trainings:detail", arg="training", content=ROWS.format("participants")),
    Page("facts and figures, cached", None, "trainings:facts", content="People trained by audience"),
    Page("facts and figures, cold", None, "trainings:facts", content="People trained by audience", cold=True),
    Page("dashboard (NCP)", "ncp", "dashboard", content="Waiting for your action"),
    Page("dashboard (representative)", "rep", "dashboard", content="Contact points of Estonia"),
    Page("dashboard (trainer)", "trainer", "dashboard", content="Next sessions"),
    Page("dashboard (secretariat)", "secretariat", "dashboard", content=r"<h2[^>]*>\s*Secretariat"),
    Page("admin: cases (secretariat)", "secretariat", "admin:cases_case_changelist", content=ROWS.format("cases")),
    Page(
        "admin: referrals (secretariat)",
        "secretariat",
        "admin:referrals_referral_changelist",
        content=ROWS.format("referrals"),
    ),
]
FLOOR = "floor"


# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One load run against one URL."""

    tool: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int = 0


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _WRK_UNITS[unit]


def parse_wrk(output: str) -> Run:
    """The figures of `wrk --latency`'s report."""
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)$", output, flags=re.MULTILINE))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, flags=re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, flags=re.MULTILINE)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failures = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if not (rate and total and "50" in percentiles and "99" in percentiles):
        raise RuntimeError(f"cannot read wrk's report:\n{output}")
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in failures.groups()) if failures else 0
    return Run(
        tool="wrk",
        requests_per_second=float(rate.group(1)),
        p50_ms=_wrk_ms(percentiles["50"]),
        p99_ms=_wrk_ms(percentiles["99"]),
        requests=int(total.group(1)),
        errors=errors,
    )


def run_wrk(url: str, *, cookie: str, seconds: float, connections: int) -> Run:
    # wrk takes whole seconds.
    duration = f"-d{max(1, round(seconds))}s"
    command = ["wrk", "--latency", f"-t{min(2, connections)}", f"-c{connections}", duration, "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    finished = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(finished.stdout)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    # The nearest rank, as wrk reports it.
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def run_load(
    url: str,
    *,
    cookie: str,
    seconds: float,
    connections: int,
    before_each: Callable[[], object] | None = None,
) -> Run:
    """The benchmark's own load generator: `connections` threads, each requesting `url` one
    request at a time for `seconds` (at least once), on a fresh connection each time (gunicorn's
    sync workers close it anyway). `before_each` runs before every request, outside its time."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while True:
            if before_each is not None:
                before_each()
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                failed = response.status >= 400
            except OSError:
                failed = True
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += failed
            if time.monotonic() >= deadline:
                return

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - began
    latencies.sort()
    return Run(
        tool=f"own/{connections}",
        requests_per_second=len(latencies) / took,
        p50_ms=_percentile(latencies, 0.50),
        p99_ms=_percentile(latencies, 0.99),
        requests=len(latencies),
        errors=errors[0],
    )


def measure(
    url: str,
    *,
    cookie: str = "",
    seconds: float,
    connections: int,
    own: bool = False,
    before_each: Callable[[], object] | None = None,
) -> Run:
    """wrk when installed, unless `own` asks for the benchmark's own generator (which can run
    `before_each` between requests)."""
    if not own and before_each is None and shutil.which("wrk"):
        return run_wrk(url, cookie=cookie, seconds=seconds, connections=connections)
    return run_load(url, cookie=cookie, seconds=seconds, connections=connections, before_each=before_each)


def redis_delete(redis_url: str, key: str) -> None:
    """DEL one key, in Redis's own protocol (the parent loads no client library)."""
    parts = urlsplit(redis_url)
    database = (parts.path or "/0").lstrip("/") or "0"
    command = b""
    for words in (["SELECT", database], ["DEL", key]):
        command += f"*{len(words)}\r\n".encode() + b"".join(
            f"${len(word.encode())}\r\n".encode() + word.encode() + b"\r\n" for word in words
        )
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=5) as sock:
        sock.sendall(command)
        replies = b""
        while replies.count(b"\r\n") < 2:
            replies += sock.recv(1024)
    if replies.startswith(b"-"):
        raise RuntimeError(f"Redis refused: {replies!r}")


# --- signing in ----------------------------------------------------------------------------------


def totp_code(secret: str, at: float | None = None) -> str:
    """The current six-digit code of an authenticator app (RFC 6238: SHA-1, 30 seconds)."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at or time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("the page has no form with a CSRF token")
    return found.group(1)


def sign_in(base_url: str, *, email: str, password: str, totp_secret: str = "") -> str:
    """Sign in through the login page (and the code step when the account has an authenticator),
    as a browser would; returns the session's Cookie header."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))

    def post(path: str, page: str, fields: dict[str, str]) -> tuple[str, str]:
        data = urlencode({"csrfmiddlewaretoken": _csrf_token(page), **fields}).encode()
        request = Request(base_url + path, data=data, headers={"Referer": base_url + path})  # noqa: S310 -- http only
        with opener.open(request, timeout=60) as r:
            return urlsplit(r.url).path, r.read().decode()

    with opener.open(base_url + "/accounts/login/", timeout=60) as response:
        page = response.read().decode()
    landed, page = post("/accounts/login/", page, {"login": email, "password": password})
    if landed == "/accounts/2fa/authenticate/":
        if not totp_secret:
            raise RuntimeError(f"{email} is asked for a code and the benchmark has no secret for it")
        for _attempt in range(3):
            code_page = page
            landed, page = post(landed, code_page, {"code": totp_code(totp_secret)})
            if landed != "/accounts/2fa/authenticate/":
                break
            # A code is used once: one used by an earlier run is refused until the next one comes.
            time.sleep(31 - time.time() % 30)
            landed = "/accounts/2fa/authenticate/"
    if landed != "/dashboard/":
        raise RuntimeError(f"signing in as {email} ended at {landed}, not at the dashboard")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def fetch(url: str, cookie: str = "") -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    return response.status, body


# --- services and servers ------------------------------------------------------------------------


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def ensure_database(server_url: str, name: str) -> None:
    # psycopg is the portal's own driver; the parent needs it only here.
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def portal_env(db_url: str, redis_url: str, size: str) -> dict[str, str]:
    """Production settings (thb_portal/settings.py, as .ci/run's deploy check sets them), with
    the HTTPS knobs off: the benchmark speaks plain HTTP to 127.0.0.1."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("THB_", "DJANGO_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "thb_portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": f"bench-{secrets.token_urlsafe(48)}",
            "THB_FIELD_ENCRYPTION_KEYS": BENCH_FIELD_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DATABASE_URL": db_url,
            "REDIS_URL": redis_url,
            "THB_CACHE_PREFIX": f"thb-bench-{size.lower()}",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("CELERY_BROKER_URL", None)
    return env


@contextmanager
def gunicorn(app: str, env: dict[str, str], logs: Path, *, chdir: Path = ROOT) -> Iterator[str]:
    """Serve the WSGI app with gunicorn's defaults (sync workers) and 2 workers; yields its URL."""
    port = free_port()
    log = (logs / f"gunicorn-{port}.log").open("w")
    # The heartbeat files on tmpfs, as the production image does (Dockerfile).
    options = ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--worker-tmp-dir", "/dev/shm"]
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), app, *options, "--chdir", str(chdir), "--timeout", "120"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        if not wait_for_port(port, seconds=60):
            raise RuntimeError(f"gunicorn {app} did not start; see {log.name}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def child(command: str, env: dict[str, str], *args: str, given: object = None) -> dict:
    """Run this module as a child that loads Django under `env`; returns what it printed (JSON)."""
    finished = subprocess.run(
        [sys.executable, "-m", "tools.bench", "--child", command, *args],
        cwd=ROOT,
        env=env,
        input=json.dumps(given) if given is not None else "",
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        sys.stderr.write(finished.stderr)
        raise RuntimeError(f"the child '{command}' failed")
    return json.loads(finished.stdout.strip().splitlines()[-1])


# --- one size --------------------------------------------------------------------------------------


@dataclass
class PageResult:
    page: Page
    runs: list[Run] = field(default_factory=list)
    queries: int = 0
    writes: int = 0

    @property
    def p50_ms(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)


@dataclass
class SizeResult:
    size: str
    pages: list[PageResult]
    # The floor's runs, by how they were measured ("wrk", "own/1"): a page is divided by its kind.
    floors: dict[str, list[Run]]

    def floor_p50(self, tool: str) -> float:
        return statistics.median(run.p50_ms for run in self.floors[tool])

    def ratio(self, result: PageResult) -> float:
        return result.p50_ms / self.floor_p50(result.runs[0].tool)


def bench_size(size: str, server_url: str, redis_url: str, options: argparse.Namespace, logs: Path) -> SizeResult:
    name = f"thb_bench_{size.lower()}"
    ensure_database(server_url, name)
    env = portal_env(database_url(server_url, name), redis_url, size)
    say(f"size {size}: migrating and seeding {name} (at once if it holds size {size} already)")
    started = time.monotonic()
    prepared = child("prepare", env, size)
    say(f"size {size}: ready in {time.monotonic() - started:.0f} s")
    with ExitStack() as servers:
        portal = servers.enter_context(gunicorn("thb_portal.wsgi:application", env, logs))
        floor = servers.enter_context(gunicorn("floor:application", env, logs, chdir=ROOT / "tools" / "bench_floor"))
        cookies = {login["role"]: sign_in(portal, **_credentials(login)) for login in prepared["logins"]}
        cookies[""] = ""  # a visitor's

        def cookie_of(page: Page) -> str:
            return cookies[page.role or ""]

        urls = prepared["paths"]
        for page in PAGES:
            _check(page, portal + urls[page.name], cookie_of(page))
        results = [PageResult(page) for page in PAGES]
        floors: dict[str, list[Run]] = {}
        for round_number in range(options.rounds):
            say(f"size {size}: round {round_number + 1} of {options.rounds}")
            for result in results:
                page = result.page
                # A cold page and its floor: the own generator, one connection, the same way.
                how = {"seconds": options.duration, "connections": 1 if page.cold else options.connections}
                floor_run = measure(floor + "/", own=page.cold, **how)
                floors.setdefault(floor_run.tool, []).append(floor_run)
                drop = (lambda: redis_delete(redis_url, prepared["facts_cache_key"])) if page.cold else None
                result.runs.append(measure(portal + urls[page.name], cookie=cookie_of(page), before_each=drop, **how))
        # Still signed in, and still the same pages: the figures above are of real pages.
        for page in PAGES:
            _check(page, portal + urls[page.name], cookie_of(page))
    asked = [{"name": p.name, "path": urls[p.name], "cookie": cookie_of(p), "cold": p.cold} for p in PAGES]
    counted = child("count", env, given=asked)
    for result in results:
        result.queries, result.writes = counted[result.page.name]["queries"], counted[result.page.name]["writes"]
    return SizeResult(size=size, pages=results, floors=floors)


def _credentials(login: dict[str, str]) -> dict[str, str]:
    return {"email": login["email"], "password": login["password"], "totp_secret": login["totp_secret"]}


def _check(page: Page, url: str, cookie: str) -> None:
    status, body = fetch(url, cookie)
    if status != 200 or not re.search(page.content, body):
        raise RuntimeError(
            f"{page.name} ({url}) answered {status}"
            + ("" if status != 200 else f" without “{page.content}”")
            + f"; its start:\n{body[:1500]}"
        )


# --- the tables ----------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _times(value: float) -> str:
    return f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"


def size_table(result: SizeResult) -> str:
    floors = ", ".join(
        f"{_ms(result.floor_p50(tool))} ({tool}, {statistics.median(r.requests_per_second for r in runs):,.0f} req/s)"
        for tool, runs in result.floors.items()
    )
    header = ("page", "req/s", "p50", "p99", "queries", "writes", "p50/floor")
    rows = [
        (
            r.page.name,
            f"{r.requests_per_second:,.1f}",
            _ms(r.p50_ms),
            _ms(r.p99_ms),
            str(r.queries),
            str(r.writes),
            _times(result.ratio(r)),
        )
        for r in result.pages
    ]
    worst = max(result.pages, key=result.ratio)
    most = max(result.pages, key=lambda r: r.queries)
    lines = [f"size {result.size}: the floor's p50 {floors}", _table(header, rows)]
    errors = [
        f"{r.page.name}: {sum(run.errors for run in r.runs)}" for r in result.pages if any(x.errors for x in r.runs)
    ]
    if errors:
        lines.append("failed requests: " + ", ".join(errors))
    worst_line = f"worst p50/floor: {_times(result.ratio(worst))} ({worst.page.name})"
    lines.append(f"{worst_line}; queries: {most.queries} ({most.page.name})")
    return "\n".join(lines)


def growth_table(small: SizeResult, large: SizeResult) -> str:
    header = ("page", f"p50 at {small.size}", f"p50 at {large.size}", f"p50/floor at {large.size}", "growth")
    pairs = list(zip(small.pages, large.pages, strict=True))
    rows = [
        (a.page.name, _ms(a.p50_ms), _ms(b.p50_ms), _times(large.ratio(b)), _times(b.p50_ms / a.p50_ms))
        for a, b in pairs
    ]
    worst_small, worst_large = max(pairs, key=lambda pair: pair[1].p50_ms / pair[0].p50_ms)
    growth = worst_large.p50_ms / worst_small.p50_ms
    return "\n".join(
        [
            f"growth from {small.size} to {large.size}",
            _table(header, rows),
            f"worst growth: {_times(growth)} ({worst_large.page.name})",
        ]
    )


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


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
    from referrals.models import Referral
    from thb_portal.bench_data import BIG_STATE, BIG_TRAINING_TITLE, bench_logins
    from trainings.models import Training

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_bench", size=size, force=True, stdout=sys.stderr)
    # Production serves hashed names from the manifest, so it must be there (whitenoise).
    call_command("collectstatic", interactive=False, verbosity=0)
    args = {
        # The newest case of the big state with a referral: its page has every section.
        "case": Referral.objects.filter(sending_state__code=BIG_STATE).order_by("-case__created_at")[0].case_id,
        "training": Training.objects.get(title=BIG_TRAINING_TITLE).pk,
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


# --- main ------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES") or os.environ.get("SIZE") or "M")
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 3)))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 2)))
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--child", choices=["prepare", "count"], help=argparse.SUPPRESS)
    parser.add_argument("size", nargs="?", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.child == "prepare":
        print(json.dumps(child_prepare(options.size)))
        return 0
    if options.child == "count":
        print(json.dumps(child_count(json.loads(sys.stdin.read()))))
        return 0

    sizes = sorted(set(options.sizes.upper().split()), key="SML".index)
    if not sizes or any(size not in ("S", "M", "L") for size in sizes) or len(sizes) > 2:
        parser.error('give one size or two: S, M or L (SIZE=M, or SIZES="S L")')
    if not shutil.which("wrk"):
        say("wrk is not installed (apt-get install wrk): the benchmark's own load generator measures instead")
    with ExitStack() as stack:
        server_url = os.environ.get("DATABASE_URL")
        if not server_url:
            bin_dir = postgres_bin_dir()
            if bin_dir is None:
                say("no DATABASE_URL and no PostgreSQL server to start (apt-get install postgresql)")
                return 2
            server_url = stack.enter_context(throwaway_postgres(bin_dir))
            say(f"started a throwaway PostgreSQL from {bin_dir}")
        redis_url = os.environ.get("REDIS_URL")
        if not redis_url:
            binary = shutil.which("redis-server")
            if binary is None:
                say("no REDIS_URL and no redis-server to start (apt-get install redis-server)")
                return 2
            redis_url = stack.enter_context(throwaway_redis(binary))
            say("started a throwaway Redis")
        logs = Path(tempfile.mkdtemp(prefix="thb-bench-"))
        results = []
        for size in sizes:
            result = bench_size(size, server_url, redis_url, options, logs)
            results.append(result)
            print(size_table(result) + "\n", flush=True)
        if len(results) == 2:
            print(growth_table(*results), flush=True)
        shutil.rmtree(logs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
