"""Each case list reads a page off an index that matches its filter and its order, tie-breaker included."""

import pytest
from django.contrib import admin
from django.db import connection

from cases import selectors
from cases.models import Case, CaseStatus, Stage


def _index(name: str) -> list[str]:
    [index] = [index for index in Case._meta.indexes if index.name == name]
    return list(index.fields)


def _columns(order_by) -> list[str]:
    # The queryset's order in the index's terms: the primary key is the id column.
    return [field.replace("pk", "id") for field in order_by]


def test_the_state_indexes_end_in_the_case_lists_order_and_its_tie_breaker(ee_ncp):
    order = _columns(selectors.case_list(user=ee_ncp).query.order_by)
    assert order == ["-created_at", "-id"]
    assert _index("case_state_list_idx") == ["member_state", *order]
    assert _index("case_state_stage_list_idx") == ["member_state", "stage", *order]
    assert _index("case_state_status_list_idx") == ["member_state", "status", *order]


def test_the_admins_order_and_its_year_filter_have_their_indexes():
    ordering = list(admin.site._registry[Case].ordering)
    assert _index("case_created_list_idx") == ordering
    assert _index("case_year_list_idx") == ["year", *ordering]


def test_no_index_is_only_a_prefix_of_another():
    # A (state, created_at) index beside (state, created_at, id) would be written for nothing.
    indexes = [list(index.fields) for index in Case._meta.indexes]
    for fields in indexes:
        assert not any(other != fields and other[: len(fields)] == fields for other in indexes), fields


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")
    return queryset.explain()


def _rows(state, count: int, **fields) -> list[Case]:
    start = Case.objects.filter(member_state=state).count() + 1
    return [
        Case(member_state=state, sequence=n, reference=f"{state.code}-X-{n:05d}", **fields)
        for n in range(start, start + count)
    ]


@pytest.fixture
def many_cases(demo_states):
    """Estonia's cases among more of three other states' (as one state among 13), of several
    stages, statuses and years; no grants, which these plans do not read."""
    stages = [Stage.PRESUMED, Stage.FORMALLY_IDENTIFIED, Stage.URGENT_ASSISTANCE, Stage.LONG_TERM_ASSISTANCE]
    statuses = [CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP]
    for n, stage in enumerate(stages):
        for status in statuses:
            for code, count in (("EE", 100), ("LV", 400), ("LT", 400), ("FI", 400)):
                Case.objects.bulk_create(_rows(demo_states[code], count, stage=stage, status=status, year=2020 + n))


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "case_state_list_idx"),
        ({"stage": Stage.URGENT_ASSISTANCE}, "case_state_stage_list_idx"),
        ({"status": CaseStatus.FOLLOW_UP}, "case_state_status_list_idx"),
    ],
)
def test_a_page_of_a_states_cases_is_read_off_its_index_without_a_sort(many_cases, ee_ncp, demo_states, filters, index):
    order = selectors.case_list(user=ee_ncp).query.order_by
    page = Case.objects.filter(member_state=demo_states["EE"], **filters).order_by(*order)[:25]
    plan = _plan(page)
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.postgres
@pytest.mark.parametrize(("filters", "index"), [({}, "case_created_list_idx"), ({"year": 2021}, "case_year_list_idx")])
def test_a_page_of_the_admins_changelist_is_read_off_its_index_without_a_sort(many_cases, filters, index):
    page = Case.objects.filter(**filters).order_by(*admin.site._registry[Case].ordering)[:50]
    plan = _plan(page)
    assert index in plan and "Sort" not in plan, plan
