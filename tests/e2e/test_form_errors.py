"""Refused forms in a real browser (issue 12 §3): an htmx form refused with 400 is swapped in
with what was typed and the message at the field; any other failure leaves the form as it
is and says in words what happened (static/js/portal.js), never a generic "reload"."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import Case, Stage
from members.models import Role
from tests.cases.factories import make_case
from tests.e2e.test_cases import sign_in_with_totp

pytestmark = pytest.mark.e2e


@pytest.fixture
def case_page(page, make_user, mfa_user):
    """An NCP signed in, on the page of a presumed-victim case of theirs; yields (page, case)."""
    user = make_user(Role.NCP, "EE")
    secret = mfa_user(user)
    case = make_case(user)
    sign_in_with_totp(page, user.email, secret)
    page.goto(case.get_absolute_url())
    return page, case


def test_a_refused_stage_move_is_swapped_in_with_what_was_typed_and_the_message_at_the_field(case_page, csp_violations):
    page, case = case_page
    panel = page.locator("#stage-panel")
    panel.get_by_label("Move to").select_option(label="Reflection and recovery period")
    panel.get_by_label("Reflection period starts").fill("2026-11-01")
    move_path = reverse("cases:move_stage", args=[case.pk])
    with page.expect_response(lambda response: response.url.endswith(move_path)) as refused:
        panel.get_by_role("button", name="Move").click()
    assert refused.value.status == 400

    # htmx swapped the refused panel in: the message at "ends", linked from the summary, which has the focus.
    end = panel.get_by_label("Reflection period ends")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(panel.locator("#id_reflection_end_error")).to_have_text(
        "Give the start and end of the reflection and recovery period."
    )
    expect(end).to_have_attribute("aria-describedby", "id_reflection_end_error")
    summary = panel.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Reflection period ends")).to_have_attribute("href", "#id_reflection_end")
    # What was chosen and typed is still there; the case did not move.
    expect(panel.get_by_label("Move to")).to_have_value(Stage.REFLECTION_PERIOD)
    expect(panel.get_by_label("Reflection period starts")).to_have_value("2026-11-01")
    expect(panel.get_by_test_id("case-stage")).to_have_text("Presumed victim")
    expect(page.locator("body")).not_to_contain_text("could not be updated")
    assert Case.objects.get(pk=case.pk).stage == Stage.PRESUMED

    # Corrected, it goes through in place.
    end.fill("2026-12-01")
    panel.get_by_role("button", name="Move").click()
    expect(panel.get_by_test_id("case-stage")).to_have_text("Reflection and recovery period")
    expect(panel.locator("[data-error-summary]")).to_have_count(0)
    assert csp_violations == []


@pytest.mark.parametrize(
    "status, text",
    [
        (403, "You no longer have access to this page."),
        (404, "This item no longer exists or is no longer shared with you."),
        (500, "The server could not save this. What you typed is still here; try again in a moment."),
        (503, "The server could not save this. What you typed is still here; try again in a moment."),
    ],
)
def test_other_failures_keep_what_was_typed_and_say_what_happened(case_page, csp_violations, status, text):
    page, case = case_page
    page.route(
        f"**{reverse('cases:move_stage', args=[case.pk])}",
        lambda route: route.fulfill(status=status, content_type="text/html", body="<h1>Error</h1>"),
    )
    panel = page.locator("#stage-panel")
    panel.get_by_label("Move to").select_option(label="Not identified")
    panel.get_by_label("Reason (when not identified)").fill("No indicators found in the interview.")
    panel.get_by_role("button", name="Move").click()

    problem = panel.locator("[data-request-problem]")
    expect(problem).to_have_text(text)
    expect(problem).to_have_attribute("role", "alert")
    expect(panel.get_by_label("Reason (when not identified)")).to_have_value("No indicators found in the interview.")
    expect(panel.get_by_label("Move to")).to_have_value(Stage.NOT_IDENTIFIED)
    # Tried again, the message is not repeated: one box, replaced.
    panel.get_by_role("button", name="Move").click()
    expect(panel.locator("[data-request-problem]")).to_have_count(1)
    assert csp_violations == []


def test_no_connection_keeps_what_was_typed_and_says_so(case_page, csp_violations):
    page, case = case_page
    page.route(f"**{reverse('cases:move_stage', args=[case.pk])}", lambda route: route.abort("internetdisconnected"))
    panel = page.locator("#stage-panel")
    panel.get_by_label("Move to").select_option(label="Not identified")
    panel.get_by_label("Reason (when not identified)").fill("No indicators.")
    panel.get_by_role("button", name="Move").click()

    expect(panel.locator("[data-request-problem]")).to_have_text("No connection: what you typed is still here.")
    expect(panel.get_by_label("Reason (when not identified)")).to_have_value("No indicators.")

    # Back online: the message goes with the next answer.
    page.unroute(f"**{reverse('cases:move_stage', args=[case.pk])}")
    panel.get_by_role("button", name="Move").click()
    expect(panel.get_by_test_id("case-stage")).to_have_text("Not identified")
    expect(page.locator("[data-request-problem]")).to_have_count(0)
    assert csp_violations == []


def test_a_whole_page_refused_without_htmx_keeps_what_was_typed(case_page, csp_violations):
    """The same refusal without JavaScript's help: the form's own page, 400, the message at the field."""
    page, case = case_page
    page.goto(reverse("cases:record_add", args=[case.pk, "follow_up"]))
    page.get_by_label("Due on").fill("")
    page.get_by_label("Method").select_option(label="Phone")
    with page.expect_response(lambda response: response.request.method == "POST") as refused:
        page.get_by_role("button", name="Save").click()
    assert refused.value.status == 400
    due = page.get_by_label("Due on")
    expect(due).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_due_on_error")).to_have_text("This field is required.")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert csp_violations == []
