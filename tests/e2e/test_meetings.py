"""The expert group's meeting cycle in a browser: a state proposes an item and registers its
delegation; the secretariat accepts the item, adds a paper and closes the agenda; after the
meeting the minutes are circulated, another state comments, the secretariat records an
action point for Estonia and approves the minutes; Estonia marks the action point done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import ActionPoint, AgendaItem, Delegation, Meeting, MinutesComment, Paper
from members.models import Role
from tests.cases.factories import PDF
from tests.e2e.test_cases import sign_in_with_totp
from tests.e2e.test_login_mfa import at_path, sign_in
from tests.meetings.factories import make_meeting

pytestmark = pytest.mark.e2e


def _as(browser, live_server, email, secret=None):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    if secret:
        sign_in_with_totp(page, email, secret)
    else:
        sign_in(page, email)
        expect(page).to_have_url(at_path("dashboard"))
    return context, page


def test_a_meeting_from_proposal_to_an_action_point_done(
    page, browser, live_server, make_user, mfa_user, tmp_path, csp_violations, artifacts_dir
):
    secretariat = make_user(Role.SECRETARIAT, full_name="Sara Secretariat")
    secret = mfa_user(secretariat)
    ee_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")
    lv_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "LV", full_name="Liga Representative")
    meeting = make_meeting(secretariat, title="Winter meeting")
    paper_file = tmp_path / "draft-statement.pdf"
    paper_file.write_bytes(PDF)

    # 1. Estonia proposes an item and registers its delegation.
    sign_in(page, ee_rep.email)
    expect(page.get_by_test_id("meetings-ahead")).to_contain_text("Estonia has not said who attends")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Propose an item").click()
    page.get_by_label("Title").fill("Seasonal agriculture")
    page.get_by_label("Purpose").select_option(label="For discussion")
    page.get_by_label("Note").fill("Estonia would like to compare inspections.")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_test_id("proposals")).to_contain_text("Seasonal agriculture")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Will attend").check()
    page.get_by_label("Rein Representative").select_option(label="In person")
    page.locator("#id_guest_0_name").fill("Mari Guest")
    page.locator("#id_guest_0_organisation").fill("Labour Inspectorate")
    page.get_by_role("button", name="Save the answer").click()
    expect(page.get_by_test_id("own-registration")).to_contain_text("Rein Representative (in person), Mari Guest")
    assert Delegation.objects.get(meeting=meeting).answered_by == ee_rep

    # 2. The secretariat accepts the item, adds a paper and closes the agenda.
    context, office = _as(browser, live_server, secretariat.email, secret)
    try:
        office.goto(meeting.get_absolute_url())
        office.get_by_test_id("proposals").get_by_role("link", name="Decide").click()
        office.get_by_label("Put on the agenda").check()
        office.get_by_label("Rapporteur").fill("Estonia")
        office.get_by_role("button", name="Decide").click()
        expect(office.get_by_test_id("agenda")).to_contain_text("Seasonal agriculture")
        office.get_by_role("link", name="Add a paper").click()
        office.get_by_label("Title").fill("Draft statement")
        office.get_by_label("Agenda item").select_option(label="Seasonal agriculture")
        office.get_by_label("File").set_input_files(str(paper_file))
        office.get_by_role("button", name="Add the paper").click()
        expect(office.get_by_test_id("agenda")).to_contain_text("Draft statement")
        assert Paper.objects.get().item == AgendaItem.objects.get(title="Seasonal agriculture")
        office.get_by_role("link", name="Close the agenda").click()
        office.get_by_role("button", name="Yes, close the agenda").click()
        expect(office.get_by_test_id("meeting-status")).to_have_text("Agenda closed")

        # 3. The meeting takes place (its dates move to yesterday); the minutes go out.
        yesterday = timezone.localdate() - timedelta(days=1)
        Meeting.objects.filter(pk=meeting.pk).update(starts_on=yesterday, ends_on=yesterday)
        office.reload()
        office.get_by_role("link", name="Mark as held").click()
        office.get_by_role("button", name="Yes, mark as held").click()
        expect(office.get_by_test_id("meeting-status")).to_have_text("Held")
        office.get_by_role("link", name="Minutes").first.click()
        office.get_by_role("link", name="Draft the minutes").click()
        office.get_by_label("Text").fill("The chair opened the meeting.\n\nEstonia presented its inspections.")
        office.get_by_role("button", name="Save the draft").click()
        office.get_by_role("link", name="Circulate for comments").click()
        deadline = timezone.localtime() + timedelta(days=7)
        office.get_by_label("Comments until").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
        office.get_by_role("button", name="Circulate").click()
        expect(office.get_by_test_id("minutes-status")).to_contain_text("Circulated for comments")

        # 4. Latvia comments on the second paragraph.
        latvia_context, latvia = _as(browser, live_server, lv_rep.email)
        try:
            latvia.goto(reverse("meetings:minutes", args=[meeting.pk]))
            latvia.get_by_label("Comment on").select_option(label="Paragraph 2")
            latvia.get_by_label("Your comment").fill("Latvia also presented figures.")
            latvia.get_by_role("button", name="Send the comment").click()
            expect(latvia.get_by_test_id("minutes-comments")).to_contain_text("Latvia also presented figures.")
        finally:
            latvia_context.close()
        assert MinutesComment.objects.get().member_state.code == "LV"

        # 5. The secretariat sees the comment, records an action point for Estonia, approves.
        office.goto(reverse("meetings:minutes", args=[meeting.pk]))
        expect(office.get_by_test_id("minutes-comments")).to_contain_text("Latvia, paragraph 2")
        office.get_by_role("link", name="Record an action point").click()
        office.get_by_label("What").fill("Share the inspection checklist")
        office.get_by_label("Owner").select_option(label="Estonia")
        office.get_by_label("Due on").fill((timezone.localdate() + timedelta(days=30)).isoformat())
        office.get_by_role("button", name="Record").click()
        expect(office.get_by_test_id("meeting-actions")).to_contain_text("Share the inspection checklist")
        office.get_by_role("link", name="Approve the minutes").click()
        office.get_by_role("button", name="Yes, approve the minutes").click()
        expect(office.get_by_test_id("meeting-status")).to_have_text("Minutes approved")
    finally:
        context.close()

    # 6. Estonia marks its action point done, from the open action points page.
    page.goto(reverse("meetings:actions"))
    page.get_by_role("link", name="Share the inspection checklist").click()
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_label("Note").fill("Sent to every delegation.")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("action-list-empty")).to_be_visible()  # no open action point left
    action = ActionPoint.objects.get()
    assert action.status == "done" and action.updated_by == ee_rep
    page.goto(reverse("meetings:minutes", args=[meeting.pk]))
    expect(page.get_by_test_id("minutes-status")).to_contain_text("Approved")
    page.screenshot(path=str(artifacts_dir / "meetings-minutes.png"), full_page=True)
    assert not csp_violations
