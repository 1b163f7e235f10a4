"""A referral's shared identity and contact details are behind a reveal with a purpose, on
both sides and on the printable summary; every reveal is audited (DESIGN.md section 7)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from cases import services as case_services
from referrals.models import Referral
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent, make_referral

GIVEN_NAMES = "Kati-Reveal"
FAMILY_NAME = "Kuusk-Reveal"
DOCUMENT = "AB1234567"
CONTACT = "+371 2000 1234"
ADDRESS = "Brivibas iela 1-Reveal"
IDENTITY_VALUES = [GIVEN_NAMES, FAMILY_NAME, DOCUMENT, CONTACT, ADDRESS]
SHARED = ["case_variables", "identity", "contact"]


@pytest.fixture
def referral(ee_ncp, demo_states) -> Referral:
    """An Estonian case referred to Latvia and sent, sharing the identity and contact details."""
    case = make_case(ee_ncp, gender="woman")
    case_services.identity_save(
        case=case,
        by=ee_ncp,
        data={
            "given_names": GIVEN_NAMES,
            "family_name": FAMILY_NAME,
            "document_numbers": DOCUMENT,
            "contact_details": CONTACT,
            "address": ADDRESS,
        },
    )
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], categories=SHARED)
    return make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, shared_categories=SHARED, send=True)


def _reveals(referral) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            additional_data__referral_id=referral.pk, additional_data__what="shared identity revealed"
        ).order_by("pk")
    )


def _shown(content: str) -> list[str]:
    return [value for value in IDENTITY_VALUES if value in content]


@pytest.mark.parametrize("party", ["receiving", "sending"])
def test_neither_side_sees_the_shared_identity_on_the_referral_or_its_print_before_a_reveal(
    client, login, ee_ncp, lv_ncp, referral, party
):
    login(lv_ncp if party == "receiving" else ee_ncp)
    detail = client.get(referral.get_absolute_url())
    assert detail.status_code == 200
    content = detail.content.decode()
    assert _shown(content) == []
    assert "Reveal identity" in content and "Woman" in content, "the rest of the snapshot is shown"
    printed = client.get(reverse("referrals:print", args=[referral.pk]))
    assert printed.status_code == 200
    assert _shown(printed.content.decode()) == []
    assert "hidden — reveal on the referral page" in printed.content.decode()
    assert _reveals(referral) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose why you need to see the identity."),
        ({"purpose": "not-a-purpose"}, "Select a valid choice"),
        ({"purpose": "other", "note": "  "}, "Explain the purpose."),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_reveal_without_a_purpose_is_refused_with_a_message_and_logs_nothing(
    client, login, lv_ncp, referral, data, message, htmx
):
    login(lv_ncp)
    before = LogEntry.objects.count()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(reverse("referrals:identity_reveal", args=[referral.pk]), data, headers=headers)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was revealed." in content and message in content
    assert _shown(content) == []
    assert LogEntry.objects.count() == before, "a refused reveal writes nothing, not even a read"


def test_a_printed_reveal_without_a_purpose_is_refused_too(client, login, lv_ncp, referral):
    login(lv_ncp)
    before = LogEntry.objects.count()
    response = client.post(reverse("referrals:print", args=[referral.pk]), {"purpose": ""})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was revealed." in content and "Choose why you need to see the identity." in content
    assert _shown(content) == []
    assert LogEntry.objects.count() == before


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reveal_with_a_purpose_shows_the_identity_and_records_actor_role_purpose_and_address(
    client, login, lv_ncp, referral, htmx
):
    login(lv_ncp)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("referrals:identity_reveal", args=[referral.pk]),
        {"purpose": "referral", "note": "Meeting at the shelter"},
        headers=headers,
    )
    assert response.status_code == 200
    assert _shown(response.content.decode()) == IDENTITY_VALUES
    if htmx:
        assert "<html" not in response.content.decode(), "htmx gets the panel only"
    (entry,) = _reveals(referral)
    assert entry.actor == lv_ncp
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.remote_addr == "127.0.0.1"
    data = entry.additional_data
    assert data["role"] == "ncp" and data["state"] == "LV" and data["side"] == "receiving"
    assert data["case_id"] == referral.case_id
    assert data["purpose"] == "To prepare a referral or a meeting" and data["note"] == "Meeting at the shelter"
    assert data["categories"] == ["contact", "identity"]
    assert not any(value in str(entry.additional_data) + str(entry.changes) for value in IDENTITY_VALUES)


def test_the_sending_ncp_reveals_through_the_same_step(client, login, ee_ncp, referral):
    login(ee_ncp)
    response = client.post(reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "verification"})
    assert response.status_code == 200
    assert FAMILY_NAME in response.content.decode()
    (entry,) = _reveals(referral)
    assert entry.actor == ee_ncp and entry.additional_data["side"] == "sending"


def test_the_print_shows_the_identity_only_in_the_request_that_reveals_it(client, login, lv_ncp, referral):
    login(lv_ncp)
    url = reverse("referrals:print", args=[referral.pk])
    printed = client.post(url, {"purpose": "documents"})
    assert printed.status_code == 200
    assert _shown(printed.content.decode()) == IDENTITY_VALUES
    (entry,) = _reveals(referral)
    assert entry.additional_data["printed"] is True and entry.actor == lv_ncp
    assert entry.additional_data["purpose"] == "To arrange documents or legal matters"

    again = client.get(url).content.decode()
    assert _shown(again) == [] and "hidden — reveal on the referral page" in again
    assert _shown(client.get(referral.get_absolute_url()).content.decode()) == []


def test_a_referral_that_shares_no_identity_has_nothing_to_reveal(client, login, ee_ncp, lv_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    login(lv_ncp)
    before = LogEntry.objects.count()
    response = client.post(reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "referral"})
    assert response.status_code == 400
    assert "shares no identity or contact details" in response.content.decode()
    assert LogEntry.objects.count() == before
    assert "Reveal identity" not in client.get(referral.get_absolute_url()).content.decode()


def test_a_third_state_cannot_reveal_and_leaves_no_entry(client, login, lt_ncp, referral):
    login(lt_ncp)
    before = LogEntry.objects.count()
    response = client.post(reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "referral"})
    assert response.status_code == 404
    assert _shown(response.content.decode()) == []
    assert LogEntry.objects.count() == before


def test_a_reveal_cannot_be_made_with_a_get(client, login, lv_ncp, referral):
    login(lv_ncp)
    response = client.get(reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "referral"})
    assert response.status_code == 405
    assert _reveals(referral) == []
