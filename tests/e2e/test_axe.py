"""axe-core on every page each demo role reaches by following links, not on a fixed list.

Each role signs in (contact points and the secretariat with a real TOTP code), then the
test walks the site breadth-first from the dashboard and the home page: same-origin links
only, no sign-out, no downloads, no admin, never a form (a crawl must change nothing). On
each page it injects axe-core (vendored in tests/e2e/vendor/, MPL-2.0, never served by the
portal) and collects the violations of impact serious or critical, listed by page.
"""

import re
import time
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import expect

from members.demo import DEMO_PASSWORD
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, _give_thread_back_to_django, _mark_playwright_loop_running
from tests.e2e.test_library import AXE, WCAG_21_AA
from tests.e2e.test_login_mfa import at_path
from thb_portal.demo import seed_demo

pytestmark = pytest.mark.e2e

# Enough to reach every kind of page a role has (lists, one of each detail, forms), few
# enough for a shared two-core machine.
MAX_PAGES_PER_ROLE = 40
SKIP = re.compile(
    r"(/accounts/logout|/admin/|/logout|\.(pdf|csv|xlsx|ics|zip|docx|odt|png|jpe?g)$|/download|/export|/files?/"
    r"|/certificate|/attachments?/|/documents?/\d+/|/feed|/sitemap\.xml|/health|/media/|/static/)"
)
DEMO_ROLES = [
    "secretariat@example.org",
    "ncp.ee@example.org",
    "rep.ee@example.org",
    "trainer@example.org",
    "observer@example.org",
]


def _sign_in(page, email: str, secret: str | None) -> None:
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if secret:
        expect(page).to_have_url(at_path("mfa_authenticate"))
        period = mfa_settings.TOTP_PERIOD
        if period - time.time() % period < 5:
            time.sleep(period - time.time() % period + 0.1)
        page.get_by_label("Code").fill(format_hotp_value(hotp_value(secret, int(time.time()) // period)))
        page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(at_path("dashboard"))


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
            }));
        }""",
        WCAG_21_AA,
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "(links) => links.map((a) => a.href)")
    found = []
    for href in hrefs:
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _crawl(page, origin: str) -> tuple[dict[str, list[str]], list[str], int]:
    queue = deque([reverse("dashboard"), reverse("home")])
    seen = set(queue)
    found, errors, visited = {}, [], 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        response = page.goto(path)
        visited += 1
        if response is None or response.status >= 500:
            errors.append(f"{path}: {response.status if response else 'no response'}")
            continue
        if urlsplit(page.url).path in (reverse("account_login"),) or "html" not in (
            response.headers.get("content-type") or ""
        ):
            continue
        if violations := _serious(page):
            found[path] = violations
        for link in _links(page, origin):
            # Paging and filtering the same list adds nothing new to check.
            key = link.split("?")[0] if "page=" in link else link
            if key not in seen:
                seen.add(key)
                queue.append(link)
    return found, errors, visited


@pytest.fixture
def demo_world(db, mfa_user):
    seed_demo()
    from members.models import User

    secrets = {}
    for email in ("secretariat@example.org", "ncp.ee@example.org"):
        secrets[email] = mfa_user(User.objects.get(email=email))
    return secrets


@pytest.mark.parametrize("email", DEMO_ROLES)
def test_every_page_a_demo_role_reaches_has_no_serious_accessibility_violation(
    browser, live_server, django_db_serialized_rollback, demo_world, email
):
    _mark_playwright_loop_running(browser)
    # Injected scripts are inline, which the portal's CSP forbids: this context bypasses it.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        _sign_in(page, email, demo_world.get(email))
        found, errors, visited = _crawl(page, live_server.url)
    finally:
        _mark_playwright_loop_running(browser)
        context.close()
        _give_thread_back_to_django()
    assert errors == []
    assert visited >= 8, f"{email} reached only {visited} pages: the crawl did not get far"
    listing = "\n".join(f"{path}\n  " + "\n  ".join(items) for path, items in found.items())
    assert found == {}, f"serious or critical axe violations for {email}:\n{listing}"


def test_facts_and_figures_chart_labels_stay_readable_on_a_375_px_phone(
    browser, live_server, django_db_serialized_rollback, demo_world, artifacts_dir
):
    _mark_playwright_loop_running(browser)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(reverse("trainings:facts"))
        labels = page.locator(".facts-bar-label, .facts-bar-count")
        assert labels.count() > 0
        sizes = labels.evaluate_all("(nodes) => nodes.map((n) => parseFloat(getComputedStyle(n).fontSize))")
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        page.screenshot(path=str(artifacts_dir / "facts-375px.png"), full_page=True)
    finally:
        _mark_playwright_loop_running(browser)
        context.close()
        _give_thread_back_to_django()
    assert min(sizes) >= 14, sizes
    assert widths[0] <= widths[1], "the page scrolls sideways on a phone"
