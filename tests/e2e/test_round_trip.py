"""Issue 12 §4: a referral round trip, from a consented case to closed, in at most 20 actions.

Counted as a person would count them: a click is one action, a form is its filled fields
plus one (its button). Signing in is not part of the round trip; everything after is,
including finding the referral in the inbox and reloading the page.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Role
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.test_cases import expect_message_once
from tests.e2e.test_referrals import sign_in_with_totp
from tests.referrals.factories import make_consent

pytestmark = pytest.mark.e2e

MAX_ACTIONS = 20


@pytest.fixture
def open_page_as(page, browser, live_server, csp_violations):
    """open_page_as(user, secret) -> a signed-in page in a browser context of its own (as in test_referrals)."""
    contexts = []

    def _open(user, secret: str):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        other = context.new_page()
        other.on(
            "console",
            lambda message: (
                csp_violations.append(f"{other.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        sign_in_with_totp(other, user.email, secret)
        return other

    yield _open
    for context in contexts:
        context.close()


class Actions:
    """Clicks and fills through one counter, so the test counts what it does."""

    def __init__(self):
        self.count = 0
        self.log: list[str] = []

    def _note(self, what: str) -> None:
        self.count += 1
        self.log.append(what)

    def click(self, locator, what: str) -> None:
        self._note(f"click {what}")
        locator.click()

    def fill(self, locator, value: str, what: str) -> None:
        self._note(f"fill {what}")
        locator.fill(value)

    def reload(self, page) -> None:
        self._note("reload")
        page.reload()


def test_a_referral_round_trip_from_a_consented_case_to_closed_takes_at_most_20_actions(
    page, open_page_as, make_user, mfa_user, demo_states, csp_violations, artifacts_dir
):
    ee = make_user(Role.NCP, "EE")
    lv = make_user(Role.NCP, "LV")
    make_user(Role.NCP, "LV")  # a second Latvian contact point, who is not needed as alternate
    secrets = {user.pk: mfa_user(user) for user in (ee, lv)}
    case = make_case(ee)
    make_consent(case, ee, states=[demo_states["LV"]], purposes=("referral", "assistance"))
    act = Actions()

    # Estonia: from the case to a sent referral.
    ee_page = page
    sign_in_with_totp(ee_page, ee.email, secrets[ee.pk])
    ee_page.goto(case.get_absolute_url())
    act.click(ee_page.get_by_role("link", name="Refer to another state"), "refer")
    # Everything comes from the consent: the one state it names, the purpose, the categories.
    expect(ee_page.get_by_label("Receiving state", exact=True)).to_have_value(str(demo_states["LV"].pk))
    expect(ee_page.get_by_label("Case variables (exploitation, countries, needs)")).to_be_checked()
    act.click(ee_page.get_by_role("button", name="Save draft"), "save draft")
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Draft")
    referral = Referral.objects.get(case=case)
    act.click(ee_page.locator("#action-send").get_by_role("button", name="Send"), "send")
    expect_message_once(ee_page, "Done: send.")
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Sent")

    # Latvia: from its dashboard, through the inbox, to completion.
    lv_page = open_page_as(lv, secrets[lv.pk])
    nav = lv_page.get_by_test_id("main-navigation").get_by_role("link", name="Referrals", exact=True)
    act.click(nav, "inbox")
    act.click(lv_page.get_by_role("row").filter(has_text=referral.reference).get_by_role("link"), "open referral")
    expect(lv_page.get_by_test_id("referral-status")).to_have_text("Sent")

    acknowledge = lv_page.locator("#action-acknowledge")
    expect(acknowledge.get_by_label("Key contact")).to_have_value(str(lv.pk))  # the acting NCP
    act.click(acknowledge.get_by_role("button", name="Acknowledge"), "acknowledge")
    expect_message_once(lv_page, "Done: acknowledge.")

    meeting = (timezone.localtime() + timedelta(days=7)).replace(hour=10, minute=30, second=0, microsecond=0)
    accept = lv_page.locator("#action-accept")
    act.fill(accept.get_by_label("Who meets the person"), "Social worker of the shelter", "met by")
    act.fill(accept.get_by_label("Where"), "Riga airport, arrivals hall", "where")
    act.fill(accept.get_by_label("When"), meeting.strftime("%Y-%m-%dT%H:%M"), "when")
    act.click(accept.get_by_role("button", name="Accept"), "accept")
    expect_message_once(lv_page, "Done: accept.")

    act.click(lv_page.locator("#action-start").get_by_role("button", name="Start services"), "start")
    expect_message_once(lv_page, "Done: start services.")

    complete = lv_page.locator("#action-complete")
    act.fill(complete.get_by_label("Arrival or start of services"), meeting.date().isoformat(), "arrived on")
    act.click(complete.get_by_role("button", name="Confirm completion"), "complete")
    expect_message_once(lv_page, "Done: confirm completion.")
    expect(lv_page.get_by_test_id("referral-status")).to_have_text("Completed")

    # Estonia closes it.
    act.reload(ee_page)
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Completed")
    act.click(ee_page.locator("#action-close").get_by_role("button", name="Close"), "close")
    expect_message_once(ee_page, "Done: close.")
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Closed")

    referral.refresh_from_db()
    assert referral.status == "closed"
    assert (referral.receiving_contact, referral.receiving_alternate) == (lv, None)
    assert act.count <= MAX_ACTIONS, f"{act.count} actions: {act.log}"

    # The case lists it, and the referral links back to the case.
    ee_page.get_by_role("link", name=case.reference).click()
    row = ee_page.get_by_test_id("case-referrals").get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Latvia")
    expect(row).to_contain_text("Closed")
    expect(ee_page).to_have_url(re.compile(rf"{re.escape(case.get_absolute_url())}$"))
    ee_page.screenshot(path=str(artifacts_dir / "round-trip-case.png"), full_page=True)
    print(f"round trip: {act.count} actions: {act.log}")
    assert csp_violations == []


def test_one_box_ticks_the_six_points_of_the_consent_and_each_can_be_unticked(
    page, make_user, mfa_user, csp_violations
):
    ee = make_user(Role.NCP, "EE")
    secret = mfa_user(ee)
    case = make_case(ee)
    sign_in_with_totp(page, ee.email, secret)
    page.goto(reverse("cases:record_add", args=[case.pk, "consent"]))
    points = page.locator('[data-check-all-member="informed"]')
    expect(points).to_have_count(6)
    everything = page.get_by_label("All points explained to the person")
    everything.check()
    for index in range(6):
        expect(points.nth(index)).to_be_checked()
    points.nth(2).uncheck()
    expect(everything).not_to_be_checked()
    expect(points.nth(0)).to_be_checked()
    points.nth(2).check()
    expect(everything).to_be_checked()
    assert csp_violations == []
