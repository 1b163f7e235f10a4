"""Case statistics for the secretariat: small cells hidden below k and no hidden cell
recoverable by differencing across every view of the page, a CTDC export of groups of
at least k only, safe against formula injection and free of identities, a fixed number
of queries."""

import csv
import io
import re
from itertools import permutations
from urllib.parse import urlencode

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import AgeBand, Case, ExploitationForm, Gender
from cases.statistics import CTDC_COLUMNS, DIMENSIONS
from members.models import Role
from tests.cases.factories import bulk_cases, make_case
from tests.core.audit import determined, subtractions

K = 11  # CTDC's own threshold


@pytest.fixture
def secretariat_client(login, make_user, settings):
    settings.THB_STATISTICS_MIN_CELL = K
    return login(make_user(Role.SECRETARIAT))


@pytest.fixture
def counted_cases(make_user, demo_states):
    """EE: 12 women, 3 men (15); LV: 4 women. All 21-23, Ukrainian, labour, this year,
    exploited in the state that keeps the case. Returns an Estonian NCP."""
    for state, gender, count in [("EE", "woman", 12), ("EE", "man", 3), ("LV", "woman", 4)]:
        variables = {"gender": gender, "age_band": "21-23", "citizenship": "UA", "country_of_exploitation": state}
        bulk_cases(demo_states[state], count, **variables)
    return make_user(Role.NCP, "EE")


def _row(content: str, label: str) -> list[str]:
    match = re.search(rf'<tr><th scope="row">{re.escape(label)}</th>(.*?)</tr>', content)
    assert match, f"no row {label}"
    return re.findall(r"<td>(.*?)</td>", match.group(1))


def test_small_cells_and_every_cell_or_total_that_would_give_one_away_are_hidden(secretariat_client, counted_cases):
    response = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "gender"})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.columns == ["Man", "Woman"]
    # 3 Estonian men and 4 Latvians are small. The 12 Estonian women go too: Estonia's 15
    # (which the case admin tells anyway) minus 12 would give the 3 men. Latvia's 0 men go
    # as well: with Latvia's 4 known from the admin, 4 minus 0 would give its women.
    assert table.rows == [("EE", [None, None], 15), ("LV", [None, None], None)]

    content = response.content.decode()
    assert _row(content, "EE") == ["c", "c", "15"]
    assert _row(content, "LV") == ["c", "c", "c"]
    assert "Counts from 1 to 10 are hidden" in content
    assert "“c”: hidden. Counts from 1 to 10 are hidden, and so are some other counts and totals" in content


def test_k_is_configurable(secretariat_client, counted_cases, settings):
    settings.THB_STATISTICS_MIN_CELL = 3
    response = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "gender"})
    assert response.context["table"].rows == [("EE", [3, 12], 15), ("LV", [0, 4], 4)]


def test_cell_of_exactly_k_is_shown(secretariat_client, demo_states):
    bulk_cases(demo_states["EE"], K, gender="woman")
    response = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "gender"})
    assert response.context["table"].rows == [("EE", [K], K)]


@pytest.mark.parametrize("rows, columns", [("form", "age_band"), ("year", "member_state"), ("gender", "gender")])
def test_every_dimension_renders(secretariat_client, counted_cases, rows, columns):
    response = secretariat_client.get(reverse("cases:statistics"), {"rows": rows, "columns": columns})
    assert response.status_code == 200
    assert response.context["rows"] != response.context["columns"]


# Reading the page as an attacker would: every view it offers, parsed from the HTML. ----


def _page_table(content: str) -> tuple[list[str], list[tuple[str, list[int | None], int | None]]]:
    head = re.search(r"<thead><tr>(.*?)</tr></thead>", content).group(1)
    columns = re.findall(r'<th scope="col">(.*?)</th>', head)[1:-1]
    rows = []
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', content):
        values = [None if value == "c" else int(value) for value in re.findall(r"<td>(.*?)</td>", cells)]
        assert len(values) == len(columns) + 1
        rows.append((label, values[:-1], values[-1]))
    return columns, rows


