"""The audit trail: every change and read of a case is recorded with who, and nobody
can edit or delete the record."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from cases.models import Case, RiskAssessment
from members.models import Role
from tests.cases.factories import make_case, pdf_upload


@pytest.fixture
def case(ee_ncp):
    return make_case(ee_ncp)


def _entries_for(model, pk):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_pk=str(pk))


def test_a_change_to_a_case_is_recorded_with_its_actor_and_masks_free_text(ncp_client, ee_ncp, case):
    response = ncp_client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "trafficking_status": "actual",
            "gender": "woman",
            "age_band": "9-17",
            "is_minor": "on",
            "best_interests_note": "Lives with an aunt in Narva",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    (entry,) = [
        entry
        for entry in _entries_for(Case, case.pk).filter(action=LogEntry.Action.UPDATE)
        if "trafficking_status" in entry.changes_dict
    ]
    assert entry.actor == ee_ncp
    assert entry.remote_addr == "127.0.0.1"
    changes = entry.changes_dict
    assert changes["trafficking_status"] == ["possible", "actual"]
    assert changes["age_band"] == ["unknown", "9-17"]
    assert "best_interests_note" in changes
    assert "Narva" not in str(entry.changes)


def test_a_sub_record_is_recorded_against_its_case(ncp_client, ee_ncp, case):
    response = ncp_client.post(
        reverse("cases:record_add", args=[case.pk, "risk"]),
        {"kind": "initial", "assessed_on": "2026-11-02", "level": "high", "safety_plan": "Move to the shelter"},
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get(case=case)
    entry = _entries_for(RiskAssessment, assessment.pk).get(action=LogEntry.Action.CREATE)
    assert entry.actor == ee_ncp
    assert entry.additional_data == {"case_id": case.pk}
    assert "shelter" not in str(entry.changes)


def test_the_audit_trail_page_shows_changes_and_reads(ncp_client, ee_ncp, case, private_media):
    ee_ncp.full_name = "Mari Tamm"
    ee_ncp.save(update_fields=["full_name"])
    risk = {"kind": "initial", "assessed_on": "2026-11-02", "level": "high"}
    ncp_client.post(reverse("cases:record_add", args=[case.pk, "risk"]), risk)
    ncp_client.post(reverse("cases:move_stage", args=[case.pk]), {"to_stage": "formally_identified"})
    ncp_client.get(reverse("cases:detail", args=[case.pk]))
    ncp_client.post(reverse("cases:document_upload", args=[case.pk]), {"title": "Report", "file": pdf_upload()})
    document = case.casedocuments.get()
    ncp_client.get(document.get_absolute_url())

    response = ncp_client.get(reverse("cases:audit", args=[case.pk]))
    assert response.status_code == 200
    rows = [
        (entry.get_action_display(), entry.actor, entry.additional_data.get("what"), entry.content_type.model)
        for entry in response.context["page"].object_list
    ]
    assert ("access", ee_ncp, "case viewed", "case") in rows
    assert ("access", ee_ncp, "document downloaded", "case") in rows
    assert ("create", ee_ncp, None, "riskassessment") in rows
    assert ("create", ee_ncp, None, "casedocument") in rows
    assert ("update", ee_ncp, None, "case") in rows  # the stage move
    content = response.content.decode()
    for text in ["case viewed", "document downloaded", "risk assessment", "Stage", "Mari Tamm", "127.0.0.1"]:
        assert text in content


def test_another_cases_entries_are_not_in_the_trail(ncp_client, ee_ncp, case):
    other = make_case(ee_ncp)
    ncp_client.get(reverse("cases:detail", args=[other.pk]))
    response = ncp_client.get(reverse("cases:audit", args=[case.pk]))
    assert all(entry.additional_data.get("case_id") == case.pk for entry in response.context["page"].object_list)
    assert "case viewed" not in response.content.decode()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE auditlog_logentry SET object_repr = 'rewritten' WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_entry(case, statement):
    entry = LogEntry.objects.filter(object_pk=str(case.pk)).first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.object_repr == case.reference


@pytest.mark.postgres
def test_the_orm_cannot_delete_audit_entries_either(case):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.all().delete()
    assert LogEntry.objects.filter(object_pk=str(case.pk)).exists()


@pytest.fixture
def admin_client(login, make_user):
    return login(make_user(Role.SECRETARIAT))


def test_the_admin_lets_the_secretariat_read_but_not_change_or_delete_an_entry(admin_client, case):
    entry = LogEntry.objects.filter(object_pk=str(case.pk)).first()
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])

    assert admin_client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    response = admin_client.get(change_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content and 'name="_continue"' not in content
    assert delete_url not in content

    assert admin_client.post(change_url, {"object_repr": "rewritten"}).status_code == 403
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert admin_client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.object_repr == case.reference
