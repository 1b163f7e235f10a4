"""The embedded default under normal use: `make run`'s server (runserver on SQLite, demo data,
DEBUG=1 THB_ENFORCE_MFA=0), 8 demo users signed in through the login form and loading their
usual pages at once, 25 requests each. No answer may be a 5xx ("database is locked" was
11 of 24 loads before). Needs no PostgreSQL: it runs on SQLite by design.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent
USERS = (
    "ncp.ee@example.org",
    "ncp.lv@example.org",
    "ncp.fi@example.org",
    "secretariat@example.org",
    "rep.ee@example.org",
    "rep.se@example.org",
    "trainer@example.org",
    "observer@example.org",
)
PASSWORD = "thb-demo-2026"
REQUESTS_EACH = 25
# Bounds: the whole test, and each request (a request that waits on a lock past the busy
# timeout would answer 500; one that hangs fails here instead of hanging the suite).
SETUP_SECONDS = 300
REQUEST_SECONDS = 60
LOAD_SECONDS = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _embedded_env(database: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "REDIS_URL"))}
    env.pop("CELERY_BROKER_URL", None)
    env.pop("THB_TESTING", None)
    env.update(
        {
            "DEBUG": "1",
            "THB_ENFORCE_MFA": "0",
            "DATABASE_URL": f"sqlite:///{database}",
            "THB_CELERY_EAGER": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _manage(env: dict, *args: str, timeout: float = SETUP_SECONDS) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout, capture_output=True
    )


@pytest.fixture(scope="module")
def embedded_server():
    with tempfile.TemporaryDirectory(prefix="thb-embedded-") as folder:
        env = _embedded_env(Path(folder) / "db.sqlite3")
        env["MEDIA_ROOT"] = str(Path(folder) / "media")
        _manage(env, "migrate", "--noinput")
        _manage(env, "createcachetable")
        _manage(env, "seed_demo")
        port = _free_port()
        log = open(Path(folder) / "server.log", "w+")  # noqa: SIM115 - closed below
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    time.sleep(0.3)
            else:
                pytest.fail("runserver did not start")
            yield f"http://127.0.0.1:{port}", log
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()


class Browser:
    """One user's cookie jar; answers (status, body) and never raises on a 4xx/5xx."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Always http://127.0.0.1 (the server this test started).
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=REQUEST_SECONDS) as response:
                return response.status, response.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", errors="replace")

    def sign_in(self, email: str) -> None:
        login = reverse("account_login")
        status, page = self.request(login)
        assert status == 200, f"{email}: the login page answered {status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, page = self.request(
            login, {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}, {"Referer": self.base + login}
        )
        assert status == 200 and reverse("account_logout") in page, f"{email}: not signed in ({status})"


def _usual_pages(email: str) -> list[tuple[str, dict]]:
    badge = (reverse("notifications:badge"), {"HX-Request": "true"})
    pages = [
        (reverse("dashboard"), {}),
        badge,
        (reverse("notifications:list"), {}),
        (reverse("members:directory"), {}),
        badge,
        (reverse("trainings:list"), {}),
    ]
    if email.startswith("ncp."):
        pages += [(reverse("cases:list"), {}), (reverse("referrals:inbox"), {}), badge]
    return pages


def test_eight_users_at_once_on_the_embedded_default_get_no_server_error(embedded_server):
    base, log = embedded_server
    browsers = {email: Browser(base) for email in USERS}
    for email, browser in browsers.items():
        browser.sign_in(email)

    failures: list[str] = []
    counted: list[int] = []
    start = threading.Barrier(len(USERS))

    def work(email: str) -> None:
        pages = _usual_pages(email)
        start.wait(timeout=60)
        for i in range(REQUESTS_EACH):
            path, headers = pages[i % len(pages)]
            try:
                status, body = browsers[email].request(path, headers=headers)
            except Exception as error:  # a timeout or a dropped connection is a failure too
                failures.append(f"{email} {path}: {type(error).__name__}: {error}")
                continue
            counted.append(status)
            if status >= 500:
                failures.append(f"{email} {path}: {status} {body[:200]}")

    threads = [threading.Thread(target=work, args=(email,), daemon=True) for email in USERS]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, LOAD_SECONDS - (time.monotonic() - started)))
    assert not any(thread.is_alive() for thread in threads), f"the load did not finish in {LOAD_SECONDS} s"
    log.seek(0)
    assert not failures, f"{len(failures)} of {len(USERS) * REQUESTS_EACH} failed:\n" + "\n".join(failures[:20])
    assert len(counted) == len(USERS) * REQUESTS_EACH
    assert "database is locked" not in log.read()