def _every_view(client) -> tuple[dict, list]:
    """What the page shows over all its views, as keys and values, and the equations a
    reader sees: each row's total is the sum of its cells."""
    values: dict = {}
    equations = []
    for rows, columns in permutations(DIMENSIONS, 2):
        response = client.get(reverse("cases:statistics"), {"rows": rows, "columns": columns})
        assert response.status_code == 200
        header, table = _page_table(response.content.decode())
        for label, cells, total in table:
            parts = [frozenset({(rows, label), (columns, column)}) for column in header]
            for key, value in [*zip(parts, cells, strict=True), ((rows, label), total)]:
                assert values.setdefault(key, value) == value, f"{key} shows differently in two views"
            equations.append(((rows, label), parts))
    # The secretariat's case admin lists each case's state and year: the reader knows
    # those counts, hidden here or not.
    for state, year, n in Case.objects.values_list("member_state__code", "year").annotate(n=Count("pk")):
        values[("member_state", state)] = Case.objects.filter(member_state__code=state).count()
        values[("year", str(year))] = Case.objects.filter(year=year).count()
        values[frozenset({("member_state", state), ("year", str(year))})] = n
    return values, equations


@pytest.fixture
def varied_cases(settings, make_user, demo_states):
    """Three states, several genders, age bands and forms (some cases with two), all
    this year; k = 3. Two cases are opened through the service, the rest in bulk."""
    settings.THB_STATISTICS_MIN_CELL = 3
    for state, count, gender, age_band, forms in [
        ("EE", 5, "woman", "21-23", ("labour",)),
        ("EE", 4, "man", "21-23", ("labour",)),
        ("EE", 1, "trans_other", "18-20", ("sexual",)),
        ("EE", 2, "woman", "30-38", ("sexual", "labour")),
        ("LV", 6, "woman", "21-23", ("sexual",)),
        ("LV", 2, "man", "18-20", ("labour",)),
        ("LV", 3, "woman", "18-20", ("labour",)),
        ("LT", 1, "woman", "21-23", ("forced_begging",)),
    ]:
        bulk_cases(demo_states[state], count, gender=gender, age_band=age_band, forms=forms)
    ncp = make_user(Role.NCP, "LT")
    for _ in range(2):
        make_case(ncp, gender="man", age_band="30-38", forms=["labour"])


def test_no_subtraction_across_the_views_of_the_page_gives_a_hidden_count(secretariat_client, varied_cases):
    values, equations = _every_view(secretariat_client)
    assert any(value is None for value in values.values()) and any(values.values())
    assert not [value for value in values.values() if value is not None and 0 < value < 3]
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []


def test_what_the_page_shows_is_the_true_count(secretariat_client, varied_cases):
    values, _ = _every_view(secretariat_client)
    assert values[("member_state", "EE")] == Case.objects.filter(member_state__code="EE").count() == 12
    shown_cells = [(key, value) for key, value in values.items() if isinstance(key, frozenset) and value is not None]
    assert shown_cells
    labels = {"gender": dict(Gender.choices), "age_band": dict(AgeBand.choices)}
    for key, value in shown_cells:
        filters = {}
        for dimension, label in key:
            if dimension == "form":
                filters["forms_of_exploitation__name"] = label
            elif dimension in labels:
                filters[DIMENSIONS[dimension][1]] = {v: k for k, v in labels[dimension].items()}[label]
            else:
                filters[DIMENSIONS[dimension][1]] = label
        assert Case.objects.filter(**filters).distinct().count() == value, key


