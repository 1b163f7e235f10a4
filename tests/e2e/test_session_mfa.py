"""MFA holds per session, in a real browser: a session opened with the password alone does
not inherit the owner's enrolment made in another browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import Role
from tests.e2e.test_login_mfa import at_path, current_totp, sign_in
from tests.members.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def test_a_password_only_session_is_signed_out_when_the_owner_enrols_in_another_browser(
    page, browser, live_server, make_user, csp_violations
):
    ncp = make_user(Role.NCP, "EE")
    elsewhere = browser.new_context(base_url=live_server.url)
    try:
        stolen = elsewhere.new_page()
        # Someone with the password only: sent to enrolment, which asks for the password again.
        sign_in(stolen, ncp.email)
        expect(stolen).to_have_url(at_path("account_reauthenticate"))

        # The owner enrols TOTP in their own browser.
        sign_in(page, ncp.email)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        expect(page).to_have_url(at_path("mfa_activate_totp"))
        secret = page.locator("#authenticator_secret").input_value()
        page.get_by_label("Authenticator code").fill(current_totp(secret))
        page.get_by_role("button", name="Activate").click()
        expect(page).not_to_have_url(at_path("mfa_activate_totp"))
        page.goto(reverse("cases:list"))
        expect(page).to_have_url(at_path("cases:list"))

        # The password-only session is over, not promoted to the owner's MFA.
        stolen.goto(reverse("cases:list"))
        expect(stolen).to_have_url(at_path("account_login"))
        stolen.get_by_label("Email").fill(ncp.email)
        stolen.get_by_label("Password").fill(TEST_PASSWORD)
        stolen.get_by_role("button", name="Sign In").click()
        expect(stolen).to_have_url(at_path("mfa_authenticate"))  # the code is asked now
    finally:
        elsewhere.close()
    assert csp_violations == []
