"""The secretariat's changelists over the big tables (cases, referrals, participants) do not scan.

Each runs the same queries with 3 and 30 rows, none of them a SELECT DISTINCT (a filter asking
the table which values it holds, or a date hierarchy), no unfiltered COUNT(*) beside the page's
own, and a count bounded by BoundedCountPaginator.COUNT_LIMIT.
"""

from datetime import timedelta
from itertools import count

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from core.pagination import BoundedCountPaginator
from members.models import Role
from referrals.models import Referral
from tests.cases.factories import bulk_cases, make_case
from tests.referrals.factories import make_consent
from tests.trainings.factories import RegistrationFactory, make_training
from trainings.models import Registration

_serial = count(1)


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE")


@pytest.fixture
def grow_cases(demo_states):
    return lambda n: bulk_cases(demo_states["EE"], n)


@pytest.fixture
def grow_referrals(ee_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]])

    def _grow(n: int) -> None:
        now = timezone.now()
        Referral.objects.bulk_create(
            Referral(
                reference=f"ADMIN-{next(_serial):05d}",
                case=case,
                consent=consent,
                sending_state=demo_states["EE"],
                receiving_state=demo_states["LV"],
                sending_contact=ee_ncp,
                purpose="assistance",
                shared_categories=["case_variables"],
                status="sent",
                created_at=now - timedelta(days=n),
                sent_at=now - timedelta(days=n),
                ack_deadline=now + timedelta(days=2),
            )
            for _ in range(n)
        )

    return _grow


@pytest.fixture
def grow_registrations():
    training = make_training(capacity=1000)
    return lambda n: RegistrationFactory.create_batch(n, training=training)


def _distinct(sql: list[str]) -> list[str]:
    return [statement for statement in sql if "DISTINCT" in statement.upper()]


def _unbounded_counts(sql: list[str], table: str) -> list[str]:
    return [
        statement
        for statement in sql
        if "COUNT(" in statement.upper() and f'"{table}"' in statement and "LIMIT" not in statement.upper()
    ]


CHANGELISTS = [
    ("admin:cases_case_changelist", "cases_case", "grow_cases", ""),
    ("admin:cases_case_changelist", "cases_case", "grow_cases", "?stage=presumed&year={year}&member_state__id__exact="),
    ("admin:referrals_referral_changelist", "referrals_referral", "grow_referrals", ""),
    ("admin:referrals_referral_changelist", "referrals_referral", "grow_referrals", "?status=sent&sent_year={year}"),
    ("admin:trainings_registration_changelist", "trainings_registration", "grow_registrations", ""),
    ("admin:trainings_registration_changelist", "trainings_registration", "grow_registrations", "?status=confirmed"),
]


@pytest.mark.parametrize(("name", "table", "grow", "query"), CHANGELISTS)
def test_a_changelist_runs_the_same_queries_with_3_and_30_rows_and_none_distinct_or_a_full_count(
    request, secretariat_client, assert_constant_queries, demo_states, name, table, grow, query
):
    add = request.getfixturevalue(grow)
    add(3)
    query = query.format(year=timezone.localdate().year)
    if query.endswith("member_state__id__exact="):
        query += str(demo_states["EE"].pk)
    url = reverse(name) + query
    [(_small, large)] = assert_constant_queries(secretariat_client, url, grow=lambda: add(27))
    assert not _distinct(large.sql), _distinct(large.sql)
    assert not _unbounded_counts(large.sql, table), _unbounded_counts(large.sql, table)
    # Every row is on the page: the filters kept them all and the bounded count counted them.
    changelist = large.response.context["cl"]
    assert changelist.result_count == len(changelist.result_list) == 30


def test_past_the_limit_the_count_stops_and_the_pages_go_that_far(secretariat_client, grow_cases, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "COUNT_LIMIT", 10)
    grow_cases(25)
    response = secretariat_client.get(reverse("admin:cases_case_changelist"))
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == 10
    assert changelist.full_result_count is None  # show_full_result_count = False: no second count


def test_the_year_filters_offer_fixed_years_and_filter_by_them(secretariat_client, demo_states, grow_referrals):
    this_year = timezone.localdate().year
    bulk_cases(demo_states["EE"], 2)
    bulk_cases(demo_states["EE"], 1, year=this_year - 2)
    response = secretariat_client.get(reverse("admin:cases_case_changelist") + f"?year={this_year - 2}")
    assert [case.year for case in response.context["cl"].result_list] == [this_year - 2]
    years = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
        if spec.title == "year"
    ]
    assert years[1:] == [str(year) for year in range(this_year, this_year - 10, -1)]  # after "All"

    grow_referrals(2)  # sent 2 days ago
    Referral.objects.filter(pk=Referral.objects.order_by("pk").first().pk).update(
        sent_at=timezone.now().replace(year=this_year - 1)
    )
    last_year = secretariat_client.get(reverse("admin:referrals_referral_changelist") + f"?sent_year={this_year - 1}")
    assert [referral.sent_at.year for referral in last_year.context["cl"].result_list] == [this_year - 1]


@pytest.mark.parametrize("model", [Case, Referral, Registration])
def test_the_big_tables_admins_do_not_count_the_table_and_sort_only_by_indexed_columns(model):
    model_admin = admin.site._registry[model]
    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is BoundedCountPaginator
    assert model_admin.list_per_page <= 100
    assert model_admin.date_hierarchy is None
    # The ordering, with its tie-breaker, is an index of the model, column for column.
    indexed = [list(index.fields) for index in model._meta.indexes]
    assert list(model_admin.ordering) in indexed, (model_admin.ordering, indexed)
    for column in model_admin.list_display:
        field = next((f for f in model._meta.fields if f.name == column), None)
        if field is not None and field.is_relation:
            assert column in model_admin.list_select_related, column
