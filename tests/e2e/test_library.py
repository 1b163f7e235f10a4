"""The public library in a real browser: search, filter, open, download; and WCAG 2.1 AA with axe-core."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from projects.demo import seed_demo_projects
from publications import services
from publications.demo import seed_demo_publications
from publications.models import Audience, PublicationFile, PublicationType, Topic
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, _give_thread_back_to_django, _mark_playwright_loop_running
from tests.publications.factories import PublicationFactory, attach_pdf

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parent / "vendor" / "axe" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def private_media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": root}},
    }
    return root


def test_a_visitor_searches_filters_opens_and_downloads_the_english_file(
    page, private_media, csp_violations, artifacts_dir
):
    labour = Topic.objects.get(code="labour-exploitation")
    for title, audience, languages in [
        ("Guidelines for municipalities on labour trafficking", "municipalities", ["en", "lv"]),
        ("Reporting on labour trafficking: guidelines for the mass media", "mass-media", ["en"]),
        ("Study of sexual exploitation online", "policy-makers", ["en"]),
    ]:
        publication = PublicationFactory(
            title=title, slug=re.sub(r"[^a-z]+", "-", title.lower())[:40].strip("-"), type=PublicationType.GUIDELINES
        )
        publication.audiences.set([Audience.objects.get(code=audience)])
        services.publication_set_topics(publication=publication, topics=[labour])
        for language in languages:
            attach_pdf(publication, language, pages=3)

    page.goto(reverse("home"))
    page.get_by_test_id("main-navigation").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Library")

    page.get_by_role("searchbox", name="Search").fill("labour trafficking")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("2 publications found, best matches first.")

    page.get_by_label("Audience").select_option(label="Municipalities")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_have_text("1 publication found, best matches first.")
    # The search lives in the URL, so the result can be shared.
    assert "q=labour+trafficking" in page.url and "audience=municipalities" in page.url
    page.screenshot(path=str(artifacts_dir / "library-search-filtered.png"), full_page=True)

    page.get_by_test_id("library-results").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidelines for municipalities on labour trafficking")
    expect(page).to_have_title("Guidelines for municipalities on labour trafficking · THB Portal")

    with page.expect_download() as download_info:
        # A button (a POST that counts), which the browser follows to the file's address.
        page.get_by_role("button", name="Download English (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "guidelines-for-municipalities-on-labour-en.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    english = PublicationFile.objects.get(publication__title__startswith="Guidelines for municipalities", language="en")
    assert english.download_count == 1
    assert csp_violations == []


@pytest.fixture
def axe_page(browser, live_server, django_db_serialized_rollback):
    """A page that lets the test inject axe-core: injected scripts are inline, which the CSP forbids."""
    _mark_playwright_loop_running(browser)
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        _mark_playwright_loop_running(browser)
        context.close()
        _give_thread_back_to_django()


def serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
            }));
        }""",
        WCAG_21_AA,
    )
    return [violation for violation in violations if violation["impact"] in ("serious", "critical")]


def test_public_pages_have_no_serious_or_critical_accessibility_violations(axe_page, demo_states, private_media):
    seed_demo_projects()
    seed_demo_publications()
    pages = [
        reverse("home"),
        reverse("publications:library"),
        reverse("publications:library") + "?q=labour&audience=municipalities",
        reverse("publications:detail", args=["strategic-plan-2020-2025"]),  # with a cover and files
        reverse("publications:mandates"),
        reverse("projects:ongoing"),
        reverse("projects:all"),  # with the filter form
        reverse("projects:detail", args=["bsr-trm"]),
    ]
    found = {}
    for url in pages:
        response = axe_page.goto(url)
        assert response.status == 200, url
        violations = serious_violations(axe_page)
        if violations:
            found[url] = violations
    assert found == {}
