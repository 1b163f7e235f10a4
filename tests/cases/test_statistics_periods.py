"""Case statistics by period: all years or one calendar year of registration, never a
free range; each year's tables and the all-years tables protected together, so that no
subtraction of one period from another gives a hidden count; invalid periods refused
with a message (400); the CTDC export of a period, and the page saying when every group
of it is suppressed."""

import csv
import io
import re
from itertools import permutations
from urllib.parse import urlencode

import pytest
from django.db.models import Count
from django.urls import reverse

from cases.models import Case
from cases.statistics import CTDC_COLUMNS, DIMENSIONS, ctdc_rows, ctdc_suppressed_groups
from members.models import Role
from tests.cases.factories import bulk_cases
from tests.core.audit import determined, subtractions

URL = "cases:statistics"


@pytest.fixture
def secretariat_client(login, make_user, settings):
    settings.THB_STATISTICS_MIN_CELL = 3
    return login(make_user(Role.SECRETARIAT))


def _page_table(content: str) -> tuple[list[str], list[tuple[str, list[int | None], int | None]]]:
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", content).group(1)
    columns = re.findall(r'<th scope="col">(.*?)</th>', head)[1:-1]
    rows = []
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', content):
        values = [None if value == "c" else int(value) for value in re.findall(r"<td>(.*?)</td>", cells)]
        assert len(values) == len(columns) + 1
        rows.append((label, values[:-1], values[-1]))
    return columns, rows


def _every_view_of_every_period(client, years: list[int]) -> tuple[dict, list]:
    """What the page shows over all its views and periods, and the equations a reader
    sees: each row's total is the sum of its cells, and (the page says periods are
    calendar years) each all-years count is the sum of its years' counts."""
    values: dict = {}
    equations = []
    for period in [None, *years]:
        in_period = {("year", str(period))} if period else set()
        for rows, columns in permutations(DIMENSIONS, 2):
            params = {"rows": rows, "columns": columns} | ({"period": period} if period else {})
            response = client.get(reverse(URL), params)
            assert response.status_code == 200
            header, table = _page_table(response.content.decode())
            for label, cells, total in table:
                row = frozenset({(rows, label), *in_period})
                parts = [frozenset({(rows, label), (columns, column), *in_period}) for column in header]
                for key, value in [*zip(parts, cells, strict=True), (row, total)]:
                    assert values.setdefault(key, value) == value, f"{key} shows differently in two views"
                equations.append((row, parts))
    for key in [key for key in values if not any(dimension == "year" for dimension, _ in key)]:
        by_year = [key | {("year", str(year))} for year in years]
        if all(part in values for part in by_year):
            equations.append((key, by_year))
    # The secretariat's case admin lists each case's state and year: the reader knows
    # those counts, hidden here or not.
    for state, year, n in Case.objects.values_list("member_state__code", "year").annotate(n=Count("pk")):
        values[frozenset({("member_state", state)})] = Case.objects.filter(member_state__code=state).count()
        values[frozenset({("year", str(year))})] = Case.objects.filter(year=year).count()
        values[frozenset({("member_state", state), ("year", str(year))})] = n
    return values, equations


@pytest.fixture
def two_years(demo_states):
    """Estonian women: 5 registered in 2025 and 2 in 2026, 7 in all; with men, and Latvia."""
    for state, year, gender, count in [
        ("EE", 2025, "woman", 5),
        ("EE", 2025, "man", 6),
        ("EE", 2026, "woman", 2),
        ("EE", 2026, "man", 9),
        ("LV", 2025, "woman", 4),
        ("LV", 2025, "man", 4),
        ("LV", 2026, "woman", 3),
        ("LV", 2026, "man", 5),
    ]:
        bulk_cases(demo_states[state], count, year=year, gender=gender, age_band="21-23")
    return [2025, 2026]


ESTONIAN_WOMEN = frozenset({("member_state", "EE"), ("gender", "Woman")})


def test_a_year_shows_the_cases_registered_in_it(secretariat_client, two_years, settings):
    settings.THB_STATISTICS_MIN_CELL = 1
    params = {"rows": "member_state", "columns": "gender", "period": "2026"}
    response = secretariat_client.get(reverse(URL), params)
    assert response.status_code == 200
    assert response.context["table"].rows == [("EE", [9, 2], 11), ("LV", [5, 3], 8)]
    page = response.content.decode()
    assert "Cases registered in 2026 by member state and gender." in page
    assert '<option value="2026" selected>2026</option>' in page
    all_years = secretariat_client.get(reverse(URL), {"rows": "member_state", "columns": "gender"})
    assert all_years.context["table"].rows == [("EE", [15, 7], 22), ("LV", [9, 7], 16)]
    assert '<option value="" selected>All years</option>' in all_years.content.decode()


