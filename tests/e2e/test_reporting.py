"""National reporting in a browser: the secretariat opens a data call; the Estonian
representative fills the return, uses a suggestion from case files, sees a breakdown that
does not add up, fixes it and submits; the secretariat returns it with a comment; Estonia
answers and submits again; the secretariat validates it; the public profile of Estonia and
the regional table show the year, with small cells protected."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.disclosure import HIDDEN
from members.models import Role
from reporting import services
from reporting.models import DataCall
from tests.cases.factories import bulk_cases
from tests.e2e.test_cases import sign_in_with_totp
from tests.e2e.test_login_mfa import at_path, sign_in
from tests.reporting.factories import complete_entries

pytestmark = pytest.mark.e2e


def test_a_return_from_data_call_to_published_figures(
    page, browser, live_server, make_user, mfa_user, demo_states, csp_violations
):
    secretariat = make_user(Role.SECRETARIAT, full_name="Sara Secretariat")
    secret = mfa_user(secretariat)
    ee_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")
    year = timezone.localdate().year - 1
    # Estonia's case files for the year: three identified victims.
    bulk_cases(demo_states["EE"], 3, year=year, trafficking_status="actual", gender="woman")

    # 1. The secretariat opens the data call.
    sign_in_with_totp(page, secretariat.email, secret)
    page.goto(reverse("reporting:index"))
    page.get_by_role("link", name="Open a data call").click()
    page.get_by_label("Reference year").fill(str(year))
    page.get_by_label("Deadline").fill((timezone.localdate() + timezone.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Open the data call").click()
    expect(page.get_by_test_id("return-board")).to_contain_text("Estonia")
    call = DataCall.objects.get(year=year)
    estonia = call.returns.get(member_state__code="EE")
    # Most figures were typed earlier; the victims' total is left, its sex breakdown adds up to 2.
    entries = complete_entries(call)
    entries.pop("victims.identified")
    for part in ("age.adult", "citizenship.own", "form.labour"):
        entries[f"victims.identified.{part}"] = services.Entry(number=3)
    for part in ("age.child", "citizenship.other_eu", "form.sexual"):
        entries[f"victims.identified.{part}"] = services.Entry(number=0)
    entries["victims.identified.sex.female"] = services.Entry(number=2)
    services.return_save(return_record=estonia, entries=entries, by=ee_rep)

    # 2. Estonia uses the suggestion, sees the breakdown not adding up, fixes it and submits.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        rep = context.new_page()
        sign_in(rep, ee_rep.email)
        expect(rep).to_have_url(at_path("dashboard"))
        rep.goto(estonia.get_absolute_url())
        expect(rep.get_by_test_id("suggestion-victims.identified")).to_contain_text("From case files: 3")
        rep.get_by_test_id("suggestion-victims.identified").get_by_role("button", name="Use").click()
        row = rep.get_by_test_id("row-victims.identified")
        expect(row.locator('[name="victims.identified__number"]')).to_have_value("3")
        expect(row.get_by_test_id("problem")).to_contain_text("The breakdown by sex adds up to 2, not 3")
        rep.locator('[name="victims.identified.sex.female__number"]').fill("3")
        rep.get_by_role("button", name="Save the return").click()
        expect(rep.get_by_test_id("row-victims.identified").get_by_test_id("problem")).to_have_count(0)
        rep.get_by_role("link", name="Submit to the secretariat").click()
        rep.get_by_role("button", name="Submit to the secretariat").click()
        expect(rep.get_by_test_id("return-status")).to_have_text("Submitted")

        # 3. The secretariat returns it with a comment.
        page.goto(estonia.get_absolute_url())
        page.get_by_role("link", name="Return with comments").click()
        page.get_by_label("Comment").fill("Please check the permits against last year.")
        page.get_by_role("button", name="Return with comments").click()
        expect(page.get_by_test_id("return-status")).to_have_text("Returned with comments")

        # 4. Estonia answers and submits again.
        rep.reload()
        expect(rep.get_by_test_id("return-comment")).to_contain_text("Please check the permits")
        rep.get_by_role("textbox", name="Comment").fill("Checked with the migration office: they are right.")
        rep.get_by_role("button", name="Add the comment").click()
        rep.get_by_role("link", name="Submit to the secretariat").click()
        rep.get_by_role("button", name="Submit to the secretariat").click()
        expect(rep.get_by_test_id("return-status")).to_have_text("Submitted")
    finally:
        context.close()

    # 5. The secretariat validates it.
    page.goto(estonia.get_absolute_url())
    page.get_by_role("link", name="Validate").click()
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_test_id("return-status")).to_have_text("Validated")

    # 6. The public sees the year, Estonia's 3 protected.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        visitor = context.new_page()
        visitor.goto(reverse("countries:detail", args=["ee"]))
        figures = visitor.get_by_test_id("country-figures")
        expect(figures).to_contain_text(str(year))
        expect(figures.get_by_role("row", name="Victims identified")).to_contain_text(HIDDEN)
        visitor.goto(reverse("reporting:region") + "?indicator=victims.identified")
        table = visitor.get_by_test_id("region-table")
        expect(table).to_contain_text(str(year))
        expect(table.get_by_role("row", name="Estonia")).to_contain_text(HIDDEN)
        # The other states have not reported yet: the region's total waits for them.
        expect(table.get_by_role("row", name="Region")).to_contain_text("pending")
    finally:
        context.close()
    assert not csp_violations
