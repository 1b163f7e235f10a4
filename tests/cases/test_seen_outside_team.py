"""On the case page, the owning state's NCPs see who outside their team has read or revealed
the case's data through a referral; opening the audit trail and exporting statistics are
reads too, and are recorded."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from cases import services as case_services
from members.models import Role
from referrals import services as referral_services
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent, make_referral

SHARED = ["case_variables", "identity"]


@pytest.fixture
def referral(ee_ncp, demo_states):
    case = make_case(ee_ncp)
    case_services.identity_save(case=case, by=ee_ncp, data={"given_names": "Kati", "family_name": "Seen-Family"})
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], categories=SHARED)
    return make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, shared_categories=SHARED, send=True)


def _seen(response) -> list[tuple]:
    return [
        (entry.actor, entry.additional_data["state"], entry.additional_data["what"])
        for entry in response.context["seen_outside_team"]
    ]


def test_the_owning_ncps_see_the_receiving_ncps_reveal_in_who_has_seen_this(client, login, ee_ncp, lv_ncp, referral):
    login(lv_ncp)
    client.get(referral.get_absolute_url())
    client.post(
        reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "contact", "note": "Call before arrival"}
    )
    assert client.get(reverse("cases:detail", args=[referral.case_id])).status_code == 404

    login(ee_ncp)
    response = client.get(reverse("cases:detail", args=[referral.case_id]))
    assert response.status_code == 200
    assert _seen(response) == [(lv_ncp, "LV", "shared identity revealed"), (lv_ncp, "LV", "referral viewed")]
    section = response.content.decode().split('data-testid="seen-outside-team"')[1].split("</section>")[0]
    for text in ["Who has seen this", "Latvia", "Liga Receiver", "shared identity revealed", "To contact the person"]:
        assert text in section
    assert "Call before arrival" in section and referral.reference in section
    assert "Seen-Family" not in response.content.decode()


def test_the_sending_teams_own_reads_are_not_in_who_has_seen_this(client, login, make_user, ee_ncp, referral):
    colleague = make_user(Role.NCP, "EE")
    login(colleague)
    client.get(referral.get_absolute_url())
    client.get(reverse("referrals:print", args=[referral.pk]))
    client.post(reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "verification"})
    assert LogEntry.objects.filter(actor=colleague, additional_data__referral_id=referral.pk).count() == 3

    login(ee_ncp)
    response = client.get(reverse("cases:detail", args=[referral.case_id]))
    assert _seen(response) == []
    assert "No other state has opened this case" in response.content.decode()


def test_another_cases_outside_reads_are_not_shown(client, login, ee_ncp, lv_ncp, referral, demo_states):
    other = make_referral(ee_ncp, demo_states["LV"], send=True)
    login(lv_ncp)
    client.get(other.get_absolute_url())
    login(ee_ncp)
    assert _seen(client.get(reverse("cases:detail", args=[referral.case_id]))) == []


def test_the_case_page_runs_as_many_queries_with_20_outside_reads_as_with_1(
    login, ee_ncp, lv_ncp, referral, assert_constant_queries
):
    referral_services.referral_read_record(referral=referral, by=lv_ncp, what="referral viewed")

    def grow():
        for _ in range(19):
            referral_services.referral_read_record(referral=referral, by=lv_ncp, what="referral viewed")

    # Within the budget of DESIGN §10 (15), a referral and its consent's states included.
    [(_, large)] = assert_constant_queries(login(ee_ncp), reverse("cases:detail", args=[referral.case_id]), grow=grow)
    assert len(large.response.context["seen_outside_team"]) == 20


def test_opening_the_case_audit_trail_is_recorded_with_actor_role_and_address(client, login, ee_ncp, referral):
    login(ee_ncp)
    response = client.get(reverse("cases:audit", args=[referral.case_id]), REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200
    (entry,) = LogEntry.objects.filter(additional_data__what="audit trail viewed")
    assert entry.actor == ee_ncp and entry.action == LogEntry.Action.ACCESS
    assert entry.additional_data["case_id"] == referral.case_id
    assert entry.additional_data["role"] == Role.NCP
    assert entry.remote_addr == "192.0.2.10"
    assert "no-store" in response["Cache-Control"]


def test_case_reads_and_reveals_record_the_role(client, login, ee_ncp, referral):
    login(ee_ncp)
    client.get(reverse("cases:detail", args=[referral.case_id]))
    client.post(reverse("cases:identity_reveal", args=[referral.case_id]), {"purpose": "verification"})
    for what in ("case viewed", "identity revealed"):
        (entry,) = LogEntry.objects.filter(additional_data__case_id=referral.case_id, additional_data__what=what)
        assert entry.additional_data["role"] == Role.NCP and entry.actor == ee_ncp


def test_exporting_case_statistics_is_recorded_with_actor_role_and_address(secretariat_client):
    response = secretariat_client.get(reverse("cases:statistics_export"), REMOTE_ADDR="192.0.2.11")
    assert response.status_code == 200
    (entry,) = LogEntry.objects.filter(additional_data__what="case statistics exported (CTDC)")
    assert entry.actor == secretariat_client.user and entry.action == LogEntry.Action.ACCESS
    assert entry.additional_data["role"] == Role.SECRETARIAT
    assert entry.remote_addr == "192.0.2.11"
    assert entry.content_type.model == "case" and entry.object_repr == "Case statistics"


@pytest.mark.postgres
def test_a_cases_audit_entries_are_found_through_an_index(ee_ncp, referral):
    # A log of other cases' entries, and fresh statistics: on a table of a few rows the planner
    # may as well walk the timestamp index backwards, which says nothing about a real log.
    content_type = ContentType.objects.get_for_model(referral.case)
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(other),
            object_repr="Case",
            action=LogEntry.Action.ACCESS,
            additional_data={"case_id": other},
        )
        for other in range(1_000_000, 1_000_000 + 5000)
    )
    queryset = LogEntry.objects.filter(additional_data__case_id=referral.case_id).order_by("-timestamp", "-pk")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE auditlog_logentry")
        plan = queryset.explain()
    assert "thb_audit_entries_by_case" in plan
