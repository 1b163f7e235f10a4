"""Anonymised case statistics for the secretariat.

Counts come from SQL aggregates over pseudonymous variables only, and are shown
through core.disclosure: counts of 1 to k-1 (THB_STATISTICS_MIN_CELL; CTDC publishes
with k = 11) are hidden, and so are enough other cells and totals that no hidden one
can be worked out by differencing.

The page shows one table at a time, rows by columns, but any reader can ask for every
pair of dimensions, and the tables share their totals (a state's total is the same in
its table by gender and by year). So the whole family of tables is protected as one
publication, and each table is cut from it: a cell hidden in one view is hidden in all.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from django.conf import settings
from django.db.models import Count

from cases.models import AgeBand, Case, ExploitationForm, Gender
from core.disclosure import HIDDEN, Equation, Key, Protected, hidden_note, is_small, protect

DIMENSIONS = {
    "member_state": ("Member state", "member_state__code"),
    "year": ("Year", "year"),
    "form": ("Form of exploitation", "forms_of_exploitation__code"),
    "gender": ("Gender", "gender"),
    "age_band": ("Age band", "age_band"),
}
# The secretariat's case admin lists each case's state and year, so counts by those two
# are known to every reader of this page: they are never relied on to hide another.
KNOWN_ELSEWHERE = ("member_state", "year")
# A case can have several forms of exploitation, so counts by form come from a join
# (one row per case and form); every other count from the cases alone.
MULTI_VALUED = "form"


@dataclass
class Table:
    row_label: str
    column_label: str
    columns: list[str]
    rows: list[tuple[str, list[int | None], int | None]]  # (row, cells, total); None = hidden
    k: int

    # How the page and any export show a hidden count, and the note beside the table.
    marker = HIDDEN

    @property
    def note(self) -> str:
        return hidden_note(self.k)


def _labels(dimension: str) -> dict:
    if dimension == "gender":
        return dict(Gender.choices)
    if dimension == "age_band":
        return dict(AgeBand.choices)
    if dimension == "form":
        return dict(ExploitationForm.objects.values_list("code", "name"))
    return {}


def margin_key(dimension: str, value) -> Key:
    return ("margin", dimension, value)


def cell_key(first: str, first_value, second: str, second_value) -> Key:
    """One key for a cell whichever way round its table is shown."""
    if list(DIMENSIONS).index(first) > list(DIMENSIONS).index(second):
        first, first_value, second, second_value = second, second_value, first, first_value
    return ("cell", first, first_value, second, second_value)


def _cubes() -> tuple[Counter, Counter]:
    """Case counts by every single-valued dimension together, and the same with the form
    (two queries, whatever the number of cases)."""
    single = [field for dimension, (_, field) in DIMENSIONS.items() if dimension != MULTI_VALUED]
    with_form = [*single, DIMENSIONS[MULTI_VALUED][1]]
    cases = Case.objects.order_by()
    plain = Counter({tuple(row[:-1]): row[-1] for row in cases.values_list(*single).annotate(n=Count("pk"))})
    joined = Counter(
        {tuple(row[:-1]): row[-1] for row in cases.values_list(*with_form).annotate(n=Count("pk", distinct=True))}
    )
    return plain, joined


def case_publication(*, k: int) -> tuple[Protected, dict[str, list]]:
    """Every count the statistics page can show, protected together, and each
    dimension's values that occur (in display order)."""
    plain, joined = _cubes()
    single = [dimension for dimension in DIMENSIONS if dimension != MULTI_VALUED]
    counts: Counter = Counter()
    values: dict[str, set] = {dimension: set() for dimension in DIMENSIONS}

    def add(cube: Counter, dimensions: list[str]) -> None:
        for combination, n in cube.items():
            point = dict(zip(dimensions, combination, strict=True))
            for dimension, value in point.items():
                values[dimension].add(value)
            for dimension in dimensions if cube is plain else [MULTI_VALUED]:
                counts[margin_key(dimension, point[dimension])] += n
            for first, second in combinations(dimensions, 2):
                if cube is plain or MULTI_VALUED in (first, second):
                    counts[cell_key(first, point[first], second, point[second])] += n

    add(plain, single)
    add(joined, [*single, MULTI_VALUED])
    ordered = {dimension: sorted(found, key=lambda v: (v is None, str(v))) for dimension, found in values.items()}
    equations = []
    for first, second in combinations(DIMENSIONS, 2):
        # Every cell is listed, zeros included, so that each equation is the whole row or column.
        for a in ordered[first]:
            parts = tuple(cell_key(first, a, second, b) for b in ordered[second])
            equations.append(Equation(margin_key(first, a), parts))
        for b in ordered[second]:
            parts = tuple(cell_key(first, a, second, b) for a in ordered[first])
            equations.append(Equation(margin_key(second, b), parts))
    # A sum over the forms counts a case once per form, so the equations summing over
    # forms are declared although they may not hold: that only ever hides more.
    full = {key: 0 for equation in equations for key in equation.terms} | dict(counts)
    first, second = KNOWN_ELSEWHERE
    known = [margin_key(d, v) for d in KNOWN_ELSEWHERE for v in ordered[d]]
    known += [cell_key(first, a, second, b) for a in ordered[first] for b in ordered[second]]
    return protect(full, equations, k=k, known=known), ordered