def test_estonias_total_minus_its_visible_gender_cells_gives_nothing(secretariat_client, demo_states):
    # The reproduced hole: 12 men, 15 women and 1 trans/other person in Estonia, all this
    # year. The table by gender hid the 1 and Estonia's total there; the table by year
    # showed Estonia's 28, so 28 - 12 - 15 = 1.
    for gender, count in [("man", 12), ("woman", 15), ("trans_other", 1)]:
        bulk_cases(demo_states["EE"], count, gender=gender)
    bulk_cases(demo_states["LV"], 20, gender="woman")
    gender_view = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "gender"})
    year_view = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "year"})
    _, by_gender = _page_table(gender_view.content.decode())
    _, by_year = _page_table(year_view.content.decode())
    estonia_cells = dict((label, cells) for label, cells, _ in by_gender)["EE"]
    estonia_totals = {total for label, _, total in by_gender + by_year if label == "EE"}
    assert estonia_cells.count(None) >= 2 or estonia_totals == {None}
    values, equations = _every_view(secretariat_client)
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []
    assert values[("member_state", "LV")] == 20  # what is safe is still shown


def _export(client) -> list[list[str]]:
    response = client.get(reverse("cases:statistics_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="thb-cases-ctdc-')
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_has_the_ctdc_header_and_omits_groups_below_k(secretariat_client, counted_cases):
    header, *rows = _export(secretariat_client)
    assert header == CTDC_COLUMNS
    year = str(timezone.localdate().year)
    # Only the 12 Estonian women form a group of k or more; the 3 men and 4 Latvians do not.
    assert rows == [[year, "Woman", "21--23", "UA", "EE", "1", "0", "0", "isForcedLabour", "12"]]


def test_the_export_is_safe_against_formula_injection(secretariat_client, counted_cases):
    ExploitationForm.objects.filter(code="labour").update(ctdc_column='=HYPERLINK("http://evil.example","x")')
    header, *rows = _export(secretariat_client)
    column = header.index("typeOfExploitConcatenated")
    assert rows[0][column] == '\'=HYPERLINK("http://evil.example","x")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_no_identity_value_appears_in_the_export_or_the_page(secretariat_client, counted_cases):
    for case in Case.objects.filter(member_state__code="EE", gender="woman"):
        services.identity_save(
            case=case, by=counted_cases, data={"given_names": "Olenka", "family_name": "Pryhodko", "address": "Kyiv"}
        )
    response = secretariat_client.get(reverse("cases:statistics_export"))
    page = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "gender"})
    assert ",12\r\n" in response.content.decode("utf-8-sig")  # the cases are counted...
    assert '<th scope="row">EE</th>' in page.content.decode()
    for content in (response.content.decode("utf-8-sig"), page.content.decode()):
        assert not any(value in content for value in ("Olenka", "Pryhodko", "Kyiv", "EE-20"))  # ...not named


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("cases:statistics", {"rows": "member_state", "columns": "year"}),
        ("cases:statistics", {"rows": "form", "columns": "gender"}),
        ("cases:statistics_export", None),
    ],
)
def test_statistics_queries_do_not_grow_with_cases(
    secretariat_client, demo_states, url_name, params, assert_constant_queries
):
    url = f"{reverse(url_name)}?{urlencode(params or {})}"
    bulk_cases(demo_states["EE"], 20, gender="woman", age_band="21-23")

    def grow():
        bulk_cases(demo_states["EE"], 120, gender="man", age_band="30-38", forms=("sexual", "labour"))
        bulk_cases(demo_states["LV"], 60, gender="woman", age_band="48+", forms=("forced_begging",))

    assert_constant_queries(secretariat_client, url, grow=grow)


def test_an_export_whose_every_group_is_suppressed_says_so(secretariat_client, demo_states):
    bulk_cases(demo_states["EE"], 2, gender="woman")
    header, *rows = _export(secretariat_client)
    assert header == CTDC_COLUMNS
    assert len(rows) == 1
    assert rows[0][0].startswith("No rows: every group of the 2 case(s) has fewer than")
    assert "suppressed" in rows[0][0]
