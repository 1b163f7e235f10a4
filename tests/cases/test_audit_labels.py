"""The case audit trail names fields by their labels, never by their internal codes."""

import json

from auditlog.models import LogEntry
from django.urls import reverse

from cases import services as case_services
from tests.cases.factories import make_case


def test_audit_trail_shows_field_labels_not_codes(client, login, ee_ncp):
    case = make_case(ee_ncp)
    # A change entry naming a reverse relation and plain fields, as auditlog stores them.
    LogEntry.objects.log_create(
        case,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=ee_ncp,
        changes=json.dumps({"proceedingss": ["a", "b"], "member_state": ["EE", "LV"], "case_worker": ["x", "y"]}),
        additional_data={"case_id": case.pk},
    )
    case_services.identity_save(case=case, by=ee_ncp, data={"given_names": "Kati", "family_name": "Label"})
    login(ee_ncp)
    response = client.get(reverse("cases:audit", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proceedings" in html and "proceedingss" not in html
    assert "member_state" not in html and "case_worker" not in html and "given_names" not in html
    assert "family_name" not in html
