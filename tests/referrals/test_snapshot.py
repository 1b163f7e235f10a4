"""The snapshot: exactly the shared categories, frozen when the referral is sent, encrypted at rest."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from cases import services as case_services
from cases.models import ExploitationForm, RiskAssessment
from referrals import services
from referrals.models import Referral, ReferralEvent
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent, make_referral

FAMILY_NAME = "Kuusk-Snapshot"
OLD_NEEDS = "Shelter and a lawyer"
NEW_NEEDS = "Only a phone call"


@pytest.fixture
def case(ee_ncp):
    case = make_case(ee_ncp, gender="woman", age_band="21-23", forms=["labour"])
    case_services.identity_save(
        case=case, by=ee_ncp, data={"given_names": "Kati", "family_name": FAMILY_NAME, "address": "Tartu mnt 1"}
    )
    case_services.case_record_add(
        case=case,
        record=RiskAssessment(
            kind="initial", assessed_on=date(2026, 10, 1), level="high", needs=OLD_NEEDS, safety_plan="Stay-hidden-plan"
        ),
        by=ee_ncp,
    )
    return case


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 -- fixed names
        return cursor.fetchone()[0]


def test_the_snapshot_does_not_change_when_the_case_changes_later(client, login, ee_ncp, lv_ncp, demo_states, case):
    referral = make_referral(
        ee_ncp, demo_states["LV"], case=case, shared_categories=["case_variables", "risk"], send=True
    )
    taken = Referral.objects.get(pk=referral.pk).snapshot
    assert taken["case_variables"]["gender"] == "Woman"
    assert taken["case_variables"]["forms_of_exploitation"] == "Forced labour / labour exploitation"
    assert taken["risk"]["level"] == "High" and taken["risk"]["needs"] == OLD_NEEDS

    case_services.case_update(
        case=case,
        by=ee_ncp,
        data={"gender": "man", "age_band": "30-38"},
        m2m={"forms_of_exploitation": ExploitationForm.objects.filter(code="sexual")},
    )
    case_services.case_record_add(
        case=case,
        record=RiskAssessment(kind="ongoing", assessed_on=date(2026, 12, 1), level="low", needs=NEW_NEEDS),
        by=ee_ncp,
    )
    RiskAssessment.objects.filter(case=case, needs=OLD_NEEDS).update(level="life", safety_plan="Changed plan")
    # What a snapshot taken now would say, to be sure the case really changed.
    now = services.build_snapshot(Referral.objects.get(pk=referral.pk))
    assert now["case_variables"]["gender"] == "Man" and now["risk"]["needs"] == NEW_NEEDS

    assert Referral.objects.get(pk=referral.pk).snapshot == taken
    for user in (lv_ncp, ee_ncp):
        login(user)
        page = client.get(referral.get_absolute_url()).content.decode()
        assert "Woman" in page and "21–23" in page and "Forced labour / labour exploitation" in page
        assert OLD_NEEDS in page and "Stay-hidden-plan" in page
        assert "Sexual exploitation" not in page and "30–38" not in page
        assert NEW_NEEDS not in page and "Changed plan" not in page and "Risk to life" not in page


def test_identity_is_in_the_snapshot_only_when_it_is_shared(client, login, ee_ncp, lv_ncp, demo_states, case):
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], categories=("case_variables", "identity"))
    without = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, send=True)
    with_identity = make_referral(
        ee_ncp,
        demo_states["LV"],
        case=case,
        consent=consent,
        shared_categories=["case_variables", "identity"],
        send=True,
    )
    assert set(Referral.objects.get(pk=without.pk).snapshot) == {"case_reference", "taken_at", "case_variables"}
    shared = Referral.objects.get(pk=with_identity.pk).snapshot
    assert shared["identity"]["family_name"] == FAMILY_NAME and shared["identity"]["given_names"] == "Kati"
    assert "contact" not in shared, "contact details were not shared"
    assert "risk" not in shared

    login(lv_ncp)
    assert FAMILY_NAME not in client.get(without.get_absolute_url()).content.decode()
    page = client.get(with_identity.get_absolute_url()).content.decode()
    assert FAMILY_NAME not in page, "a shared identity is shown only after a reveal with a purpose"
    revealed = client.post(
        reverse("referrals:identity_reveal", args=[with_identity.pk]), {"purpose": "referral"}
    ).content.decode()
    assert FAMILY_NAME in revealed and "Tartu mnt 1" not in revealed and OLD_NEEDS not in revealed


def test_identity_is_never_snapshotted_when_the_consent_does_not_cover_it(ee_ncp, demo_states, case):
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], categories=("case_variables",))
    referral = make_referral(
        ee_ncp, demo_states["LV"], case=case, consent=consent, shared_categories=["case_variables", "identity"]
    )
    with pytest.raises(ValidationError):
        services.referral_transition(referral=referral, action="send", by=ee_ncp)
    assert Referral.objects.get(pk=referral.pk).snapshot is None


def test_snapshot_note_messages_and_event_data_are_encrypted_at_rest(ee_ncp, lv_ncp, lv_alt, demo_states, case):
    referral = make_referral(
        ee_ncp,
        demo_states["LV"],
        case=case,
        shared_categories=["case_variables", "identity"],
        note="Meet her at the ferry",
        send=True,
    )
    assert Referral.objects.get(pk=referral.pk).snapshot["identity"]["family_name"] == FAMILY_NAME
    message = services.referral_message_post(referral=referral, by=lv_ncp, body="Her sister Maret called us")
    services.referral_transition(
        referral=referral, action="decline", by=lv_ncp, data={"reason": "Maret will host her instead"}
    )
    event = ReferralEvent.objects.get(referral=referral, kind="declined")

    raw_snapshot = _raw("referrals_referral", "snapshot", referral.pk)
    raw_note = _raw("referrals_referral", "note", referral.pk)
    raw_body = _raw("referrals_referralmessage", "body", message.pk)
    raw_data = _raw("referrals_referralevent", "data", event.pk)
    for raw, plaintexts in [
        (raw_snapshot, [FAMILY_NAME, "Kati", "Woman", "identity", "case_variables"]),
        (raw_note, ["ferry"]),
        (raw_body, ["Maret", "sister"]),
        (raw_data, ["Maret", "reason"]),
    ]:
        assert raw, "something was stored"
        for plaintext in plaintexts:
            assert plaintext not in raw
    # And it reads back through the model.
    assert Referral.objects.get(pk=referral.pk).note == "Meet her at the ferry"
    assert event.data == {"reason": "Maret will host her instead"}
