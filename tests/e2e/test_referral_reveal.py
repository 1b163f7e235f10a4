"""The shared identity in a real browser: Latvia sees none of it until a reveal with a purpose,
and Estonia then sees that reveal under "who has seen this" on its case."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from playwright.sync_api import expect

from cases import services as case_services
from members.models import Role
from tests.cases.factories import make_case
from tests.e2e.test_referrals import sign_in_with_totp
from tests.referrals.factories import make_consent, make_referral

pytestmark = pytest.mark.e2e

FAMILY_NAME = "Kask-Browser"
DOCUMENT = "EE-PASS-7781"
CONTACT = "+372 5123 4567"
SHARED = ["case_variables", "identity", "contact"]


def test_the_latvian_ncp_reveals_the_shared_identity_with_a_purpose_and_estonia_sees_it(
    page, make_user, mfa_user, demo_states, csp_violations, artifacts_dir
):
    ee = make_user(Role.NCP, "EE", full_name="Eeva Sender")
    lv = make_user(Role.NCP, "LV", full_name="Liga Receiver")
    secrets = {user.pk: mfa_user(user) for user in (ee, lv)}
    case = make_case(ee, gender="woman")
    case_services.identity_save(
        case=case,
        by=ee,
        data={
            "given_names": "Anna",
            "family_name": FAMILY_NAME,
            "document_numbers": DOCUMENT,
            "contact_details": CONTACT,
        },
    )
    consent = make_consent(case, ee, states=[demo_states["LV"]], categories=SHARED)
    referral = make_referral(ee, demo_states["LV"], case=case, consent=consent, shared_categories=SHARED, send=True)

    # 1. Latvia opens the referral: the case variables are there, the identity is not.
    sign_in_with_totp(page, lv.email, secrets[lv.pk])
    page.goto(referral.get_absolute_url())
    expect(page.get_by_test_id("referral-reference")).to_have_text(referral.reference)
    expect(page.get_by_test_id("snapshot-variables")).to_contain_text("Woman")
    panel = page.get_by_test_id("shared-identity")
    expect(panel).to_contain_text("hidden until you state why you need it")
    for value in (FAMILY_NAME, DOCUMENT, CONTACT):
        expect(page.locator("body")).not_to_contain_text(value)

    # 2. A reveal without a purpose: refused in place with a message, nothing shown or logged.
    reveal_path = reverse("referrals:identity_reveal", args=[referral.pk])
    with page.expect_response(lambda response: response.url.endswith(reveal_path)) as refused:
        panel.get_by_role("button", name="Reveal identity").click()
    assert refused.value.status == 400
    expect(panel.get_by_role("alert")).to_contain_text("Nothing was revealed. Choose why you need to see the identity.")
    expect(page.locator("body")).not_to_contain_text(FAMILY_NAME)
    assert not LogEntry.objects.filter(additional_data__what="shared identity revealed").exists()

    # 3. With a purpose and a note: htmx swaps the identity into the panel.
    purpose = panel.get_by_label("Why do you need to see the identity?")
    purpose.select_option(label="To arrange documents or legal matters")
    panel.get_by_label("Note").fill("Embassy appointment")
    with page.expect_response(lambda response: response.url.endswith(reveal_path)) as revealed:
        panel.get_by_role("button", name="Reveal identity").click()
    assert revealed.value.status == 200
    assert revealed.value.request.headers.get("hx-request") == "true"
    assert page.url.endswith(referral.get_absolute_url()), "the page stayed; only the panel changed"
    expect(panel.get_by_test_id("snapshot-identity")).to_contain_text(FAMILY_NAME)
    expect(panel.get_by_test_id("snapshot-identity")).to_contain_text(DOCUMENT)
    expect(panel.get_by_test_id("snapshot-contact")).to_contain_text(CONTACT)
    expect(panel.get_by_role("button", name="Reveal identity")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "referral-identity-revealed-latvia.png"), full_page=True)

    # 4. Estonia signs in and sees, on its case, who in Latvia revealed what and why.
    page.context.clear_cookies()
    sign_in_with_totp(page, ee.email, secrets[ee.pk])
    page.goto(case.get_absolute_url())
    seen = page.get_by_role("region", name="Who has seen this")
    reveal_row = seen.get_by_role("row").filter(has_text="shared identity revealed")
    expect(reveal_row).to_have_count(1)
    for text in ("Latvia", "Liga Receiver", "To arrange documents or legal matters", "Embassy appointment"):
        expect(reveal_row).to_contain_text(text)
    expect(seen.get_by_role("row").filter(has_text="referral viewed")).to_have_count(1)
    expect(seen).not_to_contain_text("Eeva Sender")
    expect(page.locator("body")).not_to_contain_text(FAMILY_NAME)
    page.screenshot(path=str(artifacts_dir / "case-seen-outside-team-estonia.png"), full_page=True)
    assert csp_violations == []
