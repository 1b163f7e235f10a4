"""Stage moves: the allowed ones set stage and status; any other is refused with a clear
message and changes nothing."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, ClosureReason, Stage
from tests.cases.factories import make_case

LONG_AGO = timezone.now() - timedelta(days=40)


@pytest.fixture
def case(ee_ncp):
    case = make_case(ee_ncp)
    # An old timestamp, so that an unchanged one is told apart from "just now".
    Case.objects.filter(pk=case.pk).update(stage_changed_at=LONG_AGO)
    case.refresh_from_db()
    return case


def _move(client, case, **data):
    """Post a stage move as the page does (no htmx); returns the case page it leads to."""
    response = client.post(reverse("cases:move_stage", args=[case.pk]), data, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    return response.content.decode()


def _refused(client, case, url_name="cases:move_stage", *, at=None, **data):
    """Post a move (or a reopening) that is refused: the case page again, 400, with what was
    chosen and the reason at the field `at`; returns the page."""
    response = client.post(reverse(url_name, args=[case.pk]), data)
    assert response.status_code == 400
    content = response.content.decode()
    if at is not None:
        assert f'id="id_{at}_error"' in content
    return content


def _unchanged(case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.stage, fresh.status, fresh.stage_changed_at, fresh.closed_at, fresh.closure_reason) == (
        case.stage,
        case.status,
        case.stage_changed_at,
        case.closed_at,
        case.closure_reason,
    )


def test_a_path_through_the_stages_sets_stage_and_status(ncp_client, case):
    for stage, status in [
        (Stage.FORMALLY_IDENTIFIED, CaseStatus.ACTIVE),
        (Stage.URGENT_ASSISTANCE, CaseStatus.ACTIVE),
        (Stage.LONG_TERM_ASSISTANCE, CaseStatus.ACTIVE),
        (Stage.FOLLOW_UP, CaseStatus.FOLLOW_UP),
        (Stage.LONG_TERM_ASSISTANCE, CaseStatus.ACTIVE),
    ]:
        content = _move(ncp_client, case, to_stage=stage)
        case.refresh_from_db()
        assert (case.stage, case.status) == (stage, status)
        assert f"The case is now in stage “{Stage(stage).label}”." in content
    assert case.stage_changed_at > LONG_AGO


@pytest.mark.parametrize(
    "closure_reason, status",
    [
        (ClosureReason.ASSISTANCE_COMPLETED, CaseStatus.CLOSED),
        (ClosureReason.LOST_CONTACT, CaseStatus.CLOSED),
        (ClosureReason.REFERRED, CaseStatus.CLOSED_REFERRED),
    ],
)
def test_closing_sets_the_closed_status_by_its_reason(ncp_client, case, closure_reason, status):
    _move(ncp_client, case, to_stage=Stage.CLOSED, closure_reason=closure_reason)
    case.refresh_from_db()
    assert (case.stage, case.status, case.closure_reason) == (Stage.CLOSED, status, closure_reason)
    assert case.closed_at is not None


def test_a_move_that_is_not_allowed_gets_a_clear_message_and_changes_nothing(ncp_client, case):
    content = _refused(ncp_client, case, at="to_stage", to_stage=Stage.RETURNED)
    assert "A case cannot move from “Presumed victim” to “Returned”." in content
    _unchanged(case)


def test_the_service_refuses_a_move_that_is_not_allowed_by_name(ee_ncp, case):
    with pytest.raises(ValidationError, match="cannot move from “Presumed victim” to “Returned”"):
        services.case_move_stage(case=case, to_stage=Stage.RETURNED, by=ee_ncp)
    _unchanged(case)


def test_a_stage_that_does_not_exist_is_refused(ncp_client, ee_ncp, case):
    _refused(ncp_client, case, at="to_stage", to_stage="vanished")
    _unchanged(case)
    with pytest.raises(ValidationError, match="is not a stage"):
        services.case_move_stage(case=case, to_stage="vanished", by=ee_ncp)


def test_not_identified_needs_a_reason(ncp_client, case):
    content = _refused(ncp_client, case, at="reason", to_stage=Stage.NOT_IDENTIFIED, reason="  ")
    assert "Give the reason why the person was not identified." in content
    _unchanged(case)

    _move(ncp_client, case, to_stage=Stage.NOT_IDENTIFIED, reason="No indicators of trafficking.")
    case.refresh_from_db()
    assert case.stage == Stage.NOT_IDENTIFIED
    assert case.not_identified_reason == "No indicators of trafficking."


@pytest.mark.parametrize(
    "period, at, message",
    [
        ({}, "reflection_start", "Give the start and end of the reflection and recovery period."),
        (
            {"reflection_start": "2026-11-01"},
            "reflection_end",
            "Give the start and end of the reflection and recovery period.",
        ),
        (
            {"reflection_end": "2026-12-01"},
            "reflection_start",
            "Give the start and end of the reflection and recovery period.",
        ),
        (
            {"reflection_start": "2026-11-01", "reflection_end": "2026-10-31"},
            "reflection_end",
            "The reflection period cannot end before it starts.",
        ),
    ],
)
def test_the_reflection_period_needs_a_start_and_an_end_not_before_it(ncp_client, case, period, at, message):
    content = _refused(ncp_client, case, at=at, to_stage=Stage.REFLECTION_PERIOD, **period)
    assert message in content
    for value in period.values():
        assert f'value="{value}"' in content  # what was typed is still there
    _unchanged(case)


def test_a_reflection_period_of_one_day_is_accepted(ncp_client, case):
    one_day = {"reflection_start": "2026-11-01", "reflection_end": "2026-11-01"}
    _move(ncp_client, case, to_stage=Stage.REFLECTION_PERIOD, **one_day)
    case.refresh_from_db()
    assert case.stage == Stage.REFLECTION_PERIOD
    assert case.reflection_start == case.reflection_end == date(2026, 11, 1)


@pytest.mark.parametrize(
    "closure_reason, message",
    [
        ("", "Choose the reason for closing the case."),
        # Not one of the choices: the form refuses the whole move.
        ("bored", "Select a valid choice."),
    ],
)
def test_closing_needs_a_closure_reason(ncp_client, case, closure_reason, message):
    content = _refused(ncp_client, case, at="closure_reason", to_stage=Stage.CLOSED, closure_reason=closure_reason)
    assert message in content
    _unchanged(case)


def test_the_service_refuses_to_close_without_a_reason(ee_ncp, case):
    with pytest.raises(ValidationError, match=re.escape("Choose the reason for closing the case.")):
        services.case_move_stage(case=case, to_stage=Stage.CLOSED, by=ee_ncp)
    _unchanged(case)


@pytest.fixture
def closed_case(ee_ncp, case):
    services.case_move_stage(case=case, to_stage=Stage.CLOSED, by=ee_ncp, closure_reason=ClosureReason.REFERRED)
    case.refresh_from_db()
    return case


def test_a_closed_case_cannot_be_moved_only_reopened(ncp_client, ee_ncp, closed_case):
    content = _refused(ncp_client, closed_case, to_stage=Stage.PRESUMED)
    assert "The case is closed. Reopen it, with a reason, before moving it." in content
    _unchanged(closed_case)
    with pytest.raises(ValidationError, match=re.escape("The case is closed. Reopen it, with a reason")):
        services.case_move_stage(case=closed_case, to_stage=Stage.PRESUMED, by=ee_ncp)


@pytest.mark.parametrize(
    "data, at, message",
    [
        ({"to_stage": Stage.PRESUMED}, "reason", "Give the reason for reopening the case."),
        ({"to_stage": Stage.PRESUMED, "reason": "   "}, "reason", "Give the reason for reopening the case."),
        ({"reason": "New evidence."}, "to_stage", "Choose the stage the reopened case starts in."),
        (
            {"to_stage": Stage.CLOSED, "reason": "New evidence."},
            "to_stage",
            "Choose the stage the reopened case starts in.",
        ),
    ],
)
def test_reopening_needs_a_reason_and_a_stage(ncp_client, closed_case, data, at, message):
    content = _refused(ncp_client, closed_case, "cases:reopen", at=at, **data)
    assert message in content
    if data.get("reason", "").strip():
        assert data["reason"] in content  # what was typed is still there
    _unchanged(closed_case)


@pytest.mark.parametrize(
    "to_stage, reason, message",
    [
        (Stage.PRESUMED, "  ", "Give the reason for reopening the case."),
        (Stage.CLOSED, "New evidence.", "Choose the stage the reopened case starts in."),
        ("vanished", "New evidence.", "Choose the stage the reopened case starts in."),
    ],
)
def test_the_service_refuses_a_reopening_without_a_reason_or_a_stage(ee_ncp, closed_case, to_stage, reason, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        services.case_reopen(case=closed_case, to_stage=to_stage, reason=reason, by=ee_ncp)
    _unchanged(closed_case)


def test_reopening_with_a_reason_and_a_stage(ncp_client, closed_case):
    response = ncp_client.post(
        reverse("cases:reopen", args=[closed_case.pk]),
        {"to_stage": Stage.URGENT_ASSISTANCE, "reason": "The person came back for help."},
        follow=True,
    )
    assert "The case was reopened." in response.content.decode()
    closed_case.refresh_from_db()
    assert (closed_case.stage, closed_case.status) == (Stage.URGENT_ASSISTANCE, CaseStatus.ACTIVE)
    assert closed_case.reopened_reason == "The person came back for help."
    assert closed_case.closure_reason == "" and closed_case.closed_at is None


def test_an_open_case_cannot_be_reopened(ee_ncp, case):
    with pytest.raises(ValidationError, match=re.escape("Only a closed case can be reopened.")):
        services.case_reopen(case=case, to_stage=Stage.PRESUMED, reason="Why not.", by=ee_ncp)
    _unchanged(case)


def test_an_htmx_move_answers_with_the_stage_panel_and_its_message(ncp_client, case):
    url = reverse("cases:move_stage", args=[case.pk])
    response = ncp_client.post(url, {"to_stage": Stage.FORMALLY_IDENTIFIED}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "cases/_stage.html"
    content = response.content.decode()
    assert "<html" not in content and content.lstrip().startswith('<div id="stage-panel">')
    assert "The case is now in stage “Formally identified”." in content
    assert 'data-testid="case-stage">Formally identified<' in content


def test_an_htmx_move_that_is_not_allowed_answers_400_with_the_panel_and_its_message(ncp_client, case):
    url = reverse("cases:move_stage", args=[case.pk])
    response = ncp_client.post(url, {"to_stage": Stage.NOT_IDENTIFIED}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    content = response.content.decode()
    assert "<html" not in content
    assert "Give the reason why the person was not identified." in content
    assert 'data-testid="case-stage">Presumed victim<' in content
    _unchanged(case)
