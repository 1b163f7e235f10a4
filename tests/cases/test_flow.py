from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, CaseDocument, Consent, Stage
from members.models import Role
from tests.cases.factories import make_case

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_ncp_works_a_case_end_to_end(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    mfa_user(ncp)
    client.force_login(ncp)
    response = client.post(
        reverse("cases:create"),
        {
            "trafficking_status": "possible",
            "gender": "woman",
            "age_band": "21-23",
            "citizenship": "UA",
            "forms_of_exploitation": [],
            "case_worker": ncp.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    case = Case.objects.get()
    assert case.reference.startswith("EE-")
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(case.get_absolute_url()).status_code == 200
    response = client.post(reverse("cases:move_stage", args=[case.pk]), {"to_stage": "formally_identified"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.FORMALLY_IDENTIFIED
    response = client.post(reverse("cases:identity_edit", args=[case.pk]), {"given_names": "Anna", "family_name": "K"})
    assert response.status_code == 302
    response = client.post(reverse("cases:identity_reveal", args=[case.pk]), {"purpose": "contact"})
    assert b"Anna" in response.content
    response = client.post(
        reverse("cases:record_add", args=[case.pk, "consent"]),
        {
            "given_by": "person",
            "given_on": "2026-11-01",
            "method": "written",
            "purposes": ["referral"],
            "data_categories": ["case_variables"],
            "member_states": [ncp.member_state.pk],
            **{
                f"informed_of_{x}": "on"
                for x in ["purpose", "data_use", "research_use", "access_right", "retention", "withdrawal"]
            },
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Consent.objects.filter(case=case).exists()
    for kind, data in {
        "risk": {"kind": "initial", "assessed_on": "2026-11-02", "level": "high"},
        "assistance": {"type": "medical", "status": "ongoing"},
        "proceedings": {"country": "EE", "kind": "criminal", "stage": "investigation", "victim_role": "witness"},
        "follow_up": {"due_on": "2027-01-01", "method": "phone"},
    }.items():
        response = client.post(reverse("cases:record_add", args=[case.pk, kind]), data)
        assert response.status_code == 302, (kind, response.context["form"].errors)
    response = client.post(
        reverse("cases:document_upload", args=[case.pk]), {"title": "Report", "file": SimpleUploadedFile("r.pdf", PDF)}
    )
    assert response.status_code == 302, response.content
    document = CaseDocument.objects.get()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    audit = client.get(reverse("cases:audit", args=[case.pk])).content.decode()
    assert "identity revealed" in audit and "document downloaded" in audit
    assert client.get(case.get_absolute_url()).status_code == 200


def test_other_state_gets_404(client, make_user, mfa_user):
    case = make_case(make_user(Role.NCP, "EE"))
    lv = make_user(Role.NCP, "LV")
    mfa_user(lv)
    client.force_login(lv)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_statistics_page_for_secretariat(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    for _ in range(12):
        make_case(ncp, gender="woman")
    secretariat = make_user(Role.SECRETARIAT)
    mfa_user(secretariat)
    client.force_login(secretariat)
    response = client.get(reverse("cases:statistics"))
    assert response.status_code == 200
    assert b"12" in response.content
    response = client.get(reverse("cases:statistics_export"))
    assert response.status_code == 200