def case_table(*, rows: str, columns: str, k: int | None = None) -> Table:
    k = k or settings.THB_STATISTICS_MIN_CELL
    protected, ordered = case_publication(k=k)
    row_labels, column_labels = _labels(rows), _labels(columns)
    table_rows = [
        (
            str(row_labels.get(r, r if r is not None else "Not recorded")),
            [protected.value(cell_key(rows, r, columns, c)) for c in ordered[columns]],
            protected.value(margin_key(rows, r)),
        )
        for r in ordered[rows]
    ]
    return Table(
        row_label=DIMENSIONS[rows][0],
        column_label=DIMENSIONS[columns][0],
        columns=[str(column_labels.get(c, c if c is not None else "Not recorded")) for c in ordered[columns]],
        rows=table_rows,
        k=k,
    )


# CTDC's column names for the published, aggregated records.
CTDC_COLUMNS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfExploitConcatenated",
    "count",
]
CTDC_GENDER = {"man": "Man", "woman": "Woman", "trans_other": "Trans/Transgender/NonConforming", "unknown": ""}
LABOUR_FORMS = {"labour"}
SEXUAL_FORMS = {"sexual"}


def ctdc_rows(*, k: int | None = None) -> tuple[list[list], int]:
    """Aggregated CTDC rows with at least k cases each, and how many cases were left out."""
    k = k or settings.THB_STATISTICS_MIN_CELL
    forms_by_case: dict[int, list[str]] = {}
    through = Case.forms_of_exploitation.through.objects.values_list("case_id", "exploitationform__code")
    for case_id, code in through.order_by("case_id", "exploitationform__code"):
        forms_by_case.setdefault(case_id, []).append(code)
    names = dict(ExploitationForm.objects.values_list("code", "ctdc_column"))
    groups = Counter()
    for case_id, year, gender, age_band, citizenship, exploitation in Case.objects.order_by().values_list(
        "pk", "year", "gender", "age_band", "citizenship", "country_of_exploitation"
    ):
        codes = forms_by_case.get(case_id, [])
        groups[
            (
                year,
                CTDC_GENDER.get(gender, ""),
                age_band.replace("-", "--") if age_band != "unknown" else "",
                citizenship or "",
                exploitation or "",
                int(bool(LABOUR_FORMS & set(codes))),
                int(bool(SEXUAL_FORMS & set(codes))),
                int(bool(set(codes) - LABOUR_FORMS - SEXUAL_FORMS)),
                ";".join(names.get(code) or code for code in codes),
            )
        ] += 1
    published = [
        [*key, count] for key, count in sorted(groups.items(), key=lambda item: str(item[0])) if not is_small(count, k)
    ]
    left_out = sum(count for count in groups.values() if is_small(count, k))
    return published, left_out
