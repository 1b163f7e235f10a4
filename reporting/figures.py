"""The region's figures from validated returns: per indicator, each reporting state's number
per year and the region's total. The secretariat reads them as they are (for the round-up
report); the public reads them through core.disclosure, as one publication.

The public publication holds every indicator's table (a reader can ask for each), with the
equations that hold between its counts: a year's region total is the sum of the states that
gave a number, and a state's total is the sum of each of its breakdowns (declared even where
the state explained a difference: a false equation can only hide more). A state's national
totals are shown as they are when its return says they may be published unsuppressed; the
analysis then counts them as known, never hiding them to protect another cell.

Every publication of a year is kept (Publication, written by the changes that make one, never
on a GET), and each later one is protected against all of them: a correction's difference
to a published total, or a cell shown before and hidden now, gives nothing away.
"""

import hashlib
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q

from core.disclosure import HIDDEN, Equation, Key, hidden_note, protect
from reporting.models import (
    DataCall,
    Indicator,
    IndicatorKind,
    IndicatorSet,
    Publication,
    ReturnStatus,
    Value,
    ValueStatus,
)

REGION = "region"
# A cell of the tables: (indicator code, state code or REGION, year).
Cell = tuple[str, str, int]


@dataclass(frozen=True)
class Figures:
    """Validated numbers by (indicator code, state code, year), and what is not given."""

    numbers: dict[tuple[str, str, int], int]
    # (code, state, year) -> "not available" / "confidential".
    not_given: dict[tuple[str, str, int], str]
    years: list[int]
    states: list[tuple[str, str]]  # (code, name), by name
    # States whose validated national totals may be shown unsuppressed, by year.
    unsuppressed: set[tuple[str, int]]
    # Years whose data call has every return validated, or the rest not reported when it was
    # closed: only these have a public region total.
    complete_years: frozenset[int] = frozenset()
    # (state, year) -> the validation its values come from (return id and time): a value of the
    # same validation is the same number, in any publication; a revalidated one is new.
    versions: dict[tuple[str, int], str] = field(default_factory=dict)

    def version(self, key: Any) -> str | None:
        """The validation a cell comes from; a region total's, from every return of its year."""
        _, state, year = key
        if state != REGION:
            return self.versions.get((state, year))
        summed = sorted(version for (_, one_year), version in self.versions.items() if one_year == year)
        return hashlib.sha256(" ".join(summed).encode()).hexdigest()[:16]


def validated_figures(codes: Iterable[str] | None = None, years: Iterable[int] | None = None) -> Figures:
    """Two queries: every value of every validated return (of the indicators `codes` and the
    `years` only, when given: the secretariat's page reads one table, a publication one year),
    and which calls are complete."""
    values = Value.objects.filter(return_record__status=ReturnStatus.VALIDATED)
    if codes is not None:
        values = values.filter(indicator__code__in=list(codes))
    if years is not None:
        values = values.filter(return_record__data_call__year__in=list(years))
    rows = values.values_list(
        "indicator__code",
        "return_record__member_state__code",
        "return_record__member_state__name",
        "return_record__data_call__year",
        "status",
        "number",
        "return_record__publish_unsuppressed",
        "return_record_id",
        "return_record__validated_at",
    ).order_by()
    numbers, not_given, found_years, states, unsuppressed, versions = {}, {}, set(), {}, set(), {}
    for code, state, name, year, status, number, open_totals, return_id, validated_at in rows:
        found_years.add(year)
        states[state] = name
        versions[(state, year)] = f"{return_id}@{validated_at.isoformat() if validated_at else ''}"
        if open_totals:
            unsuppressed.add((state, year))
        if status == ValueStatus.GIVEN and number is not None:
            numbers[(code, state, year)] = number
        elif status != ValueStatus.GIVEN:
            not_given[(code, state, year)] = ValueStatus(status).label
    # Complete: every return validated, or not reported when the call was closed (a return
    # reopened for a correction makes its year pending again).
    settled = (ReturnStatus.VALIDATED, ReturnStatus.NOT_REPORTED)
    calls = (
        DataCall.objects.annotate(
            open_returns=Count("returns", filter=~Q(returns__status__in=settled)),
        )
        .filter(open_returns=0)
        .values_list("year", flat=True)
    )
    return Figures(
        numbers=numbers,
        not_given=not_given,
        years=sorted(found_years),
        states=sorted(states.items(), key=lambda item: item[1]),
        unsuppressed=unsuppressed,
        complete_years=frozenset(calls) & found_years,
        versions=versions,
    )


