"""A referral between two states in real browsers: Estonia sends, Latvia receives; Lithuania sees nothing."""

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from members.models import Role
from referrals.models import Referral, ReferralMessage
from referrals.workflow import REFERRAL_WORKFLOW
from tests.cases.factories import PDF, make_case
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS
from tests.e2e.test_cases import expect_message_once
from tests.e2e.test_login_mfa import at_path, sign_in
from tests.referrals.factories import make_consent

pytestmark = pytest.mark.e2e

TIMELINE_KINDS = ["Drafted", "Sent", "Acknowledged", "Accepted", "Completed"]
# allauth accepts only the current TOTP period (MFA_TOTP_TOLERANCE is 0): a code is
# typed only when it stays valid long enough to reach the server on a busy machine.
TOTP_MARGIN_SECONDS = 5


def sign_in_with_totp(page, email: str, secret: str) -> None:
    sign_in(page, email)
    expect(page).to_have_url(at_path("mfa_authenticate"))
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.1)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // period))
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(at_path("dashboard"))


@pytest.fixture
def private_media(settings, tmp_path) -> Path:
    """Uploaded files go to a fresh folder (the live server runs in this process)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": root}},
    }
    return root


@pytest.fixture
def open_page_as(page, browser, live_server, csp_violations):
    """open_page_as(user, secret) -> a page in a context of its own, signed in as `user`.

    Its console's CSP violations go to the same list as those of `page`. Depends on
    `page`, so these contexts are closed before `page` hands the thread back to Django.
    """
    contexts = []

    def _open(user, secret: str):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        other = context.new_page()

        def record(message) -> None:
            if "Content Security Policy" in message.text:
                csp_violations.append(f"{other.url}: {message.text}")

        other.on("console", record)
        sign_in_with_totp(other, user.email, secret)
        return other

    yield _open
    for context in contexts:
        context.close()


def open_action(page, label: str, action: str):
    """Open the action's accordion panel by its button, unless it is open already (the next
    step's panel is); returns the panel."""
    panel = page.locator(f"#action-{action}")
    if not panel.is_visible():
        button = page.locator("#referral-actions .accordion-button").filter(
            has_text=re.compile(rf"^{re.escape(label)}$")
        )
        button.click()
    expect(panel).to_have_class(re.compile(r"\bshow\b"))
    expect(panel).to_be_visible()
    return panel


def timeline_texts(page) -> list[str]:
    items = page.get_by_test_id("timeline").locator("li")
    expect(items).to_have_count(len(TIMELINE_KINDS))
    return [" ".join(text.split()) for text in items.all_inner_texts()]


