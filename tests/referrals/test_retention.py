"""Retention reaches what a case shared: anonymising it anonymises its referrals' snapshots,
notes, messages, the steps' free text and the attachments, on both sides (DESIGN.md §7)."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, ClosureReason, Stage
from referrals import services
from referrals.models import Referral, ReferralDocument, ReferralEvent, ReferralMessage
from tests.cases.factories import make_case, pdf_upload, stored_files
from tests.referrals.factories import make_consent, make_referral

IDENTITY = {
    "given_names": "Olha",
    "family_name": "Melnyk",
    "date_of_birth": "2001-04-17",
    "document_numbers": "UA-FX123456",
    "contact_details": "+380 44 555 0199",
    "address": "Hostel Lilla, Tallinn",
}
# Free text the two sides wrote about her, in the referral, its steps and its thread.
WRITTEN = ["Olha", "Melnyk", "aunt in Jelgava", "shelter on Brivibas"]


@pytest.fixture
def shared_referral(ee_ncp, lv_ncp, lv_alt, demo_states, private_media):
    """An EE→LV referral that shares the identity, with notes, steps, messages and attachments."""
    case = make_case(ee_ncp)
    case_services.identity_save(case=case, by=ee_ncp, data=IDENTITY)
    consent = make_consent(
        case, ee_ncp, states=[demo_states["LV"]], categories=("case_variables", "risk", "identity", "contact")
    )
    referral = make_referral(
        ee_ncp,
        demo_states["LV"],
        case=case,
        consent=consent,
        shared_categories=["case_variables", "identity", "contact"],
        note="Olha Melnyk wants to join her aunt in Jelgava.",
        send=True,
    )
    referral = services.referral_transition(
        referral=referral,
        action="acknowledge",
        by=lv_ncp,
        data={"receiving_contact": lv_ncp, "receiving_alternate": lv_alt, "assessment": "Olha needs a shelter"},
    )
    referral = services.referral_transition(
        referral=referral,
        action="accept",
        by=lv_ncp,
        data={
            "met_by": "Shelter staff",
            "meeting_place": "the shelter on Brivibas",
            "meeting_time": "2026-12-01 10:00",
            "plan": "Olha stays with her aunt in Jelgava",
        },
    )
    services.referral_message_post(
        referral=referral, by=ee_ncp, body="Olha's statement is attached", upload=pdf_upload("olha.pdf")
    )
    services.referral_message_post(referral=referral, by=lv_ncp, body="Melnyk arrived at the shelter on Brivibas")
    return referral


def _close_long_ago(case: Case, by) -> None:
    case_services.case_move_stage(case=case, to_stage=Stage.CLOSED, by=by, closure_reason=ClosureReason.RETURNED_HOME)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=400))


def _anonymise(settings, django_capture_on_commit_callbacks) -> dict:
    settings.THB_CASE_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        return case_services.cases_anonymise_closed()


def test_anonymising_a_case_anonymises_its_referrals_on_both_sides(
    shared_referral, ee_ncp, lv_ncp, login, settings, private_media, django_capture_on_commit_callbacks
):
    referral = shared_referral
    assert referral.snapshot["identity"]["family_name"] == "Melnyk"  # the premise
    assert len(stored_files(private_media)) == 1
    _close_long_ago(referral.case, ee_ncp)

    assert _anonymise(settings, django_capture_on_commit_callbacks)["anonymised"] == 1

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.snapshot == {"case_reference": referral.case.reference, "anonymised": True}
    assert (referral.note, referral.safeguard_note) == ("", "")
    assert list(ReferralMessage.objects.filter(referral=referral).values_list("body", flat=True)) == ["", ""]
    assert not ReferralDocument.objects.filter(referral=referral).exists()
    assert stored_files(private_media) == []  # the attachment's file too
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("data", flat=True)) == [None] * 3
    # Neither side's pages show any of it any more.
    for user in (ee_ncp, lv_ncp):
        client = login(user)
        for url in [referral.get_absolute_url(), reverse("referrals:print", args=[referral.pk])]:
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            content = response.content.decode()
            for value in [*IDENTITY.values(), *WRITTEN]:
                assert value not in content, (user, url, value)
    # The run is on the case's audit trail, with what it erased.
    entry = LogEntry.objects.filter(additional_data__case_id=referral.case_id, actor=None).latest("pk")
    assert entry.additional_data["what"] == "anonymised after the retention period"
    assert (entry.additional_data["referrals"], entry.additional_data["attachments"]) == (1, 1)


def test_the_referrals_of_a_case_still_kept_are_untouched(
    shared_referral, ee_ncp, lv_ncp, demo_states, settings, private_media, django_capture_on_commit_callbacks
):
    other = make_referral(ee_ncp, demo_states["LV"], send=True)
    _close_long_ago(shared_referral.case, ee_ncp)

    _anonymise(settings, django_capture_on_commit_callbacks)

    assert Referral.objects.get(pk=other.pk).snapshot == other.snapshot
    assert Referral.objects.get(pk=other.pk).snapshot.get("case_variables")


@pytest.mark.postgres
def test_a_step_of_a_case_still_kept_cannot_be_blanked(shared_referral):
    event = shared_referral.events.get(kind="accepted")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_referralevent SET data = NULL WHERE id = %s", [event.pk])
    assert ReferralEvent.objects.get(pk=event.pk).data["plan"] == "Olha stays with her aunt in Jelgava"


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE referrals_referralevent SET data = 'rewritten' WHERE id = %s",
        "UPDATE referrals_referralevent SET data = NULL, kind = 'closed' WHERE id = %s",
        "UPDATE referrals_referralevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM referrals_referralevent WHERE id = %s",
    ],
)
def test_after_anonymisation_a_step_can_only_lose_its_data(shared_referral, ee_ncp, statement):
    # Marked anonymised, the exception of the trigger applies; it still allows nothing but blanking.
    Case.objects.filter(pk=shared_referral.case_id).update(anonymised_at=timezone.now())
    event = shared_referral.events.get(kind="accepted")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE referrals_referralevent SET data = NULL WHERE id = %s", [event.pk])
    assert ReferralEvent.objects.get(pk=event.pk).data is None


@pytest.mark.postgres
def test_the_database_refuses_to_truncate_referral_events(shared_referral):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        # Pending foreign-key checks would refuse the TRUNCATE before the trigger could.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE referrals_referralevent")
    assert shared_referral.events.exists()
