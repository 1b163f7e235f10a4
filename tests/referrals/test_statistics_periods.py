"""Referral statistics by period: all years or one calendar year of sending, each year's
tables and the all-years tables protected together, so that no subtraction of one period
from another gives a hidden count; invalid periods refused with a message (400); a fixed
number of queries."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from referrals.models import Referral
from referrals.statistics import referral_statistics
from tests.cases.factories import make_case
from tests.core.audit import determined, subtractions
from tests.referrals.factories import make_consent

K = 3
URL = "referrals:statistics"


def _at(year: int, month: int, day: int = 10) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 9, 0))


@pytest.fixture
def make_sent(ee_ncp, demo_states):
    """Sent referrals from Estonia in bulk: (receiving state, sent at, purpose, status)."""
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states[c] for c in ("LV", "LT", "FI")])
    serial = iter(range(1, 10_000))

    def make(rows) -> None:
        Referral.objects.bulk_create(
            [
                Referral(
                    reference=f"PER-{next(serial):04d}",
                    case=case,
                    consent=consent,
                    sending_state=demo_states["EE"],
                    receiving_state=demo_states[receiving],
                    purpose=purpose,
                    shared_categories=["case_variables"],
                    snapshot={"case_variables": {}},
                    status=status,
                    sent_at=sent_at,
                    ack_deadline=sent_at + timedelta(days=5),
                    acknowledged_at=sent_at + timedelta(hours=3) if status != "sent" else None,
                )
                for receiving, sent_at, purpose, status in rows
            ]
        )

    return make


@pytest.fixture
def two_years(settings, make_sent):
    """EE->LV: 5 sent in 2025 and 2 in 2026 (7 in all); EE->LT: 4 and 6; all acknowledged."""
    settings.THB_STATISTICS_MIN_CELL = K
    make_sent(
        [("LV", _at(2025, 3), "assistance", "acknowledged")] * 5
        + [("LV", _at(2026, 2), "assistance", "acknowledged")] * 2
        + [("LT", _at(2025, 4), "return", "acknowledged")] * 4
        + [("LT", _at(2026, 5), "return", "acknowledged")] * 6
    )
    return [2025, 2026]


def test_a_year_shows_the_referrals_sent_in_it(two_years):
    stats = referral_statistics(k=1, year=2026)
    assert stats["total"] == 8
    assert stats["by_route"] == [("EE → LT", 6), ("EE → LV", 2)]
    assert stats["by_month"] == [("2026-02", 2), ("2026-05", 6)]
    assert referral_statistics(k=1)["by_route"] == [("EE → LT", 10), ("EE → LV", 7)]


def _page(page: str, period: int | None) -> tuple[dict, list]:
    """One page read as an attacker would: its total and each table's cells (keyed by the
    period, except months, which are one year's whatever the page), and the equations
    between them (every table adds up to the total)."""
    match = re.search(r"<p>(?:In \d+, )?(\d+) referrals? sent|<p>(?:In \d+, the|The) number of referrals", page)
    values: dict = {("total", period): int(match.group(1)) if match.group(1) else None}
    equations = []
    for caption, body in re.findall(r"<caption>(.*?)(?:, \d{4})?\.[^<]*</caption>.*?<tbody>(.*?)</tbody>", page):
        parts = []
        for label, value in re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', body):
            key = (caption, label) if caption == "By month sent" else (caption, label, period)
            values[key] = None if value == "c" else int(value)
            parts.append(key)
        equations.append((("total", period), parts))
    assert len(equations) == 4
    return values, equations


def _every_period(client, years: list[int]) -> tuple[dict, list]:
    values: dict = {}
    equations = []
    for period in [None, *years]:
        response = client.get(reverse(URL), {"period": period} if period else {})
        assert response.status_code == 200
        page_values, page_equations = _page(response.content.decode(), period)
        for key, value in page_values.items():
            assert values.setdefault(key, value) == value, f"{key} shows differently in two periods"
        equations += page_equations
    # The page says periods are calendar years: all years are the sum of the years.
    equations.append((("total", None), [("total", year) for year in years]))
    for key in [key for key in values if len(key) == 3 and key[2] is None]:
        equations.append((key, [(*key[:2], year) for year in years if (*key[:2], year) in values]))
    return values, equations


def test_subtracting_one_year_from_all_years_does_not_give_a_count_below_k(client, login, make_user, two_years):
    login(make_user(Role.SECRETARIAT))
    values, equations = _every_period(client, two_years)
    route = "By sending and receiving state"
    # 7 to Latvia in all, 5 in 2025: showing both would give the 2 of 2026.
    assert values[(route, "EE → LV", 2026)] is None
    assert values[(route, "EE → LV", None)] is None or values[(route, "EE → LV", 2025)] is None
    assert not [value for value in values.values() if value is not None and 0 < value < K]
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []
    assert values[("total", None)] == 17  # what is safe is still shown


def test_no_subtraction_across_the_periods_of_referrals_sent_through_the_services(
    client, login, make_user, settings, make_sent
):
    settings.THB_STATISTICS_MIN_CELL = K
    make_sent(
        [("LV", _at(2024, 11), "assistance", "sent")] * 3
        + [("LV", _at(2025, 1), "return", "acknowledged")]
        + [("FI", _at(2025, 1), "assistance", "acknowledged")] * 4
        + [("FI", _at(2025, 6), "assistance", "sent")] * 2
        + [("LT", _at(2026, 6), "tracing", "acknowledged")] * 5
        + [("LV", _at(2026, 7), "assistance", "sent")]
    )
    login(make_user(Role.SECRETARIAT))
    values, equations = _every_period(client, [2024, 2025, 2026])
    assert any(value is None for value in values.values()) and any(values.values())
    assert not [value for value in values.values() if value is not None and 0 < value < K]
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []


@pytest.mark.parametrize(
    "period, message",
    [
        ("last year", "“last year” is not a year. Choose “All years” or a year from the list."),
        ("2025.5", "is not a year"),
        ("2025", "There are no referrals sent in 2025. Choose “All years” or a year from the list."),
        ("2030", "2030 is out of range: these statistics cover 2024 to 2026."),
    ],
)
def test_an_invalid_period_is_refused_with_a_message_and_kept_in_the_form(
    client, login, make_user, settings, make_sent, period, message
):
    settings.THB_STATISTICS_MIN_CELL = K
    make_sent([("LV", _at(2024, 5), "assistance", "sent"), ("LV", _at(2026, 5), "assistance", "sent")])
    login(make_user(Role.SECRETARIAT))
    response = client.get(reverse(URL), {"period": period})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'data-field-error="period"' in page and 'aria-invalid="true"' in page
    assert f'<option value="{period}" selected>{period}</option>' in page
    assert "<table" not in page


def test_with_no_referrals_a_year_is_refused_and_all_years_shown(client, login, make_user):
    login(make_user(Role.SECRETARIAT))
    assert client.get(reverse(URL)).status_code == 200
    response = client.get(reverse(URL), {"period": "2026"})
    assert response.status_code == 400
    assert "There are no referrals sent yet, so there is no year to choose." in response.content.decode()


def test_the_note_beside_each_table_names_the_marker_and_k(client, login, make_user, two_years):
    login(make_user(Role.SECRETARIAT))
    page = client.get(reverse(URL), {"period": "2026"}).content.decode()
    assert page.count("“c”: hidden. Counts from 1 to 2 are hidden, and so are some other counts and totals") == 4
    assert "<caption>By sending and receiving state, 2026." in page


@pytest.mark.parametrize("params", [{}, {"period": "2025"}])
def test_the_statistics_queries_do_not_grow_with_referrals(
    login, make_user, settings, make_sent, params, assert_constant_queries
):
    settings.THB_STATISTICS_MIN_CELL = K
    make_sent([("LV", _at(2025, 3), "assistance", "acknowledged")] * 3)

    def grow():
        make_sent(
            [("LT", _at(2025, month), "return", "sent") for month in range(1, 13)] * 10
            + [("FI", _at(2026, month), "tracing", "acknowledged") for month in range(1, 13)] * 10
        )

    assert_constant_queries(login(make_user(Role.SECRETARIAT)), f"{reverse(URL)}?{urlencode(params)}", grow=grow)