def number_indicators() -> list[Indicator]:
    """The latest set's number indicators (their codes are stable across versions)."""
    latest = IndicatorSet.objects.order_by("-version").first()
    if latest is None:
        return []
    return list(latest.indicators.filter(kind=IndicatorKind.NUMBER).order_by("position"))


@dataclass
class Table:
    indicator: Indicator
    years: list[int]
    # (state name, cells by year): a number, "c" (hidden), "n/a"/"confidential", or "" (no return).
    rows: list[tuple[str, list[object]]]
    total: list[object]
    note: str = ""
    # The rows' state codes, in the same order: a state is found by its code, which a rename
    # does not change.
    codes: tuple[str, ...] = ()


def _cell(figures: Figures, key: tuple[str, str, int]) -> object:
    if key in figures.numbers:
        return figures.numbers[key]
    return figures.not_given.get(key, "")


def table(indicator: Indicator, figures: Figures, shown=None) -> Table:
    """The indicator's table; `shown(key)` gives the cell to show for a key (default: as it is)."""
    shown = shown or (lambda key: _cell(figures, key))
    rows = [(name, [shown((indicator.code, code, year)) for year in figures.years]) for code, name in figures.states]
    total = [shown((indicator.code, REGION, year)) for year in figures.years]
    codes = tuple(code for code, _ in figures.states)
    return Table(indicator=indicator, years=figures.years, rows=rows, total=total, codes=codes)


def region_totals(
    figures: Figures, indicators: Iterable[Indicator], years: Iterable[int] | None = None
) -> dict[tuple[str, str, int], int]:
    """The sum of the states that gave a number; none where no state did (a year before
    the indicator was asked for shows no total, not a 0)."""
    totals = {}
    for indicator in indicators:
        for year in figures.years if years is None else years:
            given = [figures.numbers.get((indicator.code, code, year)) for code, _ in figures.states]
            if any(number is not None for number in given):
                totals[(indicator.code, REGION, year)] = sum(number or 0 for number in given)
    return totals


def secretariat_tables(figures: Figures, indicators: list[Indicator]) -> list[Table]:
    """As validated, no cell hidden: for the round-up report."""
    totals = region_totals(figures, indicators)

    def shown(key):
        return totals.get(key, "") if key[1] == REGION else _cell(figures, key)

    return [table(indicator, figures, shown) for indicator in indicators]


def _year_equations(
    indicators: list[Indicator], states: list[str], year: int, numbers: Container[Key], present: Container[Key]
) -> list[Equation]:
    """The equations between one year's cells: the region's total of each indicator is the sum
    of the states' numbers (where the total is in `numbers`: a complete year's), and a total
    is the sum of each of its breakdowns, over the parts `present` (an indicator added in a
    later version is not one of an earlier year's)."""
    equations = []
    for indicator in indicators:
        total = (indicator.code, REGION, year)
        if total in numbers:
            parts = tuple(key for state in states if (key := (indicator.code, state, year)) in numbers)
            equations.append(Equation(total=total, parts=parts))
    breakdowns: dict[tuple[str, str], list[str]] = {}
    for indicator in indicators:
        if indicator.total_code:
            breakdowns.setdefault((indicator.total_code, indicator.breakdown), []).append(indicator.code)
    for (total_code, _), codes in breakdowns.items():
        for state in [*states, REGION]:
            total = (total_code, state, year)
            parts = tuple(key for code in codes if (key := (code, state, year)) in present)
            if total in present and parts:
                equations.append(Equation(total=total, parts=parts))
    return equations


@dataclass
class _System:
    counts: dict[Key, int]
    equations: dict[Equation, None]  # in order, once each
    known: set[Key]
    withheld: set[Key]


