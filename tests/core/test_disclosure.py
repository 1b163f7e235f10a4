"""core.disclosure: small counts are hidden, and so are enough others that no hidden
count can be worked out from the counts and totals shown together."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.disclosure import Equation, determined_terms, hidden_note, protect
from tests.core.audit import determined, recovered_by_subtraction, subtractions


def crosstab(name: str, cells: list[list[int]], *, row_totals: str = "", grand_total: str = ""):
    """Counts and equations of one table with its row and column totals. Row totals are
    named by `row_totals` when another table shares them (the same state's total)."""
    counts, equations = {}, []
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            counts[(name, i, j)] = value
    for i, row in enumerate(cells):
        total = (row_totals or name, "row", i)
        counts[total] = sum(row)
        equations.append(Equation(total, tuple((name, i, j) for j in range(len(row)))))
    for j in range(len(cells[0])):
        counts[(name, "column", j)] = sum(row[j] for row in cells)
        equations.append(Equation((name, "column", j), tuple((name, i, j) for i in range(len(cells)))))
    if grand_total:
        counts[grand_total] = sum(map(sum, cells))
        equations.append(Equation(grand_total, tuple((name, "column", j) for j in range(len(cells[0])))))
        equations.append(Equation(grand_total, tuple((row_totals or name, "row", i) for i in range(len(cells)))))
    return counts, equations


def shown(protected) -> dict:
    return {key: protected.value(key) for key in protected.counts}


def as_pairs(equations) -> list:
    return [(equation.total, equation.parts) for equation in equations]


def test_estonia_total_minus_its_visible_gender_cells_no_longer_gives_the_hidden_one():
    # Estonia: 12 men, 15 women, 1 trans/other; its total is shown in the table by year too.
    by_gender, gender_equations = crosstab("gender", [[12, 15, 1], [0, 20, 0]], row_totals="state")
    by_year, year_equations = crosstab("year", [[28], [20]], row_totals="state")
    protected = protect({**by_gender, **by_year}, gender_equations + year_equations, k=11)
    assert protected.value(("gender", 0, 2)) is None
    equations = as_pairs(gender_equations + year_equations)
    assert subtractions(shown(protected), equations) == []
    assert determined(shown(protected), equations) == []
    # Each table still shows what it safely can: Latvia's 20 women.
    assert protected.value(("gender", 1, 1)) == 20


def test_a_combination_of_equations_that_no_single_one_gives_away_is_closed_too():
    # Two blocks of small cells joined by one small cell: every row and column has two or
    # more hidden cells, yet rows 0 and 1 minus columns 0 and 1 leave the joining cell alone.
    cells = [[1, 2, 1, 0], [2, 1, 0, 0], [0, 0, 1, 2], [0, 0, 2, 1]]
    counts, equations = crosstab("t", cells)
    primary = {key for key, value in counts.items() if 0 < value < 3}
    assert determined_terms(primary, equations) == {("t", 0, 2)}
    protected = protect(counts, equations, k=3)
    assert determined(shown(protected), as_pairs(equations)) == []


def test_hidden_cells_that_could_only_each_be_one_get_company():
    # 13 = 11 + 1 + 1: two hidden cells summing to 2, and every hidden count is at least 1.
    counts = {"total": 13, "a": 11, "b": 1, "c": 1}
    protected = protect(counts, [Equation("total", ("a", "b", "c"))], k=3)
    assert protected.hidden == {"a", "b", "c"}
    assert protected.value("total") == 13


def test_zero_is_shown_and_a_cell_of_k_too():
    counts = {"total": 11, "a": 11, "b": 0}
    protected = protect(counts, [Equation("total", ("a", "b"))], k=11)
    assert protected.hidden == frozenset()
    assert (protected.value("a"), protected.value("b")) == (11, 0)


def test_the_total_is_hidden_when_no_visible_cell_is_left_to_hide():
    counts = {"total": 2, "a": 2, "b": 0, "column": 30, "other": 28}
    protected = protect(counts, [Equation("total", ("a", "b")), Equation("column", ("a", "other"))], k=3)
    # 'a' hidden; its row has no other non-zero cell, so the row's total goes (it is small
    # anyway); its column hides the smallest other cell.
    assert protected.hidden == {"a", "total", "other"}


def test_a_total_known_elsewhere_is_never_what_hides_a_cell():
    # Estonia's one case is trans/other. Hiding Estonia's total would do, but the reader
    # can count Estonia's cases elsewhere (the admin list): its zeros are hidden instead.
    counts = {"EE": 1, "EE man": 0, "EE woman": 0, "EE trans/other": 1, "LV": 30, "LV man": 10, "LV woman": 20}
    equations = [
        Equation("EE", ("EE man", "EE woman", "EE trans/other")),
        Equation("LV", ("LV man", "LV woman", "LV trans/other")),
    ]
    counts["LV trans/other"] = 0
    without = protect(counts, equations, k=3)
    assert "EE" in without.hidden and "EE man" not in without.hidden
    protected = protect(counts, equations, k=3, known={"EE", "LV"})
    assert {"EE man", "EE woman", "EE trans/other"} <= protected.hidden
    assert "EE" in protected.hidden  # still shown hidden, as every small count
    what_the_reader_knows = shown(protected) | {"EE": 1, "LV": 30}
    assert determined(what_the_reader_knows, as_pairs(equations)) == []
    assert subtractions(what_the_reader_knows, as_pairs(equations)) == []
    assert protected.value("LV man") == 10


def test_a_withheld_term_is_never_shown_and_cannot_be_worked_out_from_the_others():
    # A state's total of 40 with its "organs" part confidential (one victim): the total
    # minus the shown parts would give it, so one more part is hidden.
    counts = {"total": 40, "sexual": 25, "labour": 14}
    protected = protect(counts, [Equation("total", ("sexual", "labour", "organs"))], k=3, withheld={"organs"})
    assert "organs" in protected.hidden and protected.value("organs") is None
    assert "labour" in protected.hidden and protected.value("sexual") == 25
    # A confidential total whose parts are all given: a part goes, or their sum is the total.
    parts = {"female": 30, "male": 12}
    protected = protect(parts, [Equation("total", ("female", "male"))], k=3, withheld={"total"})
    assert "total" in protected.hidden and "male" in protected.hidden


def test_equations_naming_unknown_counts_or_a_bad_k_are_refused():
    with pytest.raises(ValueError, match="not given"):
        protect({"a": 1}, [Equation("total", ("a",))], k=3)
    with pytest.raises(ValueError, match="at least 1"):
        protect({"a": 1}, [], k=0)


def test_the_note_says_small_counts_and_some_others_are_hidden():
    assert "Counts from 1 to 10 are hidden, and so are some other counts and totals" in hidden_note(11)


COUNTS = st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4, 5, 7, 12, 30])


