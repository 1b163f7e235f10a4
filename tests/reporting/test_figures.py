"""The region's figures from validated returns: as validated for the secretariat (tables, CSV,
the round-up workbook), protected for the public (small cells and what would give them away),
unsuppressed where a state allows it; the pages cost the same with 3 and 30 years."""

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.disclosure import HIDDEN
from members.models import Role
from reporting import published, services
from reporting.figures import PENDING, public_tables, validated_figures
from reporting.models import Indicator
from reporting.published import cached_public_tables, public_indicators
from reporting.services import reporting_states
from tests.reporting.factories import complete_entries, open_call, return_of


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        **{code: make_user(Role.NATIONAL_REPRESENTATIVE, code) for code in ("EE", "LV", "LT")},
    }


def _validated(people, year, figures_by_state, *, unsuppressed=()):
    call = open_call(people["secretariat"], year)
    for code, identified in figures_by_state.items():
        record = return_of(call, code)
        entries = complete_entries(call, victims_identified=identified)
        # The breakdowns of victims.identified add up: all of them under the first part.
        for part in ("sex.female", "age.child", "citizenship.own", "form.sexual"):
            entries[f"victims.identified.{part}"] = services.Entry(number=identified)
        services.return_save(
            return_record=record, entries=entries, publish_unsuppressed=code in unsuppressed, by=people[code]
        )
        services.return_transition(return_record=record, step="submit", by=people[code])
        services.return_transition(return_record=record, step="validate", by=people["secretariat"])
    return call


def _identified():
    return [Indicator.objects.filter(code="victims.identified").order_by("-indicator_set__version").first()]


def test_the_secretariat_sees_every_cell_and_the_region_total(people, login):
    year = timezone.localdate().year - 1
    _validated(people, year, {"EE": 40, "LV": 3, "LT": 25})
    client = login(people["secretariat"])
    page = client.get(reverse("reporting:figures") + "?indicator=victims.identified").content.decode()
    assert ">40<" in page and ">3<" in page and ">68<" in page
    csv = client.get(reverse("reporting:figures_csv") + "?indicator=victims.identified").content.decode()
    assert f"State,{year}" in csv and "Latvia,3" in csv and "Region,68" in csv
    workbook = load_workbook(io.BytesIO(client.get(reverse("reporting:roundup")).content))
    assert "Registered victims" in workbook.sheetnames and "Qualitative answers" in workbook.sheetnames
    rows = list(workbook["Qualitative answers"].iter_rows(values_only=True))
    assert rows[0] == ("State", "Year", "Section", "Answer") and len(rows) == 1 + 3 * 5


def _every_state(people, make_user, **figures):
    """Representatives for every reporting state, and a figure each (30 unless given)."""
    for state in reporting_states():
        people.setdefault(state.code, make_user(Role.NATIONAL_REPRESENTATIVE, state.code))
    return {state.code: figures.get(state.code, 30) for state in reporting_states()}