def test_subtracting_one_year_from_all_years_does_not_give_a_count_below_k(secretariat_client, two_years):
    values, equations = _every_view_of_every_period(secretariat_client, two_years)
    # 7 Estonian women in all, 5 in 2025: showing both would give the 2 of 2026.
    assert values[ESTONIAN_WOMEN | {("year", "2026")}] is None
    assert values[ESTONIAN_WOMEN] is None or values[ESTONIAN_WOMEN | {("year", "2025")}] is None
    assert not [value for value in values.values() if value is not None and 0 < value < 3]
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []
    assert any(value for value in values.values())  # what is safe is still shown


@pytest.fixture
def varied_years(demo_states):
    """Two states over two years, several genders, age bands and forms (some cases with two)."""
    for state, year, count, gender, age_band, forms in [
        ("EE", 2025, 5, "woman", "21-23", ("labour",)),
        ("EE", 2026, 4, "man", "21-23", ("labour",)),
        ("EE", 2026, 1, "trans_other", "18-20", ("sexual",)),
        ("EE", 2025, 2, "woman", "30-38", ("sexual", "labour")),
        ("LV", 2025, 6, "woman", "21-23", ("sexual",)),
        ("LV", 2026, 2, "man", "18-20", ("labour",)),
        ("LV", 2026, 3, "woman", "18-20", ("labour",)),
    ]:
        bulk_cases(demo_states[state], count, year=year, gender=gender, age_band=age_band, forms=forms)
    return [2025, 2026]


def test_no_subtraction_across_the_views_and_periods_of_the_page_gives_a_hidden_count(secretariat_client, varied_years):
    values, equations = _every_view_of_every_period(secretariat_client, varied_years)
    assert any(value is None for value in values.values()) and any(values.values())
    assert not [value for value in values.values() if value is not None and 0 < value < 3]
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []


@pytest.mark.parametrize(
    "period, message",
    [
        ("twenty", "“twenty” is not a year. Choose “All years” or a year from the list."),
        ("２０２５", "is not a year"),  # digits, but not the ones a year is written in
        ("2025-01-01", "is not a year"),
        ("2024", "There are no cases registered in 2024. Choose “All years” or a year from the list."),
        ("1999", "1999 is out of range: these statistics cover 2023 to 2026."),
        ("99999999", "99999999 is out of range"),
    ],
)
def test_an_invalid_period_is_refused_with_a_message_and_kept_in_the_form(
    secretariat_client, demo_states, period, message
):
    bulk_cases(demo_states["EE"], 3, year=2023)
    bulk_cases(demo_states["EE"], 3, year=2025)
    bulk_cases(demo_states["EE"], 3, year=2026)
    response = secretariat_client.get(reverse(URL), {"rows": "member_state", "columns": "gender", "period": period})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'data-field-error="period"' in page and 'aria-invalid="true"' in page
    assert f'<option value="{period}" selected>{period}</option>' in page
    assert "<table" not in page  # no table is passed off as the period's


def test_without_a_period_or_with_an_empty_one_the_page_shows_all_years(secretariat_client, two_years):
    for params in [{}, {"period": ""}, {"period": "  "}]:
        response = secretariat_client.get(reverse(URL), params)
        assert response.status_code == 200
        assert response.context["table"].year is None