@st.composite
def linked_tables(draw):
    """One to three tables sharing their row totals (the same states), each with its own
    columns; sometimes a grand total shown as well."""
    rows = draw(st.integers(1, 4))
    tables = []
    for _ in range(draw(st.integers(1, 3))):
        columns = draw(st.integers(1, 4))
        tables.append(
            draw(st.lists(st.lists(COUNTS, min_size=columns, max_size=columns), min_size=rows, max_size=rows))
        )
    # Shared row totals must agree: scale every table to the first one's row sums by
    # putting the difference into a last column of its own.
    sums = [sum(row) for row in tables[0]]
    for table in tables[1:]:
        for i, row in enumerate(table):
            gap = sums[i] - sum(row)
            if gap >= 0:
                row.append(gap)
            else:
                sums[i] = sum(row)
    for table in tables:  # settle rows that grew after an earlier table was aligned
        for i, row in enumerate(table):
            if sum(row) < sums[i]:
                row.append(sums[i] - sum(row))
    grand = draw(st.booleans())
    counts, equations = {}, []
    for index, table in enumerate(tables):
        width = max(len(row) for row in table)
        table = [row + [0] * (width - len(row)) for row in table]
        c, e = crosstab(f"t{index}", table, row_totals="state", grand_total="all" if grand else "")
        counts.update(c)
        equations.extend(e)
    return counts, equations, draw(st.sampled_from([2, 3, 5, 11]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables())
def test_no_hidden_count_is_determined_by_the_margin_equations(tables):
    counts, equations, k = tables
    for equation in equations:  # the generator made consistent tables
        assert counts[equation.total] == sum(counts[part] for part in equation.parts)
    protected = protect(counts, equations, k=k)
    values = shown(protected)
    assert all(values[key] is None for key, count in counts.items() if 0 < count < k)
    assert all(values[key] == 0 for key, count in counts.items() if count == 0)
    assert determined(values, as_pairs(equations)) == []
    assert subtractions(values, as_pairs(equations)) == []
    # No hidden parts of a row with a shown total are pinned to 1 each.
    for equation in equations:
        hidden_parts = [p for p in equation.parts if values[p] is None]
        if values[equation.total] is not None and len(hidden_parts) > 1:
            known = values[equation.total] - sum(values[p] for p in equation.parts if values[p] is not None)
            assert known > len(hidden_parts)
    assert protect(counts, equations, k=k) == protected  # deterministic


@settings(max_examples=100, deadline=None)
@given(linked_tables(), st.randoms(use_true_random=False))
def test_the_exact_test_agrees_with_plain_elimination_on_any_hidden_set(tables, random):
    counts, equations, _ = tables
    hidden = {key for key in counts if random.random() < 0.4}
    values = {key: None if key in hidden else count for key, count in counts.items()}
    assert determined_terms(hidden, equations) == set(determined(values, as_pairs(equations)))


@settings(max_examples=100, deadline=None)
@given(linked_tables(), st.randoms(use_true_random=False))
def test_counts_known_elsewhere_give_away_nothing_they_do_not_give_alone(tables, random):
    # As the case admin tells the secretariat each state's number of cases: some shared
    # row totals are known to the reader whatever the page shows.
    counts, equations, k = tables
    known = {key for key in counts if key[0] == "state" and random.random() < 0.7}
    protected = protect(counts, equations, k=k, known=known)
    assert all(protected.value(key) is None for key, count in counts.items() if 0 < count < k)
    reader = shown(protected) | {key: counts[key] for key in known}
    # Only what the known counts fix by themselves (a one-column table's cells are its
    # known row totals) may be determined.
    alone = {key: counts[key] if key in known else None for key in counts}
    assert set(determined(reader, as_pairs(equations))) <= set(determined(alone, as_pairs(equations)))
    assert recovered_by_subtraction(reader, as_pairs(equations)) <= set(determined(alone, as_pairs(equations)))
