"""The dashboard in a browser: a contact point goes from the work queue to the referral waiting for them."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import User
from referrals.models import Referral
from tests.e2e.test_axe import _sign_in
from thb_portal.demo import seed_demo

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_ncp_secret(db, mfa_user):
    seed_demo()
    return mfa_user(User.objects.get(email="ncp.ee@example.org"))


def test_a_contact_point_opens_the_referral_waiting_for_their_state(page, demo_ncp_secret, artifacts_dir):
    # Estonia's referral to Latvia was completed there: closing it is Estonia's step.
    waiting = Referral.objects.get(sending_state__code="EE", status="completed")
    _sign_in(page, "ncp.ee@example.org", demo_ncp_secret)
    queue = page.get_by_role("region", name="Waiting for your action")
    row = queue.get_by_role("row").filter(has_text=waiting.reference)
    expect(row).to_contain_text("Latvia")
    expect(row).to_contain_text("Close")
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(artifacts_dir / "dashboard-ncp-375px.png"), full_page=True)
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], "the dashboard scrolls sideways on a phone"
    row.get_by_role("link", name=waiting.reference).click()
    detail = reverse("referrals:detail", args=[waiting.pk])
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(detail)}$"))
    expect(page.get_by_role("heading", name="Close")).to_be_visible()
