"""Case statistics for the secretariat: small cells suppressed below k, a CTDC export
safe against formula injection and free of identities, a fixed number of queries."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, ExploitationForm
from cases.statistics import CTDC_COLUMNS
from members.models import Role
from tests.cases.factories import bulk_cases

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


def test_cells_and_totals_below_k_are_suppressed(secretariat_client, counted_cases):
    response = secretariat_client.get(reverse("cases:statistics"), {"rows": "member_state", "columns": "gender"})
    assert response.status_code == 200
    table = response.context["table"]
    assert table.columns == ["Man", "Woman"]
    # EE's total (15) is hidden too: with 12 women visible it would reveal 3 men.
    assert table.rows == [("EE", [None, 12], None), ("LV", [0, None], None)]

    content = response.content.decode()
    assert _row(content, "EE") == ["&lt;11", "12", "&lt;11"]
    assert _row(content, "LV") == ["0", "&lt;11", "&lt;11"]
    assert "Cells with fewer than 11 cases are suppressed" in content


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
    for content in (response.content.decode("utf-8-sig"), page.content.decode()):
        assert "12" in content  # the cases are counted...
        assert not any(value in content for value in ("Olenka", "Pryhodko", "Kyiv", "EE-20"))  # ...not named


def _count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url_name, params",
    [
        ("cases:statistics", {"rows": "member_state", "columns": "year"}),
        ("cases:statistics", {"rows": "form", "columns": "gender"}),
        ("cases:statistics_export", None),
    ],
)
def test_statistics_queries_do_not_grow_with_cases(secretariat_client, demo_states, url_name, params):
    url = reverse(url_name)
    secretariat_client.get(url, params)  # the session's first request does its own bookkeeping
    bulk_cases(demo_states["EE"], 20, gender="woman", age_band="21-23")
    small = _count_queries(secretariat_client, url, params)
    bulk_cases(demo_states["EE"], 120, gender="man", age_band="30-38", forms=("sexual", "labour"))
    bulk_cases(demo_states["LV"], 60, gender="woman", age_band="48+", forms=("forced_begging",))
    assert _count_queries(secretariat_client, url, params) == small
