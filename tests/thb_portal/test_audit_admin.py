"""The secretariat's view of the audit log: who, when, which action, on what, from where;
never the values of a victim's records (DESIGN.md §7)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, CaseDocument
from members.models import Role
from tests.cases.factories import make_case, pdf_upload

CHANGELIST = "admin:auditlog_logentry_changelist"


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE", full_name="Eeva Kask", email="eeva.kask@example.org")


@pytest.fixture
def updated_case(ee_ncp, login):
    """A case whose update entry (made through the page, so it has its actor and address)
    carries values the secretariat must not see."""
    case = make_case(ee_ncp)
    response = login(ee_ncp).post(
        reverse("cases:edit", args=[case.pk]),
        {
            "trafficking_status": "actual",
            "gender": "trans_other",
            "age_band": "39-47",
            "citizenship": "MD",
            "country_of_exploitation": "IT",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return case


@pytest.fixture
def as_secretariat(login, make_user):
    """as_secretariat() -> the client, now signed in as a secretariat user (after the fixtures' requests)."""
    return lambda: login(make_user(Role.SECRETARIAT))


def _update_entry(case) -> LogEntry:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Case), object_pk=str(case.pk), action=LogEntry.Action.UPDATE
    )
    (entry,) = [entry for entry in entries if "citizenship" in entry.changes_dict]
    return entry


# What the update recorded, in every form the admin could print it.
VALUES = ["Moldova", "Trans / other", "trans_other", "Italy", "39-47", "39–47"]


def test_the_update_entry_really_holds_the_values(updated_case):
    # The premise of the tests below: the log has the values, so their absence is the admin's doing.
    changes = str(_update_entry(updated_case).changes)
    assert "MD" in changes and "trans_other" in changes and "IT" in changes


def test_the_audit_changelist_shows_no_case_values(as_secretariat, updated_case):
    secretariat_client = as_secretariat()
    response = secretariat_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    content = response.content.decode()
    assert updated_case.reference in content  # the reference is metadata
    for value in [*VALUES, "citizenship"]:  # not even which fields changed
        assert value not in content, value


def test_the_audit_entry_page_of_a_case_update_shows_no_values(as_secretariat, updated_case, ee_ncp):
    secretariat_client = as_secretariat()
    entry = _update_entry(updated_case)
    response = secretariat_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for value in VALUES:
        assert value not in content, value
    for metadata in [ee_ncp.email, updated_case.reference, "update", "127.0.0.1" if entry.remote_addr else ""]:
        assert metadata in content


def test_the_audit_entry_page_names_a_document_by_its_id_not_its_title(as_secretariat, ee_ncp, private_media):
    secretariat_client = as_secretariat()
    case = make_case(ee_ncp)
    document = case_services.document_upload(case=case, upload=pdf_upload(), title="Passport of Olha Melnyk", by=ee_ncp)
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(CaseDocument), object_pk=str(document.pk)
    )
    assert "Olha" in entry.object_repr  # auditlog keeps the title as the entry's string
    for url in [reverse("admin:auditlog_logentry_change", args=[entry.pk]), reverse(CHANGELIST)]:
        response = secretariat_client.get(url)
        assert response.status_code == 200
        assert "Olha" not in response.content.decode(), url
    # Nor can the title be found by searching for it.
    response = secretariat_client.get(reverse(CHANGELIST), {"q": "Olha"})
    assert entry not in response.context["cl"].result_list


def test_searching_the_audit_log_by_actor_email_finds_the_entry(as_secretariat, updated_case, ee_ncp):
    secretariat_client = as_secretariat()
    response = secretariat_client.get(reverse(CHANGELIST), {"q": "eeva.kask@"})
    assert response.status_code == 200
    assert _update_entry(updated_case) in response.context["cl"].result_list


@pytest.mark.parametrize("term", ["Eeva Kask", "EE-", "   ", "%", "x" * 5000, "\x00"])
def test_searching_the_audit_log_never_fails(as_secretariat, updated_case, term):
    secretariat_client = as_secretariat()
    assert secretariat_client.get(reverse(CHANGELIST), {"q": term}).status_code == 200


def test_the_audit_log_filters_by_action_and_object_type(as_secretariat, updated_case):
    secretariat_client = as_secretariat()
    case_type = ContentType.objects.get_for_model(Case)
    response = secretariat_client.get(reverse(CHANGELIST), {"action__exact": "1", "type": str(case_type.pk)})
    assert response.status_code == 200
    results = list(response.context["cl"].result_list)
    assert _update_entry(updated_case) in results
    assert {(entry.action, entry.content_type_id) for entry in results} == {(1, case_type.pk)}
    # A type that is not one of the choices filters nothing rather than failing.
    assert secretariat_client.get(reverse(CHANGELIST), {"type": "nonsense"}).status_code == 200


def test_the_audit_log_is_read_only_and_has_no_history_page(as_secretariat, updated_case):
    secretariat_client = as_secretariat()
    entry = _update_entry(updated_case)
    assert secretariat_client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert secretariat_client.get(reverse("admin:auditlog_logentry_delete", args=[entry.pk])).status_code == 403
    assert secretariat_client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {}).status_code == 403
    history = f"/admin/auditlog/logentry/{entry.pk}/history/"
    assert secretariat_client.get(history).status_code in (302, 404)


def test_a_user_change_keeps_its_values_for_the_secretariat(as_secretariat, ee_ncp):
    secretariat_client = as_secretariat()
    ee_ncp.full_name = "Eeva Kask-Tamm"
    ee_ncp.save(update_fields=["full_name"])
    entry = LogEntry.objects.filter(object_pk=str(ee_ncp.pk), content_type__model="user").latest("pk")
    response = secretariat_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert "Eeva Kask-Tamm" in response.content.decode()


def test_the_audit_changelist_does_not_count_the_whole_log(as_secretariat, updated_case, django_assert_max_num_queries):
    secretariat_client = as_secretariat()
    secretariat_client.get(reverse(CHANGELIST))  # the session's first request records the session
    with django_assert_max_num_queries(15) as queries:
        assert secretariat_client.get(reverse(CHANGELIST)).status_code == 200
    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts


def test_a_reveal_entry_shows_neither_its_purpose_note_nor_its_data(as_secretariat, ee_ncp):
    case = make_case(ee_ncp)
    case_services.identity_reveal(case=case, by=ee_ncp, purpose="referral", note="Checking Olha's passport")
    entry = LogEntry.objects.filter(object_pk=str(case.pk), action=LogEntry.Action.ACCESS).latest("pk")
    assert "Olha" in str(entry.additional_data)  # the premise
    secretariat_client = as_secretariat()
    response = secretariat_client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    assert response.status_code == 200
    assert "Olha" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"action__exact": "nonsense"}, {"timestamp__gte": "yesterday"}, {"o": "99.-42"}, {"p": "-1"}, {"type": "1e9"}],
)
def test_odd_filter_parameters_never_fail(as_secretariat, params):
    response = as_secretariat().get(reverse(CHANGELIST), params)
    assert response.status_code in (200, 302)
