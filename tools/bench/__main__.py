"""`make bench`: see this package's docstring (tools/bench/__init__.py) and README, Benchmark."""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tools.bench.load import Run, measure, redis_delete
from tools.bench.pages import PAGES, Page, child_count, child_prepare
from tools.bench.signin import fetch, sign_in
from tools.bench.tables import PageResult, SizeResult, growth_table, size_table
from tools.run_tests import free_port, postgres_bin_dir, throwaway_postgres, throwaway_redis, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# The benchmark's own key ring: its databases are throwaway, and a fixed key lets a database
# seeded by an earlier run (DATABASE_URL given) still be read. Never a real deployment's key.
BENCH_FIELD_KEY = "dGhiLWJlbmNoLWtleS1ub3QtZm9yLXByb2R1Y3Rpb24="
WORKERS = 2


def say(message: str) -> None:
    print(f"[make bench] {message}", file=sys.stderr, flush=True)


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
    # The heartbeat files on tmpfs, as the production image does (Dockerfile); no control socket,
    # whose default path the portal's and the floor's servers would otherwise share.
    options = ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--worker-tmp-dir", "/dev/shm"]
    options.append("--no-control-socket")
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
            try:
                result = bench_size(size, server_url, redis_url, options, logs)
            except Exception:
                say(f"size {size} failed; gunicorn's logs are in {logs}")
                raise
            results.append(result)
            print(size_table(result) + "\n", flush=True)
        if len(results) == 2:
            print(growth_table(*results), flush=True)
        shutil.rmtree(logs, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
