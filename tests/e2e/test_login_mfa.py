"""Login and TOTP enrolment in a real browser, against the live portal."""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Role
from tests.members.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def at_path(url_name: str) -> re.Pattern:
    """Matches the page's URL when it is that of `url_name`, whatever the query string."""
    return re.compile(rf"^https?://[^/]+{re.escape(reverse(url_name))}(\?.*)?$")


def current_totp(secret: str) -> str:
    """The code an authenticator app shows now; never one about to expire before it is sent."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 6:  # a busy machine needs seconds between typing the code and the server checking it
        time.sleep(left + 0.1)
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(page, email: str, password: str = TEST_PASSWORD) -> None:
    page.goto(reverse("account_login"))
    expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def redirect_chain(response) -> list[str]:
    """The URLs a navigation went through before `response`, first one first."""
    urls = []
    request = response.request.redirected_from
    while request is not None:
        urls.insert(0, request.url)
        request = request.redirected_from
    return urls


def test_ncp_logs_in_enrols_totp_and_reaches_dashboard(page, make_user, csp_violations, artifacts_dir):
    user = make_user(Role.NCP, "EE")

    # The role needs MFA: after the password, the portal sends the user to enrolment,
    # which first asks for the password again (allauth's reauthentication).
    sign_in(page, user.email)
    expect(page).to_have_url(at_path("account_reauthenticate"))
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()

    # Before enrolment the dashboard is out of reach: it redirects to enrolment.
    response = page.goto(reverse("dashboard"))
    chain = [re.sub(r"^https?://[^/]+", "", url) for url in redirect_chain(response)]
    assert chain[:2] == [reverse("dashboard"), reverse("mfa_activate_totp")], chain
    expect(page).to_have_url(at_path("account_reauthenticate"))
    expect(page.get_by_role("status").filter(has_text="Your role needs two-factor authentication")).to_be_visible()

    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(at_path("mfa_activate_totp"))
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    page.get_by_label("Authenticator code").fill(current_totp(secret))
    page.get_by_role("button", name="Activate").click()

    # allauth then shows the new recovery codes (or the MFA overview).
    expect(page).not_to_have_url(at_path("mfa_activate_totp"))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    page.goto(reverse("dashboard"))
    expect(page).to_have_url(at_path("dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {user.get_short_name()}")
    expect(page.get_by_test_id("dashboard-role")).to_have_text("National contact point · Estonia")
    page.screenshot(path=str(artifacts_dir / "ncp-dashboard-after-totp-enrolment.png"), full_page=True)
    assert csp_violations == []  # the enrolment pages (QR code, recovery codes) included


def test_login_and_dashboard_have_no_content_security_policy_violations(page, make_user, csp_violations):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")  # no MFA step: straight to the dashboard

    sign_in(page, user.email)
    expect(page).to_have_url(at_path("dashboard"))
    expect(page.get_by_test_id("dashboard-role")).to_be_visible()
    page.wait_for_load_state("load")
    # The portal's own scripts ran: the policy let them through.
    assert page.evaluate("typeof window.htmx") == "object"

    assert csp_violations == []
