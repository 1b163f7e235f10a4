"""Four-eyes on case access in real browsers: the secretariat asks that a user become the NCP
of Estonia; nothing changes until an Estonian NCP confirms; the requester cannot confirm."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import AccessRequest, AccessRequestStatus, Role, User
from tests.e2e.test_cases import expect_message_once
from tests.e2e.test_login_mfa import at_path, sign_in
from tests.e2e.test_referrals import open_page_as, sign_in_with_totp  # noqa: F401 -- open_page_as is a fixture

pytestmark = pytest.mark.e2e


def test_an_ncp_role_waits_for_an_estonian_ncp_and_nobody_confirms_their_own(
    page,
    browser,
    live_server,
    open_page_as,  # noqa: F811 -- the fixture imported above
    make_user,
    mfa_user,
    demo_states,
    csp_violations,
    artifacts_dir,
):
    secretariat = make_user(Role.SECRETARIAT, full_name="Sara Secretariat")
    ee_ncp = make_user(Role.NCP, "EE", full_name="Eve Estonian")
    subject = make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")
    secrets = {user.pk: mfa_user(user) for user in (secretariat, ee_ncp)}

    # 1. The secretariat makes Rein the NCP of Estonia in the admin: it becomes a request.
    sign_in_with_totp(page, secretariat.email, secrets[secretariat.pk])
    page.goto(reverse("admin:members_user_change", args=[subject.pk]))
    page.locator("#id_role").select_option(label="National contact point")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .warning")).to_contain_text(
        "the change waits for confirmation by a national contact point of Estonia or another member of the secretariat"
    )
    access_request = AccessRequest.objects.get(subject=subject)
    subject.refresh_from_db()
    assert subject.role == Role.NATIONAL_REPRESENTATIVE
    page.screenshot(path=artifacts_dir / "access-request-made.png")

    # 2. Until it is confirmed, Rein still cannot open the case files.
    subject_context = browser.new_context(base_url=live_server.url)
    try:
        subject_page = subject_context.new_page()
        sign_in(subject_page, subject.email)
        expect(subject_page).to_have_url(at_path("dashboard"))
        assert subject_page.goto(reverse("cases:list")).status == 403
    finally:
        subject_context.close()

    # 3. The requester sees that someone else must confirm, and is refused if they try.
    page.goto(access_request.get_absolute_url())
    expect(page.get_by_text("You made this request, so a different person must confirm it")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm")).to_have_count(0)
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        reverse("members:access_request_confirm", args=[access_request.pk]), headers={"X-CSRFToken": csrf}
    )
    assert "You made this request; a different person must confirm or decline it." in refused.text()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING

    # 4. The Estonian NCP finds it among the requests to decide, and confirms it.
    ee_page = open_page_as(ee_ncp, secrets[ee_ncp.pk])
    ee_page.goto(reverse("members:access_requests"))
    row = ee_page.get_by_role("row").filter(has_text="Rein Representative")
    row.get_by_role("link", name="Decide").click()
    expect(ee_page).to_have_url(re.compile(rf"{re.escape(access_request.get_absolute_url())}$"))
    ee_page.screenshot(path=artifacts_dir / "access-request-decide.png")
    ee_page.get_by_role("button", name="Confirm").click()
    expect_message_once(ee_page, "Confirmed: Rein Representative now has National contact point of Estonia.")
    expect(ee_page.get_by_test_id("status")).to_contain_text("Confirmed, by Eve Estonian")
    subject = User.objects.get(pk=subject.pk)
    assert (subject.role, subject.member_state.code) == (Role.NCP, "EE")
    assert subject.groups.filter(name="EE · ncp").exists()

    # 5. The request and its confirmation are in the audit trail, each with its person.
    page.goto(reverse("admin:auditlog_logentry_changelist"))
    rows = page.locator("#result_list tbody tr").filter(has_text=f"Access request #{access_request.pk}")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Eve Estonian")).to_have_count(1)
    expect(rows.filter(has_text="Sara Secretariat")).to_have_count(1)
    page.screenshot(path=artifacts_dir / "access-request-audit.png")
    assert csp_violations == []