def test_referral_round_trip_between_estonia_and_latvia(
    page, open_page_as, make_user, mfa_user, demo_states, private_media, csp_violations, artifacts_dir
):
    ee = make_user(Role.NCP, "EE")
    lv = make_user(Role.NCP, "LV")
    lv_alternate = make_user(Role.NCP, "LV")
    lt = make_user(Role.NCP, "LT")
    secrets = {user.pk: mfa_user(user) for user in (ee, lv, lv_alternate, lt)}
    case = make_case(ee)
    consent = make_consent(case, ee, states=[demo_states["LV"]])

    # 1. Estonia drafts the referral from the case page, then sends it.
    ee_page = page
    sign_in_with_totp(ee_page, ee.email, secrets[ee.pk])
    ee_page.goto(case.get_absolute_url())
    ee_page.get_by_role("link", name="Refer to another state").click()
    expect(ee_page.get_by_role("heading", level=1)).to_have_text(f"Refer case {case.reference} to another state")
    ee_page.get_by_label("Receiving state", exact=True).select_option(label="Latvia")
    ee_page.get_by_label("Purpose", exact=True).select_option(label="Assistance in the receiving state")
    ee_page.get_by_label("Consent", exact=True).select_option(label=str(consent))
    ee_page.get_by_label("Case variables (exploitation, countries, needs)").check()
    ee_page.get_by_role("button", name="Save draft").click()

    # The draft is saved once its page shows; only then is it in the database to look at.
    expect(ee_page.get_by_test_id("referral-reference")).to_have_text(re.compile(rf"^{re.escape(case.reference)}-R1$"))
    referral = Referral.objects.get(case=case)
    expect(ee_page).to_have_url(re.compile(rf"{re.escape(referral.get_absolute_url())}$"))
    expect_message_once(ee_page, f"Draft {referral.reference} saved.")
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Draft")
    send = open_action(ee_page, "Send", "send")
    send.get_by_role("button", name="Send").click()
    expect_message_once(ee_page, "Done: send.")
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Sent")

    # 2. Latvia finds it in its inbox and takes it through to completion.
    lv_page = open_page_as(lv, secrets[lv.pk])
    lv_page.get_by_test_id("main-navigation").get_by_role("link", name="Referrals", exact=True).click()
    expect(lv_page.get_by_role("heading", level=1)).to_have_text("Referrals received by Latvia")
    row = lv_page.get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Estonia")
    expect(row).to_contain_text("Sent")
    row.get_by_role("link", name=referral.reference).click()
    expect(lv_page.get_by_test_id("referral-reference")).to_have_text(referral.reference)
    expect(lv_page.get_by_test_id("referral-status")).to_have_text("Sent")
    expect(lv_page.get_by_test_id("snapshot-variables")).to_be_visible()

    acknowledge = open_action(lv_page, "Acknowledge", "acknowledge")
    acknowledge.get_by_label("Key contact").select_option(label=str(lv))
    acknowledge.get_by_label("Alternate contact").select_option(label=str(lv_alternate))
    acknowledge.get_by_role("button", name="Acknowledge").click()
    expect_message_once(lv_page, "Done: acknowledge.")
    expect(lv_page.get_by_test_id("referral-status")).to_have_text("Acknowledged")

    meeting = (timezone.localtime() + timedelta(days=7)).replace(hour=10, minute=30, second=0, microsecond=0)
    accept = open_action(lv_page, "Accept", "accept")
    accept.get_by_label("Who meets the person").fill("Social worker of the shelter")
    accept.get_by_label("Where").fill("Riga airport, arrivals hall")
    accept.get_by_label("When").fill(meeting.strftime("%Y-%m-%dT%H:%M"))
    accept.get_by_label("Reception plan").fill("Shelter place for three months.")
    accept.get_by_role("button", name="Accept").click()
    expect_message_once(lv_page, "Done: accept.")
    expect(lv_page.get_by_test_id("referral-status")).to_have_text("Accepted")

    messages = lv_page.get_by_role("region", name="Messages between the two states")
    messages.get_by_label("Message").fill("The reception plan is attached.")
    messages.get_by_label("Attachment").set_input_files(
        {"name": "reception-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    messages.get_by_role("button", name="Send message").click()
    expect_message_once(lv_page, "Message sent.")
    expect(messages).to_contain_text("The reception plan is attached.")
    expect(messages.get_by_role("link", name="reception-plan.pdf")).to_be_visible()

    complete = open_action(lv_page, "Confirm completion", "complete")
    complete.get_by_label("Arrival or start of services").fill(meeting.date().isoformat())
    complete.get_by_role("button", name="Confirm completion").click()
    expect_message_once(lv_page, "Done: confirm completion.")
    expect(lv_page.get_by_test_id("referral-status")).to_have_text("Completed")

    # 3. Both sides see the same timeline.
    lv_timeline = timeline_texts(lv_page)
    ee_page.reload()
    expect(ee_page.get_by_test_id("referral-status")).to_have_text("Completed")
    ee_timeline = timeline_texts(ee_page)
    assert ee_timeline == lv_timeline
    assert [text.split(" · ")[0] for text in ee_timeline] == TIMELINE_KINDS, ee_timeline
    assert "Riga airport, arrivals hall" in ee_timeline[3]
    assert lv.full_name in ee_timeline[2] and lv_alternate.full_name in ee_timeline[2]

    # 4. Estonia reads Latvia's message and downloads its attachment.
    ee_messages = ee_page.get_by_role("region", name="Messages between the two states")
    expect(ee_messages).to_contain_text("The reception plan is attached.")
    expect(ee_messages).to_contain_text(lv.full_name)
    with ee_page.expect_download() as download_info:
        ee_messages.get_by_role("link", name="reception-plan.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "reception-plan.pdf"
    assert Path(download.path()).read_bytes() == PDF

    # 5. Lithuania gets 404 on every URL of the referral, whatever the method.
    document = ReferralMessage.objects.get(referral=referral).attachment
    assert (private_media / document.file.name).read_bytes() == PDF
    lt_page = open_page_as(lt, secrets[lt.pk])
    csrf_token = lt_page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    assert csrf_token
    for url in (
        reverse("referrals:detail", args=[referral.pk]),
        reverse("referrals:print", args=[referral.pk]),
        reverse("referrals:document_download", args=[referral.pk, document.pk]),
    ):
        response = lt_page.goto(url)
        assert response.status == 404, (url, response.status)
        expect(lt_page.locator("body")).not_to_contain_text(referral.reference)
    post_urls = [reverse(step.url, args=[referral.pk, step.name]) for step in REFERRAL_WORKFLOW]
    post_urls.append(reverse("referrals:message_post", args=[referral.pk]))
    for url in post_urls:
        response = lt_page.request.post(
            url,
            form={"csrfmiddlewaretoken": csrf_token, "body": "Hello", "reason": "Because"},
            headers={"X-CSRFToken": csrf_token},
            max_redirects=0,
        )
        assert response.status == 404, (url, response.status)
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert ReferralMessage.objects.filter(referral=referral).count() == 1

    lv_page.screenshot(path=str(artifacts_dir / "referral-completed-latvia.png"), full_page=True)
    assert csp_violations == []