def test_a_years_region_total_waits_until_every_state_is_validated(people, login, make_user, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    year = timezone.localdate().year - 1
    everyone = _every_state(people, make_user, LV=3)
    _validated(people, year - 1, everyone)
    _validated(people, year, {"EE": 40, "LV": 3})
    table = public_tables(validated_figures(), _identified())[0]
    # The earlier year is complete: its total is shown (or hidden); the later one waits, so
    # that the total does not grow by each state's figure as it is validated.
    assert table.total[0] != PENDING and table.total[1] == PENDING
    assert "pending" in table.note
    secretariat = login(people["secretariat"])
    page = secretariat.get(reverse("reporting:figures") + "?indicator=victims.identified").content.decode()
    assert ">43<" in page  # the secretariat's tables total every validated return


def test_the_public_sees_small_cells_protected_also_against_differencing(people, client, make_user, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    year = timezone.localdate().year - 1
    _validated(people, year, _every_state(people, make_user, EE=40, LV=3, LT=25))
    tables = {one.indicator.code: one for one in public_tables(validated_figures(), _identified())}
    table = tables["victims.identified"]
    cells = dict((name, cells[0]) for name, cells in table.rows)
    assert cells["Latvia"] == HIDDEN
    # Latvia's 3 cannot be worked out from the region's total and the others: one more is hidden
    # (the last state validated: the others' cells were published as they were validated).
    assert [*cells.values(), table.total[0]].count(HIDDEN) >= 2
    page = client.get(reverse("reporting:region") + "?indicator=victims.identified").content.decode()
    assert f">{HIDDEN}<" in page and ">3<" not in page
    # The trend chart of the region's total shows what the table's total row shows, nothing more.
    footer = page[page.index("<tfoot>") : page.index("</tfoot>")]
    shown_total = re.search(r'fw-semibold">([^<]*)<', footer).group(1)
    chart = _chart(page, "region-total")
    assert str(year) in chart and f'count">{shown_total}<' in chart and ">3<" not in chart


def _chart(page, slug):
    start = page.index(f'data-testid="trend-{slug}"')
    return page[start : page.index("</section>", start)]


def test_the_trend_charts_run_year_on_year_for_the_secretariat_as_validated(people, login):
    this_year = timezone.localdate().year
    _validated(people, this_year - 2, {"EE": 40, "LV": 3})
    _validated(people, this_year - 1, {"EE": 50, "LV": 4})
    page = login(people["secretariat"]).get(reverse("reporting:figures")).content.decode()
    chart = _chart(page, "region-total")
    assert chart.index(str(this_year - 2)) < chart.index(">43<") < chart.index(str(this_year - 1)) < chart.index(">54<")
    # The longest bar is the larger year's; the secretariat's chart has no hidden cells.
    assert 'width="100%"' in chart and f">{HIDDEN}<" not in chart


def test_a_state_may_publish_its_national_totals_unsuppressed(people, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    year = timezone.localdate().year - 1
    _validated(people, year, {"EE": 40, "LV": 3, "LT": 25}, unsuppressed=("LV",))
    table = public_tables(validated_figures(), _identified())[0]
    assert dict((name, cells[0]) for name, cells in table.rows)["Latvia"] == 3


def test_drafts_and_submitted_returns_are_not_in_the_figures(people, client):
    year = timezone.localdate().year - 1
    call = open_call(people["secretariat"], year)
    services.return_save(return_record=return_of(call, "EE"), entries=complete_entries(call), by=people["EE"])
    assert validated_figures().numbers == {}
    assert 'data-testid="region-empty"' in client.get(reverse("reporting:region")).content.decode()


@pytest.mark.parametrize("page", ["public", "secretariat"])
def test_the_figures_pages_cost_the_same_with_3_and_30_years(people, login, client, assert_constant_queries, page):
    this_year = timezone.localdate().year
    for n in range(1, 4):
        _validated(people, this_year - n, {"EE": 12 + n, "LV": 2})

    def grow():
        for n in range(4, 31):
            _validated(people, this_year - n, {"EE": 12 + n, "LV": 2})

    if page == "public":
        urls, who = [reverse("reporting:region")], client
    else:
        urls, who = [reverse("reporting:figures"), reverse("reporting:index")], login(people["secretariat"])
    # Cold each time: the public tables are cached until a return is validated or reopened.
    assert_constant_queries(who, *urls, grow=grow, prepare=cache.clear)


def test_a_confidential_part_cannot_be_worked_out_from_the_total_and_the_other_parts(people, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    call = open_call(people["secretariat"], timezone.localdate().year - 1)
    record = return_of(call, "EE")
    entries = complete_entries(call, victims_identified=40)
    entries["victims.identified"] = services.Entry(number=40, note="One man's figure is confidential.")
    entries["victims.identified.sex.female"] = services.Entry(number=39)
    entries["victims.identified.sex.male"] = services.Entry(status="confidential", note="One man: he could be named.")
    services.return_save(return_record=record, entries=entries, by=people["EE"])
    services.return_transition(return_record=record, step="submit", by=people["EE"])
    services.return_transition(return_record=record, step="validate", by=people["secretariat"])
    indicators = Indicator.objects.filter(code__startswith="victims.identified", indicator_set=call.indicator_set)
    tables = {one.indicator.code: one for one in public_tables(validated_figures(), list(indicators))}

    def estonia(code):
        return dict(tables[code].rows)["Estonia"][0]

    assert estonia("victims.identified.sex.male") == "Confidential"
    # 40 - 39 would give the man away: the total or the women's 39 is hidden as well.
    assert HIDDEN in (estonia("victims.identified"), estonia("victims.identified.sex.female"))


def test_the_kept_public_tables_change_with_a_validation_and_with_k(
    people, client, settings, django_capture_on_commit_callbacks
):
    settings.THB_STATISTICS_MIN_CELL = 11
    year = timezone.localdate().year - 1
    url = reverse("reporting:region") + "?indicator=victims.identified"
    _validated(people, year - 1, {"EE": 40})
    assert ">40<" in client.get(url).content.decode()  # kept now
    # A validation, once committed, replaces the token: the next visitor sees the new year.
    with django_capture_on_commit_callbacks(execute=True):
        _validated(people, year, {"EE": 45})
    assert ">45<" in client.get(url).content.decode()
    # A change of k is published by the refresh every migrate runs (a deploy): until then the
    # pages show what was published, after it every year protected with the new k.
    settings.THB_STATISTICS_MIN_CELL = 50
    assert ">45<" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert published.refresh() == 2
    page = client.get(url).content.decode()
    assert ">45<" not in page and f">{HIDDEN}<" in page and "Counts from 1 to 49" in page
    assert published.refresh() == 0  # nothing differs now


def test_each_public_table_is_kept_under_its_own_key_and_a_lost_one_is_computed_again(
    people, client, django_assert_num_queries
):
    _validated(people, timezone.localdate().year - 1, {"EE": 40, "LV": 30})
    every = cached_public_tables()
    assert [one.indicator.code for one in cached_public_tables(["victims.identified"])] == ["victims.identified"]
    assert [one.indicator for one in every] == public_indicators()
    with django_assert_num_queries(0):
        assert client.get(reverse("reporting:region") + "?indicator=victims.presumed").status_code == 200
    # A table evicted on its own (the cache's memory is full): the tables are computed again.
    cache.delete(next(key for key in _kept_keys() if key.endswith(":victims.identified")))
    again = cached_public_tables(["victims.identified", "victims.presumed"])
    assert [one.indicator.code for one in again] == ["victims.identified", "victims.presumed"]
    assert again[0].rows == every[0].rows


def _kept_keys():
    prefix = published._kept_prefix()
    return [f"{prefix}:{one.code}" for one in public_indicators()]
