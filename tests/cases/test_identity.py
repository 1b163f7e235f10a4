"""The identity of a case's person: encrypted at rest, revealed only with a purpose,
every reveal audited, never in the log, the admin or pages that do not reveal it."""

import io

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cases import services
from cases.models import CaseIdentity, RevealPurpose
from core.encryption import DecryptionError
from members.models import Role
from tests.cases.factories import make_case

IDENTITY = {
    "given_names": "Zoryana",
    "family_name": "Kvitkovska",
    "date_of_birth": "1994-03-17",
    "document_numbers": "FX4471920",
    "contact_details": "+380 50 771 2231",
    "address": "Vesnyana 12, Lviv",
}


@pytest.fixture
def case(ee_ncp):
    case = make_case(ee_ncp)
    services.identity_save(case=case, by=ee_ncp, data=IDENTITY)
    return case


def _raw_identity_columns(case) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_names, family_name, date_of_birth, document_numbers, contact_details, address "
            "FROM cases_caseidentity WHERE case_id = %s",
            [case.pk],
        )
        return list(cursor.fetchone())


def _all_log_text() -> str:
    """Every column of every audit entry, as text."""
    fields = LogEntry._meta.concrete_fields
    return "\n".join(str(getattr(entry, field.attname)) for entry in LogEntry.objects.all() for field in fields)


def test_a_raw_sql_read_of_the_identity_table_shows_no_plaintext(case):
    stored = _raw_identity_columns(case)
    assert all(stored), "every field was saved"
    for column in stored:
        assert not any(value in column for value in IDENTITY.values())
    assert CaseIdentity.objects.get(case=case).family_name == IDENTITY["family_name"]


def test_key_rotation_reencrypts_so_the_old_key_can_be_dropped(settings, ee_ncp):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.THB_FIELD_ENCRYPTION_KEYS = [old_key]
    case = make_case(ee_ncp)
    services.identity_save(case=case, by=ee_ncp, data=IDENTITY)
    before = _raw_identity_columns(case)

    settings.THB_FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("reencrypt_identities", stdout=io.StringIO())
    assert all(a != b for a, b in zip(before, _raw_identity_columns(case), strict=True))

    settings.THB_FIELD_ENCRYPTION_KEYS = [new_key]
    identity = CaseIdentity.objects.get(case=case)
    assert {name: getattr(identity, name) for name in IDENTITY} == IDENTITY


def test_reencryption_without_the_old_key_fails_loudly(settings, ee_ncp):
    settings.THB_FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    case = make_case(ee_ncp)
    services.identity_save(case=case, by=ee_ncp, data=IDENTITY)
    settings.THB_FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="Keep the old key"):
        call_command("reencrypt_identities")


@pytest.fixture
def unreadable_case(settings, case):
    """The case's identity, now that no configured key opens it; returns (case, ciphertexts)."""
    ciphertexts = _raw_identity_columns(case)
    settings.THB_FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    return case, ciphertexts


def test_a_wrong_key_raises_instead_of_returning_ciphertext(unreadable_case):
    case, _ = unreadable_case
    with pytest.raises(DecryptionError):
        CaseIdentity.objects.get(case=case)


def test_the_reveal_answers_503_with_a_clear_message_and_no_ciphertext(ncp_client, unreadable_case):
    case, ciphertexts = unreadable_case
    response = ncp_client.post(reverse("cases:identity_reveal", args=[case.pk]), {"purpose": "contact"})
    assert response.status_code == 503
    content = response.content.decode()
    assert "cannot be decrypted" in content
    assert not any(ciphertext in content for ciphertext in ciphertexts)
    assert not any(ciphertext[:20] in content for ciphertext in ciphertexts)


def test_the_identity_edit_page_answers_503_with_no_ciphertext(ncp_client, unreadable_case):
    case, ciphertexts = unreadable_case
    response = ncp_client.get(reverse("cases:identity_edit", args=[case.pk]))
    assert response.status_code == 503
    content = response.content.decode()
    assert "cannot be decrypted" in content
    assert not any(ciphertext[:20] in content for ciphertext in ciphertexts)


def test_the_case_page_still_opens_when_the_identity_cannot_be_decrypted(ncp_client, unreadable_case):
    case, ciphertexts = unreadable_case
    response = ncp_client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert not any(ciphertext[:20] in response.content.decode() for ciphertext in ciphertexts)


@pytest.mark.parametrize("data", [{}, {"purpose": ""}, {"purpose": "curiosity"}, {"purpose": "other", "note": " "}])
def test_a_reveal_without_a_valid_purpose_is_refused_and_not_logged_as_a_reveal(ncp_client, case, data):
    response = ncp_client.post(reverse("cases:identity_reveal", args=[case.pk]), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert not any(value in content for value in IDENTITY.values())
    assert not LogEntry.objects.filter(additional_data__what="identity revealed").exists()


def test_a_reveal_shows_the_identity_and_logs_who_and_why_but_no_values(ncp_client, ee_ncp, case):
    response = ncp_client.post(
        reverse("cases:identity_reveal", args=[case.pk]), {"purpose": "other", "note": "Court hearing"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert all(value in content for value in IDENTITY.values())

    entry = LogEntry.objects.get(additional_data__what="identity revealed")
    assert entry.action == LogEntry.Action.ACCESS
    assert entry.actor == ee_ncp
    assert entry.additional_data["purpose"] == RevealPurpose.OTHER.label
    assert entry.additional_data["note"] == "Court hearing"
    assert entry.additional_data["case_id"] == case.pk
    assert entry.remote_addr  # from where


def test_no_identity_value_reaches_any_audit_entry(ncp_client, case):
    # Saving through the page, then revealing and editing, all leave entries.
    ncp_client.post(reverse("cases:identity_edit", args=[case.pk]), {**IDENTITY, "address": "Shevchenka 3, Lviv"})
    ncp_client.post(reverse("cases:identity_reveal", args=[case.pk]), {"purpose": "contact"})
    ncp_client.get(reverse("cases:identity_edit", args=[case.pk]))
    assert LogEntry.objects.filter(additional_data__what="identity changed").count() == 2
    assert LogEntry.objects.filter(additional_data__what="identity revealed").count() == 2
    text = _all_log_text()
    assert "identity revealed" in text and "given_names" in text  # the search covers what the entries say
    for value in [*IDENTITY.values(), "Shevchenka 3, Lviv"]:
        assert value not in text


def test_the_case_page_and_the_list_never_show_the_identity_unless_revealed(ncp_client, case):
    pages = [reverse("cases:detail", args=[case.pk]), reverse("cases:list"), reverse("cases:audit", args=[case.pk])]
    for url in pages:
        content = ncp_client.get(url).content.decode()
        assert case.reference in content
        assert not any(value in content for value in IDENTITY.values()), url

    revealed = ncp_client.post(reverse("cases:identity_reveal", args=[case.pk]), {"purpose": "contact"})
    assert IDENTITY["family_name"] in revealed.content.decode()
    # Reloading the page hides it again.
    for url in pages:
        content = ncp_client.get(url).content.decode()
        assert not any(value in content for value in IDENTITY.values()), url


def test_the_identity_is_not_in_the_admin(login, make_user, case):
    client = login(make_user(Role.SECRETARIAT))
    assert client.get("/admin/cases/case/").status_code == 200  # the admin itself is open to them
    assert client.get("/admin/cases/caseidentity/").status_code == 404
    assert client.get(f"/admin/cases/caseidentity/{case.identity.pk}/change/").status_code == 404
