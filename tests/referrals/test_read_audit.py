"""Every read of a referral is audited: who, when, what, with which role and state, from
which address; the entry carries the case, so the case's audit trail finds it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from members.models import Role
from referrals import services
from tests.cases.factories import pdf_upload
from tests.referrals.factories import make_referral


@pytest.fixture
def referral(ee_ncp, demo_states, private_media):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    services.referral_message_post(referral=referral, by=ee_ncp, body="Report attached", upload=pdf_upload())
    return referral


def _url(name: str, referral) -> str:
    if name == "referrals:document_download":
        return reverse(name, args=[referral.pk, referral.documents.get().pk])
    return reverse(name, args=[referral.pk])


def _reads(referral, what: str) -> list[LogEntry]:
    return list(LogEntry.objects.filter(additional_data__referral_id=referral.pk, additional_data__what=what))


@pytest.mark.parametrize(
    ("url_name", "what"),
    [
        ("referrals:detail", "referral viewed"),
        ("referrals:print", "referral printed"),
        ("referrals:document_download", "attachment downloaded"),
    ],
)
@pytest.mark.parametrize("party", ["receiving", "sending"])
def test_each_read_of_a_referral_writes_an_access_entry_with_actor_role_state_and_address(
    client, login, ee_ncp, lv_ncp, referral, url_name, what, party
):
    user, state = (lv_ncp, "LV") if party == "receiving" else (ee_ncp, "EE")
    login(user)
    response = client.get(_url(url_name, referral), REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    (entry,) = _reads(referral, what)
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == user
    assert entry.remote_addr == "192.0.2.44"
    assert entry.object_repr == referral.reference
    data = entry.additional_data
    assert (data["role"], data["state"], data["side"]) == (Role.NCP, state, party)
    assert data["case_id"] == referral.case_id


def test_the_download_entry_names_the_document_but_not_its_file_name(client, login, lv_ncp, referral):
    login(lv_ncp)
    document = referral.documents.get()
    client.get(_url("referrals:document_download", referral))
    (entry,) = _reads(referral, "attachment downloaded")
    assert entry.additional_data["document_id"] == document.pk
    assert document.original_name not in str(entry.additional_data)


def test_a_refused_read_writes_no_entry(client, login, lt_ncp, referral):
    login(lt_ncp)
    before = LogEntry.objects.count()
    for name in ("referrals:detail", "referrals:print", "referrals:document_download"):
        assert client.get(_url(name, referral)).status_code == 404
    assert LogEntry.objects.count() == before


def test_the_referral_reads_are_in_the_cases_audit_trail(client, login, ee_ncp, lv_ncp, referral):
    login(lv_ncp)
    client.get(referral.get_absolute_url())
    login(ee_ncp)
    response = client.get(reverse("cases:audit", args=[referral.case_id]))
    rows = [(entry.actor, entry.additional_data.get("what")) for entry in response.context["page"].object_list]
    assert (lv_ncp, "referral viewed") in rows
    assert "Liga Receiver (Latvia)" in response.content.decode(), "the trail says which state read it"


def test_viewing_the_referral_statistics_writes_an_access_entry(client, login, make_user, referral):
    secretariat = make_user(Role.SECRETARIAT)
    login(secretariat)
    response = client.get(reverse("referrals:statistics"), REMOTE_ADDR="192.0.2.45")
    assert response.status_code == 200
    (entry,) = LogEntry.objects.filter(additional_data__what="referral statistics viewed")
    assert entry.actor == secretariat and entry.action == LogEntry.Action.ACCESS
    assert entry.additional_data["role"] == Role.SECRETARIAT
    assert entry.remote_addr == "192.0.2.45"
    assert entry.content_type.model == "referral" and entry.object_repr == "Referral statistics"


def test_refused_statistics_write_no_entry(client, login, lv_ncp, referral):
    login(lv_ncp)
    before = LogEntry.objects.count()
    assert client.get(reverse("referrals:statistics")).status_code == 403
    assert LogEntry.objects.count() == before