def _export(client, params=None) -> list[list[str]]:
    response = client.get(reverse("cases:statistics_export"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_of_a_year_holds_the_all_years_rows_of_that_year(secretariat_client, two_years):
    header, *every_year = _export(secretariat_client)
    assert header == CTDC_COLUMNS
    assert {row[0] for row in every_year} == {"2025", "2026"}
    _, *of_2026 = _export(secretariat_client, {"period": "2026"})
    assert of_2026 == [row for row in every_year if row[0] == "2026"]
    response = secretariat_client.get(reverse("cases:statistics_export"), {"period": "2026"})
    assert "-2026-" in response["Content-Disposition"]


def test_the_export_refuses_an_invalid_period(secretariat_client, two_years):
    response = secretariat_client.get(reverse("cases:statistics_export"), {"period": "2019"})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("text/csv")
    assert "No CSV was made" in response.content.decode()
    assert "2019 is out of range" in response.content.decode()


def test_the_download_link_carries_the_period(secretariat_client, two_years):
    page = secretariat_client.get(reverse(URL), {"period": "2025"}).content.decode()
    assert f'href="{reverse("cases:statistics_export")}?period=2025"' in page


ALL_SUPPRESSED = 'data-testid="ctdc-all-suppressed"'


def test_the_page_says_when_every_group_of_the_export_is_suppressed(secretariat_client, demo_states, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    bulk_cases(demo_states["EE"], 2, year=2026, gender="woman")
    bulk_cases(demo_states["EE"], 3, year=2026, gender="man")
    page = secretariat_client.get(reverse(URL)).content.decode()
    assert ALL_SUPPRESSED in page
    assert "form 2 groups of CTDC variables, and every one has fewer than 11 cases" in page
    assert "the file holds no rows, only a line that says so" in page
    _, *rows = _export(secretariat_client)
    assert len(rows) == 1 and rows[0][0].startswith("No rows: every group of the 5 case(s) has fewer than 11")


def test_the_page_says_so_for_the_period_it_shows(secretariat_client, demo_states, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    bulk_cases(demo_states["EE"], 12, year=2025, gender="woman")
    bulk_cases(demo_states["EE"], 4, year=2026, gender="woman")
    assert ALL_SUPPRESSED not in secretariat_client.get(reverse(URL)).content.decode()
    assert ALL_SUPPRESSED not in secretariat_client.get(reverse(URL), {"period": "2025"}).content.decode()
    of_2026 = secretariat_client.get(reverse(URL), {"period": "2026"}).content.decode()
    assert "The cases registered in 2026 form 1 group of CTDC variables" in of_2026
    _, *rows = _export(secretariat_client, {"period": "2026"})
    assert rows[0][0] == (
        "No rows: every group of the 4 case(s) registered in 2026 has fewer than 11 cases "
        "and is suppressed to protect the victims."
    )


def test_groups_whose_forms_make_one_ctdc_row_are_counted_together(demo_states):
    # Forced begging and forced criminality both count under CTDC's isOtherExploit: 6 and
    # 6 cases make one row of 12, which k = 11 lets through.
    bulk_cases(demo_states["EE"], 6, gender="woman", forms=("forced_begging",))
    bulk_cases(demo_states["EE"], 6, gender="woman", forms=("forced_criminality",))
    rows, left_out = ctdc_rows(k=11)
    assert [row[-2:] for row in rows] == [["isOtherExploit", 12]] and left_out == 0
    assert ctdc_suppressed_groups(k=11) is None
    assert ctdc_suppressed_groups(k=13) == 1


def test_a_case_without_a_form_and_one_with_two_are_grouped_by_their_forms(demo_states):
    bulk_cases(demo_states["EE"], 3, gender="man", forms=())
    bulk_cases(demo_states["EE"], 2, gender="man", forms=("sexual", "labour"))
    rows, left_out = ctdc_rows(k=1)
    assert sorted(row[5:] for row in rows) == [[0, 0, 0, "", 3], [1, 1, 0, "isForcedLabour;isSexualExploit", 2]]
    assert left_out == 0


@pytest.mark.parametrize(
    "url_name, params",
    [
        (URL, {"rows": "member_state", "columns": "gender", "period": "2026"}),
        (URL, {"rows": "form", "columns": "year", "period": "2025"}),
        ("cases:statistics_export", {"period": "2026"}),
    ],
)
def test_a_periods_queries_do_not_grow_with_cases(
    secretariat_client, demo_states, settings, url_name, params, assert_constant_queries
):
    settings.THB_STATISTICS_MIN_CELL = 11
    bulk_cases(demo_states["EE"], 20, year=2025, gender="woman", age_band="21-23")
    bulk_cases(demo_states["EE"], 20, year=2026, gender="woman", age_band="21-23")

    def grow():
        bulk_cases(demo_states["EE"], 120, year=2026, gender="man", age_band="30-38", forms=("sexual", "labour"))
        bulk_cases(demo_states["LV"], 60, year=2025, gender="woman", age_band="48+", forms=("forced_begging",))

    assert_constant_queries(secretariat_client, f"{reverse(url_name)}?{urlencode(params)}", grow=grow)