def _add_earlier(system: _System, publication: Publication, figures: Figures, indicators: list[Indicator]) -> None:
    """What readers saw in an earlier publication of the year, as equations of this one: a
    cell of the same validation (the same return's values, a total over the same returns) is
    the same term, known if it was shown then; any other is a term of its own, keyed by its
    validation (never by its value: two validations may give the same number, and a total
    over other returns may equal an earlier one by chance), known if it was shown, withheld
    otherwise. So a correction's difference, or a cell shown before and hidden now, gives
    nothing away."""
    year = publication.year
    old: dict[Key, Any] = {}
    old_version: dict[Key, str | None] = {}
    shown = set()
    for code, state, value, was_shown, *version in publication.cells:
        cell = (code, state, year)
        old[cell], old_version[cell] = value, version[0] if version else None
        if was_shown:
            shown.add(cell)
    not_given: dict[Key, str] = {key: status for key, status in figures.not_given.items()}

    def term(key: Key) -> Key:
        current = key in system.counts or key in not_given
        if current and old_version[key] is not None and old_version[key] == figures.version(key):
            return key
        return ("was", key, old_version[key], old[key])

    # In the current publication's order, so that an unchanged equation is the same one.
    order = {code: index for index, (code, _) in enumerate(figures.states)}
    states = sorted(
        {state for _, state, *_ in publication.cells if state != REGION},
        key=lambda code: (order.get(code, len(order)), code),
    )
    numbers = {key for key, value in old.items() if isinstance(value, int)}
    for equation in _year_equations(indicators, states, year, numbers, old.keys()):
        system.equations.setdefault(Equation(total=term(equation.total), parts=tuple(map(term, equation.parts))))
    for key, value in old.items():
        mapped = term(key)
        if key in shown:
            system.known.add(mapped)
            system.counts.setdefault(mapped, value)
        elif mapped != key or key in not_given:
            system.withheld.add(mapped)


def public_cells(
    figures: Figures,
    indicators: list[Indicator],
    *,
    k: int | None = None,
    earlier: Iterable[Publication] | None = None,
) -> dict[Cell, object]:
    """Every cell of the one public publication as shown, small cells protected (see the
    module's notes), against the `earlier` publications too (default: every one kept of
    these years)."""
    k = settings.THB_STATISTICS_MIN_CELL if k is None else k
    earlier = Publication.objects.filter(year__in=figures.years) if earlier is None else earlier
    # A year's region total only once every state's return for it is validated: a total that
    # grew with each validation would give each state's hidden cells away by its differences.
    totals = region_totals(figures, indicators, sorted(figures.complete_years))
    counts: dict[Key, int] = {key: count for source in (figures.numbers, totals) for key, count in source.items()}
    # A "not available" or "confidential" answer is a term of its equations all the same:
    # never shown, and protected like a small count (a confidential total is not the sum of
    # its shown parts).
    present = counts.keys() | figures.not_given.keys()
    states = [code for code, _ in figures.states]
    equations = dict.fromkeys(
        equation for year in figures.years for equation in _year_equations(indicators, states, year, counts, present)
    )
    withheld = {term for equation in equations for term in equation.terms if term in figures.not_given}
    national = {indicator.code for indicator in indicators if not indicator.total_code}
    open_keys = {key for key in figures.numbers if key[0] in national and (key[1], key[2]) in figures.unsuppressed}
    system = _System(counts=counts, equations=equations, known=set(open_keys), withheld=withheld)
    for publication in earlier:
        _add_earlier(system, publication, figures, indicators)
    protected = protect(system.counts, system.equations, k=k, known=system.known, withheld=system.withheld)

    def shown(key):
        if key in figures.not_given:
            return figures.not_given[key]
        if key in open_keys:
            return counts[key]
        if key in counts:
            value = protected.value(key)
            return HIDDEN if value is None else value
        if key[1] == REGION and key[2] not in figures.complete_years:
            return PENDING
        return ""

    return {
        (indicator.code, state, year): shown((indicator.code, state, year))
        for indicator in indicators
        for state in [*states, REGION]
        for year in figures.years
    }


def public_tables(
    figures: Figures,
    indicators: list[Indicator],
    *,
    k: int | None = None,
    earlier: Iterable[Publication] | None = None,
) -> list[Table]:
    """Every table of the one public publication (public_cells)."""
    k = settings.THB_STATISTICS_MIN_CELL if k is None else k
    cells = public_cells(figures, indicators, k=k, earlier=earlier)
    tables = [table(indicator, figures, cells.__getitem__) for indicator in indicators]
    note = f"{hidden_note(k)} {PENDING_NOTE}" if len(figures.complete_years) < len(figures.years) else hidden_note(k)
    for one in tables:
        one.note = note
    return tables


# A year's region total before every return of its data call is validated.
PENDING = "pending"
PENDING_NOTE = (
    "“pending”: the region's total of a year is shown once every state's return for it is validated, "
    "or the secretariat has closed the year's data call."
)


def trend(cells: list[object], years: list[int]) -> list[dict[str, object]]:
    """Bars for a row of a public table: each year with its count; hidden or missing cells
    have no bar (their text says why)."""
    numbers = [cell for cell in cells if isinstance(cell, int)]
    top = max(numbers, default=0) or 1
    return [
        {
            "label": year,
            "count": cell if cell != "" else "no return",
            "width": (cell / top * 100) if isinstance(cell, int) else 0,
        }
        for year, cell in zip(years, cells, strict=True)
    ]
