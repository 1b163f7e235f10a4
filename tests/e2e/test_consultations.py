"""A written procedure by silence in a browser: the secretariat circulates a statement, one
state objects, the deadline job closes the procedure as "silence broken by …", and every
member is told."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Consultation
from members.models import Role
from notifications.models import Notification
from tests.cases.factories import PDF
from tests.consultations.factories import pass_deadline
from tests.e2e.test_cases import sign_in_with_totp
from tests.e2e.test_login_mfa import at_path, sign_in

pytestmark = pytest.mark.e2e


def test_a_silence_procedure_broken_by_an_objection(
    page, browser, live_server, make_user, mfa_user, tmp_path, csp_violations, artifacts_dir
):
    secretariat = make_user(Role.SECRETARIAT, full_name="Sara Secretariat")
    secret = mfa_user(secretariat)
    ee_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")
    lv_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "LV", full_name="Liga Representative")
    observer = make_user(Role.OBSERVER, full_name="Olga Observer")
    document = tmp_path / "joint-statement.pdf"
    document.write_bytes(PDF)

    # 1. The secretariat circulates a joint statement by silence.
    sign_in_with_totp(page, secretariat.email, secret)
    page.goto(reverse("consultations:list"))
    page.get_by_role("link", name="Circulate a document").click()
    page.get_by_label("Title").fill("Joint statement on online recruitment")
    page.get_by_label("Written procedure by silence").check()
    deadline = timezone.localtime() + timezone.timedelta(days=5)
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Document").set_input_files(str(document))
    page.get_by_role("button", name="Circulate").click()
    expect(page.get_by_test_id("consultation-status")).to_have_text("Open")
    consultation = Consultation.objects.get()
    assert Notification.objects.filter(kind="consultation_opened", recipient=lv_rep).exists()

    # 2. Estonia objects, with a reason; every member sees it on the board.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        estonia = context.new_page()
        sign_in(estonia, ee_rep.email)
        expect(estonia).to_have_url(at_path("dashboard"))
        estonia.goto(consultation.get_absolute_url())
        estonia.get_by_role("link", name="Answer for Estonia").click()
        estonia.get_by_label("Object", exact=True).check()
        estonia.get_by_label("Reason for the objection").fill("Paragraph 4 contradicts our national law.")
        estonia.get_by_role("button", name="Save the answer").click()
        expect(estonia.get_by_test_id("own-answer")).to_contain_text("Object: Paragraph 4 contradicts")
    finally:
        context.close()
    page.reload()
    expect(page.get_by_test_id("status-board")).to_contain_text("Paragraph 4 contradicts our national law.")

    # 3. The deadline passes; the job closes the procedure and records the outcome.
    pass_deadline(consultation)
    call_command("run_job", "consultations.close_due")
    page.reload()
    expect(page.get_by_test_id("consultation-outcome")).to_have_text("Silence broken by Estonia.")

    # 4. Everyone is told: Latvia sees the notice in its inbox.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        latvia = context.new_page()
        sign_in(latvia, lv_rep.email)
        latvia.goto(reverse("notifications:list"))
        notice = "Joint statement on online recruitment: Silence broken by Estonia."
        expect(latvia.get_by_role("button", name=notice, exact=True)).to_be_visible()
        latvia.screenshot(path=str(artifacts_dir / "consultation-outcome.png"), full_page=True)
    finally:
        context.close()
    for member in (secretariat, ee_rep, lv_rep, observer):
        assert Notification.objects.filter(kind="consultation_outcome", recipient=member).count() == 1
    assert not csp_violations
