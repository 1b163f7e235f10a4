"""Retention: closed cases are anonymised after THB_CASE_RETENTION_DAYS, keeping only
what statistics need; a dry run changes nothing; every run is logged."""

import io
from datetime import date, timedelta

import pytest
from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import (
    AssistanceService,
    Case,
    CaseDocument,
    CaseIdentity,
    ClosureReason,
    Consent,
    FollowUp,
    Proceedings,
    RiskAssessment,
    Stage,
)
from tests.cases.factories import make_case, pdf_upload
from thb_portal.models import JobRun


def _closed_days_ago(case, by, days: int) -> Case:
    services.case_move_stage(case=case, to_stage=Stage.CLOSED, by=by, closure_reason=ClosureReason.RETURNED_HOME)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))
    return Case.objects.get(pk=case.pk)


def _full_case(ncp) -> Case:
    """A case with everything retention must remove: identity, a document, free text."""
    case = make_case(
        ncp,
        forms=["labour", "sexual"],
        gender="woman",
        age_band="9-17",
        citizenship="UA",
        best_interests_note="Placed with her aunt in Tartu",
        languages="Ukrainian, Russian",
        interpretation_needed=True,
        interpretation_language="Ukrainian",
    )
    services.identity_save(case=case, by=ncp, data={"given_names": "Olha", "family_name": "Melnyk"})
    services.document_upload(case=case, upload=pdf_upload(), title="Statement", by=ncp)
    services.case_record_add(
        case=case,
        record=RiskAssessment(kind="initial", assessed_on=date(2026, 1, 5), level="high", needs="Trauma therapy"),
        by=ncp,
    )
    return case


@pytest.fixture
def cases(settings, ee_ncp, private_media):
    settings.THB_CASE_RETENTION_DAYS = 30
    return {
        "due": _closed_days_ago(_full_case(ee_ncp), ee_ncp, 31),
        "recent": _closed_days_ago(_full_case(ee_ncp), ee_ncp, 10),
        "open": _full_case(ee_ncp),
    }


def _untouched(case) -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.anonymised_at is None
    assert fresh.best_interests_note == "Placed with her aunt in Tartu"
    assert CaseIdentity.objects.get(case=case).family_name == "Melnyk"
    assert CaseDocument.objects.get(case=case).file.storage.exists(CaseDocument.objects.get(case=case).file.name)
    assert RiskAssessment.objects.get(case=case).needs == "Trauma therapy"


def test_a_case_closed_longer_than_the_retention_period_is_anonymised(cases, private_media):
    due = cases["due"]
    stored_name = CaseDocument.objects.get(case=due).file.name
    assert (private_media / stored_name).exists()

    call_command("anonymise_cases", stdout=io.StringIO())

    case = Case.objects.get(pk=due.pk)
    assert case.anonymised_at is not None
    assert not CaseIdentity.objects.filter(case=case).exists()
    assert not CaseDocument.objects.filter(case=case).exists()
    assert not (private_media / stored_name).exists()
    assert (case.best_interests_note, case.languages, case.interpretation_language) == ("", "", "")
    assert case.case_worker is None
    assert RiskAssessment.objects.get(case=case).needs == ""
    # What statistics need stays.
    assert (case.gender, case.age_band, case.citizenship.code, case.is_minor) == ("woman", "9-17", "UA", True)
    assert set(case.forms_of_exploitation.values_list("code", flat=True)) == {"labour", "sexual"}
    assert (case.reference, case.stage, case.closure_reason) == (due.reference, Stage.CLOSED, due.closure_reason)


def test_a_recently_closed_case_and_an_open_case_are_untouched(cases):
    call_command("anonymise_cases", stdout=io.StringIO())
    _untouched(cases["recent"])
    _untouched(cases["open"])


def test_a_dry_run_changes_nothing_and_names_the_cases(cases):
    out = io.StringIO()
    call_command("anonymise_cases", "--dry-run", stdout=out)
    assert "1 case(s) would be anonymised" in out.getvalue()
    assert cases["due"].reference in out.getvalue()
    assert cases["recent"].reference not in out.getvalue()
    for case in cases.values():
        _untouched(case)


def test_every_real_run_is_logged(cases):
    call_command("anonymise_cases", stdout=io.StringIO())
    call_command("anonymise_cases", stdout=io.StringIO())
    runs = list(JobRun.objects.filter(name="cases.retention").order_by("started_at", "pk"))
    assert [(run.succeeded, run.result["anonymised"]) for run in runs] == [(True, 1), (True, 0)]
    assert all(run.finished_at >= run.started_at for run in runs)
    assert runs[0].result["references"] == [cases["due"].reference]


def test_an_anonymised_case_cannot_be_reopened(cases, ncp_client, ee_ncp):
    call_command("anonymise_cases", stdout=io.StringIO())
    case = Case.objects.get(pk=cases["due"].pk)

    with pytest.raises(ValidationError, match="anonymised after its retention period and cannot be reopened"):
        services.case_reopen(case=case, to_stage=Stage.PRESUMED, reason="New evidence.", by=ee_ncp)

    response = ncp_client.post(
        reverse("cases:reopen", args=[case.pk]), {"to_stage": Stage.PRESUMED, "reason": "New evidence."}
    )
    assert response.status_code == 400
    assert "anonymised after its retention period and cannot be reopened" in response.content.decode()
    case.refresh_from_db()
    assert (case.stage, case.reopened_reason) == (Stage.CLOSED, "")


def test_nothing_can_be_added_to_an_anonymised_case(cases, ncp_client):
    call_command("anonymise_cases", stdout=io.StringIO())
    case = cases["due"]
    response = ncp_client.post(
        reverse("cases:record_add", args=[case.pk, "follow_up"]), {"due_on": "2027-01-01", "method": "phone"}
    )
    assert response.status_code == 400
    assert "anonymised" in response.content.decode()
    assert not case.followups.exists()


def test_every_free_text_the_audit_log_masks_is_blank_once_the_case_is_anonymised(cases):
    due = cases["due"]
    # The records straight in the table: only their free text matters here.
    Consent.objects.create(case=due, given_by="person", given_on=date(2026, 1, 5), method="written")
    AssistanceService.objects.create(case=due, type="accommodation")
    Proceedings.objects.create(case=due, country="EE", kind="criminal", stage="trial", victim_role="witness")
    FollowUp.objects.create(case=due, due_on=date(2026, 2, 1), method="phone")
    kept = (Consent, RiskAssessment, AssistanceService, Proceedings, FollowUp)
    masked = {model: auditlog.get_model_fields(model)["mask_fields"] for model in (Case, *kept)}
    Case.objects.filter(pk=due.pk).update(**dict.fromkeys(masked[Case], "Olha, at her aunt's in Tartu"))
    for model in kept:
        model._default_manager.filter(case=due).update(**dict.fromkeys(masked[model], "Olha, at her aunt's in Tartu"))

    services.cases_anonymise_closed()

    assert set(Case.objects.filter(pk=due.pk).values_list(*masked[Case])) == {("",) * len(masked[Case])}
    for model in kept:
        rows = model._default_manager.filter(case=due)
        assert rows.exists() and set(rows.values_list(*masked[model])) == {("",) * len(masked[model])}, model
