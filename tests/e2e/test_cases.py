"""Case files in a real browser: open a case, record identity and consent, reveal the identity."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Role
from tests.e2e.test_login_mfa import at_path, current_totp, sign_in

pytestmark = pytest.mark.e2e

INFORMED_OF = [
    "Informed of purpose",
    "Informed of data use",
    "Informed of research use",
    "Informed of access right",
    "Informed of retention",
    "Informed of withdrawal",
]


def sign_in_with_totp(page, email: str, secret: str) -> None:
    """The password, then the authenticator code allauth asks for at /accounts/2fa/authenticate/."""
    sign_in(page, email)
    expect(page).to_have_url(at_path("mfa_authenticate"))
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_label("Code").fill(current_totp(secret))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(at_path("dashboard"))


def expect_message_once(page, text: str) -> None:
    """A flash message, shown once on the page (not again inside a panel)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_have_count(1)


def test_ncp_creates_a_case_records_consent_and_reveals_the_identity(
    page, make_user, mfa_user, csp_violations, artifacts_dir
):
    user = make_user(Role.NCP, "EE")
    secret = mfa_user(user)
    sign_in_with_totp(page, user.email, secret)

    # 1. Cases in the navigation, then "Open a case".
    page.get_by_test_id("main-navigation").get_by_role("link", name="Cases", exact=True).click()
    expect(page).to_have_url(at_path("cases:list"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases of Estonia")
    page.get_by_role("link", name="Open a case").click()
    expect(page).to_have_url(at_path("cases:create"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case")
    page.get_by_label("Gender").select_option(label="Woman")
    page.get_by_label("Age band").select_option(label="21–23")
    page.get_by_label("Citizenship").select_option(label="Ukraine")
    page.get_by_label("Forced labour / labour exploitation").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("case-reference")).to_have_text(re.compile(r"^EE-\d{4}-\d{4}$"))
    reference = page.get_by_test_id("case-reference").inner_text()
    case_url = page.url
    case_pk = int(re.search(r"/cases/(\d+)/$", case_url).group(1))
    expect_message_once(page, f"Case {reference} was opened.")
    variables = page.get_by_role("region", name="Case variables")
    expect(variables).to_contain_text("Woman · 21–23")
    expect(variables).to_contain_text("Ukraine")
    expect(variables).to_contain_text("Forced labour / labour exploitation")
    identity_panel = page.get_by_role("region", name="Identity")
    expect(identity_panel).to_contain_text("No identity recorded.")

    # 2. The identity, kept encrypted: after saving, the case page does not show it.
    identity_panel.get_by_role("link", name="Record identity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Identity of the person in {reference}")
    page.get_by_label("Given names").fill("Maria")
    page.get_by_label("Family name").fill("Testova")
    page.get_by_label("Date of birth").fill("1999-04-01")
    page.get_by_role("button", name="Save identity").click()

    expect(page).to_have_url(case_url)
    expect_message_once(page, "The identity was saved (encrypted).")
    expect(identity_panel.get_by_role("link", name="Edit identity")).to_be_visible()
    expect(identity_panel.get_by_role("button", name="Reveal identity")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Maria")
    expect(page.locator("body")).not_to_contain_text("Testova")

    # 3. Consent: every point of the checklist explained.
    consent_panel = page.get_by_role("region", name="Consent")
    expect(consent_panel).to_contain_text("No consent recorded.")
    consent_panel.get_by_role("link", name="Record consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    page.get_by_label("Given by").select_option(label="The person")
    page.get_by_label("Given on").fill(timezone.localdate().isoformat())
    page.get_by_label("Method").select_option(label="Written, signed form")
    page.get_by_label("Referral to another state or organisation").check()
    page.get_by_label("Assistance", exact=True).check()
    page.get_by_label("Case variables (exploitation, countries, needs)").check()
    page.get_by_label("Finland", exact=True).check()
    for label in INFORMED_OF:
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(case_url)
    expect_message_once(page, "Consent saved.")
    expect(consent_panel.locator(".badge")).to_have_text("active")
    expect(consent_panel).to_contain_text("Referral to another state or organisation")
    expect(consent_panel).to_contain_text("States: FI")
    expect(page.locator("body")).not_to_contain_text("Maria")

    # 4. The reveal: a stated purpose, then htmx swaps the identity into the panel.
    identity_panel.get_by_label("Why do you need to see the identity?").select_option(
        label="To prepare a referral or a meeting"
    )
    reveal_path = reverse("cases:identity_reveal", args=[case_pk])
    with page.expect_response(lambda response: response.url.endswith(reveal_path)) as reveal:
        identity_panel.get_by_role("button", name="Reveal identity").click()
    assert reveal.value.status == 200
    assert reveal.value.request.headers.get("hx-request") == "true"  # htmx, not a full page load
    expect(page).to_have_url(case_url)
    revealed = identity_panel.get_by_test_id("identity")
    expect(revealed).to_contain_text("Maria")
    expect(revealed).to_contain_text("Testova")
    expect(revealed).to_contain_text("1999-04-01")
    expect(identity_panel.get_by_role("button", name="Reveal identity")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "ncp-case-identity-revealed.png"), full_page=True)

    # 5. The audit trail records the reveal, its purpose and who did it.
    page.get_by_role("link", name="Audit trail").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(reverse('cases:audit', args=[case_pk]))}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Audit trail of {reference}")
    reveal_rows = page.get_by_role("row").filter(has_text="identity revealed")
    expect(reveal_rows).to_have_count(1)
    expect(reveal_rows).to_contain_text("identity revealed — purpose: To prepare a referral or a meeting")
    expect(reveal_rows).to_contain_text(user.full_name)
    expect(page.locator("body")).not_to_contain_text("Maria")

    assert csp_violations == []
