"""The case list: a fixed number of queries however many cases a state has, filters
that narrow it, and the count of open cases per stage."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus, ClosureReason, ExploitationForm, Stage
from members.models import Role
from tests.cases.factories import bulk_cases, make_case


def test_the_list_runs_the_same_queries_with_10_and_2000_cases(
    ncp_client, ee_ncp, demo_states, assert_constant_queries
):
    base = reverse("cases:list")
    bulk_cases(demo_states["EE"], 10, case_worker=ee_ncp, forms=("labour", "sexual"))

    def grow():
        bulk_cases(demo_states["EE"], 1_990, case_worker=ee_ncp, forms=("labour", "sexual"))
        bulk_cases(demo_states["LV"], 200)  # another state's cases are not the list's concern

    # Cold each time: the per-stage counts are cached (tests/cases/test_stage_counts_cached.py).
    assert_constant_queries(
        ncp_client, base, f"{base}?stage=presumed&form=1&opened_from=2020-01-01&page=3", grow=grow, prepare=cache.clear
    )


def test_the_list_shows_a_page_of_the_states_cases(ncp_client, ee_ncp, demo_states):
    bulk_cases(demo_states["EE"], 60, case_worker=ee_ncp)
    bulk_cases(demo_states["LV"], 5)
    response = ncp_client.get(reverse("cases:list"))
    page = response.context["page"]
    assert page.paginator.count == 60
    assert len(page.object_list) == 25
    assert all(case.member_state.code == "EE" for case in page.object_list)
    content = response.content.decode()
    assert "60 cases." in content
    assert "Forced labour / labour exploitation" in content


@pytest.fixture
def cases(ee_ncp, make_user):
    """Estonian cases that differ in one thing each; one Latvian case."""
    now = timezone.now()
    closed = make_case(ee_ncp, forms=["sexual"])
    services.case_move_stage(case=closed, to_stage=Stage.CLOSED, by=ee_ncp, closure_reason=ClosureReason.REFERRED)
    old = make_case(ee_ncp, forms=["labour"])
    Case.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=400))
    identified = make_case(ee_ncp, forms=["labour", "sexual"])
    services.case_move_stage(case=identified, to_stage=Stage.FORMALLY_IDENTIFIED, by=ee_ncp)
    follow_up = make_case(ee_ncp, forms=["forced_begging"])
    for stage in [Stage.URGENT_ASSISTANCE, Stage.LONG_TERM_ASSISTANCE, Stage.FOLLOW_UP]:
        services.case_move_stage(case=follow_up, to_stage=stage, by=ee_ncp)
    latvian = make_case(make_user(Role.NCP, "LV"), forms=["sexual"])
    return {"closed": closed, "old": old, "identified": identified, "follow_up": follow_up, "latvian": latvian}


def _listed(client, **params) -> set[str]:
    response = client.get(reverse("cases:list"), params)
    assert response.status_code == 200
    return {case.reference for case in response.context["page"].object_list}


def _refs(cases, *names) -> set[str]:
    return {cases[name].reference for name in names}


def test_the_filters_narrow_the_list(ncp_client, cases):
    today = timezone.localdate()
    sexual = ExploitationForm.objects.get(code="sexual").pk
    assert _listed(ncp_client) == _refs(cases, "closed", "old", "identified", "follow_up")
    assert _listed(ncp_client, stage=Stage.PRESUMED) == _refs(cases, "old")
    assert _listed(ncp_client, stage=Stage.FORMALLY_IDENTIFIED) == _refs(cases, "identified")
    assert _listed(ncp_client, status=CaseStatus.CLOSED_REFERRED) == _refs(cases, "closed")
    assert _listed(ncp_client, status=CaseStatus.FOLLOW_UP) == _refs(cases, "follow_up")
    assert _listed(ncp_client, status=CaseStatus.ACTIVE) == _refs(cases, "old", "identified")
    assert _listed(ncp_client, form=sexual) == _refs(cases, "closed", "identified")
    assert _listed(ncp_client, opened_to=(today - timedelta(days=30)).isoformat()) == _refs(cases, "old")
    assert _listed(ncp_client, opened_from=(today - timedelta(days=30)).isoformat()) == _refs(
        cases, "closed", "identified", "follow_up"
    )
    assert _listed(ncp_client, reference=cases["identified"].reference) == _refs(cases, "identified")
    assert _listed(ncp_client, reference=cases["identified"].reference.lower()[-4:]) == _refs(cases, "identified")
    assert _listed(ncp_client, form=sexual, stage=Stage.CLOSED) == _refs(cases, "closed")
    assert _listed(ncp_client, reference=cases["latvian"].reference) == set()


INVALID_FILTERS = [
    {"stage": "vanished"},
    {"status": "maybe"},
    {"form": "sexual"},
    {"form": "999999"},
    {"opened_from": "yesterday"},
    {"opened_to": "2026-13-45"},
]


def test_invalid_filter_values_are_ignored_and_said_so(ncp_client, cases):
    for params in INVALID_FILTERS:
        response = ncp_client.get(reverse("cases:list"), params)
        assert response.status_code == 200, params
        assert response.context["page"].paginator.count == 4, params
        assert "Some filters were not valid and were ignored." in response.content.decode(), params


def test_odd_but_valid_values_do_not_crash(ncp_client, cases):
    for params in [{"page": "many"}, {"page": "999"}, {"reference": "x" * 5000}, {"reference": "%' OR 1=1 --"}]:
        response = ncp_client.get(reverse("cases:list"), params)
        assert response.status_code == 200, params
    assert response.context["page"].paginator.count == 0


def test_the_open_cases_per_stage_are_counted(ncp_client, cases):
    response = ncp_client.get(reverse("cases:list"))
    counts = {item["stage"]: item["count"] for item in response.context["stage_counts"]}
    assert Stage.CLOSED not in counts
    assert counts == {
        Stage.PRESUMED: 1,
        Stage.FORMALLY_IDENTIFIED: 1,
        Stage.NOT_IDENTIFIED: 0,
        Stage.REFLECTION_PERIOD: 0,
        Stage.URGENT_ASSISTANCE: 0,
        Stage.LONG_TERM_ASSISTANCE: 0,
        Stage.RETURN_PREPARATION: 0,
        Stage.RETURNED: 0,
        Stage.FOLLOW_UP: 1,
    }
    assert "Formally identified: 1" in response.content.decode()


def test_a_list_past_the_count_limit_says_at_least_and_never_counts_every_case(
    ncp_client, ee_ncp, demo_states, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.pagination import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "COUNT_LIMIT", 3)
    bulk_cases(demo_states["EE"], 5, case_worker=ee_ncp)
    with CaptureQueriesContext(connection) as captured:
        response = ncp_client.get(reverse("cases:list"))
    assert "At least 3 cases; filter to narrow them down." in response.content.decode()
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"] and '"cases_case"' in q["sql"]]
    assert counts and all("LIMIT 3" in sql for sql in counts), counts
