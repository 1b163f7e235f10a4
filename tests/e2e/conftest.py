"""Fixtures for browser tests: the system chromium driven through Playwright's sync API.

Every test module here sets `pytestmark = pytest.mark.e2e`, so its tests are skipped
when chromium is not available (see tests/conftest.py). The `page` fixture depends on
pytest-django's `live_server`: the portal runs in a thread against a transactional test
database, and the page's relative URLs (page.goto("/dashboard/")) go to it.

Playwright and Django in one thread
-----------------------------------
Between two of its calls, Playwright's sync API leaves its event loop marked as
*running* in the test thread (playwright/_impl/_greenlets.py, wait_for_future). Django
takes that for async code: ORM calls raise SynchronousOnlyOperation, hence
DJANGO_ALLOW_ASYNC_UNSAFE below, and `django.db.connections` keeps a second set of
connections, per async context instead of per thread. The test database's setup
(its serialized contents, which a live_server test needs back after the flush: the
role groups come from a data migration) lives on the per-thread connection only.
So `page` gives the thread back to Django when it is done: it closes the connections
opened meanwhile and clears the mark, before pytest-django flushes the database and
sets up the next test; and it marks the loop as running again before its next
Playwright call, as Playwright expects.
"""

import asyncio
import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse ORM calls made from it (factories, assertions on the database).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

ARTIFACTS_DIR = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
DEFAULT_TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    return os.environ.get("THB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def _mark_playwright_loop_running(browser) -> None:
    """Undo _give_thread_back_to_django before the next Playwright call."""
    asyncio._set_running_loop(browser._loop)


def _give_thread_back_to_django() -> None:
    # While the loop is marked running, these are the connections of the async context.
    connections.close_all()
    asyncio._set_running_loop(None)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if not path:
        pytest.skip("needs chromium, which is not available")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        _give_thread_back_to_django()
        yield browser
        _mark_playwright_loop_running(browser)
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server, django_db_serialized_rollback):
    """A page in a fresh browser context (no cookies carried between tests), on the live server.

    The live server's database is flushed after each test; serialized rollback puts the
    data of the migrations (role groups and their permissions) back before the next one.
    """
    _mark_playwright_loop_running(browser)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        _mark_playwright_loop_running(browser)
        context.close()
        _give_thread_back_to_django()


@pytest.fixture
def csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations chromium reports on its console, as they come."""
    violations: list[str] = []

    def record(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", record)
    return violations


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave screenshots for humans (gitignored)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
