"""A discussion in a browser: Estonia starts a thread with a file and marks it urgent; every
member is alerted; Latvia replies; Estonia sees the reply unread on the dashboard until the
thread's page has loaded (the read mark is the page's own POST); the secretariat hides a post
with a reason, which Latvia then sees in its place. axe checks the thread's page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from discussions.models import Post, Thread
from members.models import Role
from notifications.models import Notification
from tests.cases.factories import PDF
from tests.discussions.factories import make_topic
from tests.e2e.test_cases import sign_in_with_totp
from tests.e2e.test_login_mfa import at_path, sign_in

pytestmark = pytest.mark.e2e


def test_an_urgent_thread_a_reply_unread_until_read_and_a_hidden_post(
    page, browser, live_server, make_user, mfa_user, tmp_path, csp_violations
):
    secretariat = make_user(Role.SECRETARIAT, full_name="Sara Secretariat")
    secret = mfa_user(secretariat)
    ee_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")
    lv_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "LV", full_name="Liga Representative")
    observer = make_user(Role.OBSERVER, full_name="Olga Observer")
    make_topic(secretariat, "Labour exploitation")
    note = tmp_path / "inspection-note.pdf"
    note.write_bytes(PDF)

    # 1. Estonia starts an urgent thread with a file.
    sign_in(page, ee_rep.email)
    expect(page).to_have_url(at_path("dashboard"))
    page.goto(reverse("discussions:list"))
    page.get_by_role("link", name="Labour exploitation").click()
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill("Recruiters at the harbour")
    page.get_by_label("Message").fill("Offers of work on fishing boats, reported this morning.")
    page.get_by_label("Attachment").set_input_files(str(note))
    page.get_by_label("Urgent alert").check()
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_test_id("post")).to_contain_text("Offers of work on fishing boats")
    expect(page.get_by_role("link", name="inspection-note.pdf")).to_be_visible()
    thread = Thread.objects.get()
    for member in (secretariat, lv_rep, observer):
        assert Notification.objects.filter(kind="discussion_urgent", recipient=member).count() == 1

    # 2. Latvia opens the alert from its inbox and replies.
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        latvia = context.new_page()
        sign_in(latvia, lv_rep.email)
        latvia.goto(reverse("notifications:list"))
        alert = "Urgent, from Rein Representative (Estonia): Recruiters at the harbour"
        latvia.get_by_role("button", name=alert, exact=True).click()
        expect(latvia.get_by_role("heading", name="Recruiters at the harbour")).to_be_visible()
        latvia.get_by_label("Message").fill("Latvia's inspectors saw the same ads; we can share them.")
        latvia.get_by_role("button", name="Post").click()
        expect(latvia.get_by_test_id("post").last).to_contain_text("Latvia's inspectors saw the same ads")
    finally:
        context.close()

    # 3. Estonia follows the thread it started: the reply is unread until the page is read.
    page.goto(reverse("dashboard"))
    expect(page.get_by_test_id("unread-threads")).to_contain_text("Recruiters at the harbour")
    expect(page.get_by_test_id("unread-threads")).to_contain_text("1 new post")
    with page.expect_response(lambda response: "/read/" in response.url and response.status == 204):
        page.get_by_test_id("unread-threads").get_by_role("link", name="Recruiters at the harbour").click()
    page.goto(reverse("dashboard"))
    expect(page.get_by_test_id("unread-threads")).to_contain_text("Nothing unread")

    # 4. The secretariat hides Latvia's post with a reason; Latvia sees the reason instead.
    reply = Post.objects.filter(thread=thread).order_by("created_at").last()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        desk = context.new_page()
        sign_in_with_totp(desk, secretariat.email, secret)
        desk.goto(thread.get_absolute_url())
        desk.locator(f"#post-{reply.pk}").get_by_role("link", name="Hide").click()
        desk.get_by_label("Reason").fill("It names a person; send it to the secretariat instead.")
        desk.get_by_role("button", name="Hide the post").click()
        expect(desk.locator(f"#post-{reply.pk}")).to_contain_text("It names a person")
    finally:
        context.close()
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        latvia = context.new_page()
        sign_in(latvia, lv_rep.email)
        latvia.goto(thread.get_absolute_url())
        hidden = latvia.get_by_test_id("hidden-post")
        expect(hidden).to_contain_text("It names a person")
        expect(latvia.get_by_text("Latvia's inspectors saw the same ads")).to_have_count(0)
    finally:
        context.close()
    assert not csp_violations
