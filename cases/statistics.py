"""Anonymised case statistics for the secretariat.

Counts come from SQL aggregates over pseudonymous variables only, and are shown
through core.disclosure: counts of 1 to k-1 (THB_STATISTICS_MIN_CELL; CTDC publishes
with k = 11) are hidden, and so are enough other cells and totals that no hidden one
can be worked out by differencing.

The page shows one table at a time, rows by columns, but any reader can ask for every
pair of dimensions, and the tables share their totals (a state's total is the same in
its table by gender and by year). So the whole family of tables is protected as one
publication, and each table is cut from it: a cell hidden in one view is hidden in all.

Periods. The page shows all years or one calendar year, the year of the case's
registration (as in its reference, EE-2026-0042), never a free date range: two ranges
that overlap (2020-2022 and 2020-2021) could be subtracted to give the count of the
difference, however small. A year's table is the all-years table with the year as one
more dimension, so the publication also holds, for every pair of the other dimensions,
its cells by year, with the equations that the years of a cell add up to its all-years
count. Subtracting one period's table from another's is then one of the equations the
protection already allows for.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations, product

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, Field, Model, OuterRef, Subquery, Sum, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce

from cases.models import AgeBand, Case, ExploitationForm, Gender
from core.disclosure import HIDDEN, Equation, Key, Protected, hidden_note, is_small, protect

DIMENSIONS = {
    "member_state": ("Member state", "member_state__code"),
    "year": ("Year", "year"),
    "form": ("Form of exploitation", "forms_of_exploitation__code"),
    "gender": ("Gender", "gender"),
    "age_band": ("Age band", "age_band"),
}
# The dimension a period cuts by: a period is one of its values, or all of them.
YEAR = "year"
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
    year: int | None = None  # the period: one year, or None for all years

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


_ORDER = {dimension: index for index, dimension in enumerate(DIMENSIONS)}


def point_key(point: Mapping[str, object]) -> Key:
    """One key for the number of cases at `point` (dimension -> value), whichever order its
    dimensions come in: a margin has one dimension, a cell two, a cell of one year three."""
    return tuple(sorted(point.items(), key=lambda item: _ORDER[item[0]]))


def margin_key(dimension: str, value) -> Key:
    return point_key({dimension: value})


def cell_key(first: str, first_value, second: str, second_value) -> Key:
    """One key for a cell whichever way round its table is shown."""
    return point_key({first: first_value, second: second_value})


def _views() -> list[tuple[str, ...]]:
    """The sets of dimensions the page counts by: each alone (a row's total), each pair (a
    table of all years), and each pair of the others with the year (a table of one year)."""
    others = [dimension for dimension in DIMENSIONS if dimension != YEAR]
    views = [
        *((dimension,) for dimension in DIMENSIONS),
        *combinations(DIMENSIONS, 2),
        *((YEAR, *pair) for pair in combinations(others, 2)),
    ]
    return [tuple(sorted(view, key=_ORDER.__getitem__)) for view in views]  # in point_key's order


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


@dataclass(frozen=True)
class CasePublication:
    """Every count the statistics page can show, in every period, protected together."""

    protected: Protected
    values: dict[str, list]  # each dimension's values that occur, in display order

    @property
    def k(self) -> int:
        return self.protected.k

    @property
    def years(self) -> list[int]:
        return [year for year in self.values[YEAR] if year is not None]

    def table(self, *, rows: str, columns: str, year: int | None = None) -> Table:
        """The table of `rows` by `columns`, of one year or (None) of all years. Every row and
        column of the period's cases is listed, zeros included."""

        def values(dimension: str) -> list:
            return [year] if dimension == YEAR and year is not None else self.values[dimension]

        period = {YEAR: year} if year is not None else {}
        row_labels, column_labels = _labels(rows), _labels(columns)
        table_rows = [
            (
                str(row_labels.get(r, r if r is not None else "Not recorded")),
                [self.protected.value(point_key({**period, rows: r, columns: c})) for c in values(columns)],
                self.protected.value(point_key({**period, rows: r})),
            )
            for r in values(rows)
        ]
        return Table(
            row_label=DIMENSIONS[rows][0],
            column_label=DIMENSIONS[columns][0],
            columns=[str(column_labels.get(c, c if c is not None else "Not recorded")) for c in values(columns)],
            rows=table_rows,
            k=self.k,
            year=year,
        )


def case_publication(*, k: int | None = None) -> CasePublication:
    """Every count the statistics page can show, in all years and in each, protected as one
    publication."""
    k = k or settings.THB_STATISTICS_MIN_CELL
    plain, joined = _cubes()
    single = [dimension for dimension in DIMENSIONS if dimension != MULTI_VALUED]
    views = _views()
    counts: Counter = Counter()
    values: dict[str, set] = {dimension: set() for dimension in DIMENSIONS}
    for cube, dimensions in [(plain, single), (joined, [*single, MULTI_VALUED])]:
        # The joined cube counts a case once per form: only views by form are taken from it.
        counted = [view for view in views if (MULTI_VALUED in view) == (cube is joined)]
        for combination, n in cube.items():
            point = dict(zip(dimensions, combination, strict=True))
            for dimension, value in point.items():
                values[dimension].add(value)
            for view in counted:
                counts[tuple((dimension, point[dimension]) for dimension in view)] += n
    ordered = {dimension: sorted(found, key=lambda v: (v is None, str(v))) for dimension, found in values.items()}

    equations = []
    for view in views:
        if len(view) < 2:
            continue
        # Summed over one of its dimensions, a view gives the view without it: a table's
        # row and column totals, or, summed over the years, the all-years cell. Every cell
        # is listed, zeros included, so that each equation is the whole row or column.
        for summed in view:
            rest = [dimension for dimension in view if dimension != summed]
            for fixed in product(*(ordered[dimension] for dimension in rest)):
                point = dict(zip(rest, fixed, strict=True))
                parts = tuple(point_key({**point, summed: value}) for value in ordered[summed])
                equations.append(Equation(point_key(point), parts))
    # A sum over the forms counts a case once per form, so the equations summing over
    # forms are declared although they may not hold: that only ever hides more.
    full = {key: 0 for equation in equations for key in equation.terms} | dict(counts)
    first, second = KNOWN_ELSEWHERE
    known = [margin_key(d, v) for d in KNOWN_ELSEWHERE for v in ordered[d]]
    known += [cell_key(first, a, second, b) for a in ordered[first] for b in ordered[second]]
    return CasePublication(protected=protect(full, equations, k=k, known=known), values=ordered)


def case_years() -> list[int]:
    """The years that hold cases (one query, on the year's index)."""
    return list(Case.objects.order_by("year").values_list("year", flat=True).distinct())


def case_table(*, rows: str, columns: str, year: int | None = None, k: int | None = None) -> Table:
    return case_publication(k=k).table(rows=rows, columns=columns, year=year)


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


# What a CTDC row is made of besides the forms of exploitation, one value per case.
CTDC_FIELDS = ("year", "gender", "age_band", "citizenship", "country_of_exploitation")
# Bits of one mask column: a PostgreSQL bigint holds 63 bits.
MASK_BITS = 62


_CTDC_SQL = """
    SELECT {fields}, {masks}, COUNT(*) FROM (
        SELECT {case_fields}, {mask_values} FROM {cases} c
        LEFT JOIN (SELECT {case_id}, {sums} FROM {join}{join_of_year} GROUP BY {case_id}) m
        ON m.{case_id} = c.{pk}
        {of_year}
    ) g
    GROUP BY {fields}, {masks}
"""


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    return field.column


def _ctdc_grouped(*, year: int | None) -> tuple[list[dict], list]:
    """The period's cases grouped by their CTDC fields and their set of forms of exploitation,
    with their counts (one SQL aggregate, however many cases), and the forms in code order.

    Each case's set of forms is a bit mask (bit i for the i-th form by code), summed from its
    rows of the join table: a case has each form once, so the sum is the set. The masks are
    summed for all cases at once and joined, which the ORM cannot write (it runs a subquery
    per case, several times slower on many cases): hence SQL. Its names come from the
    models' metadata and every value is a parameter."""
    forms = list(ExploitationForm.objects.order_by("code").values_list("pk", "code", "ctdc_column"))
    quote = connection.ops.quote_name
    through = Case.forms_of_exploitation.through
    case_id, form_id = (quote(_column(through, name)) for name in ("case", "exploitationform"))
    chunks = [forms[start : start + MASK_BITS] for start in range(0, len(forms), MASK_BITS)] or [[]]
    masks = [f"mask_{index}" for index in range(len(chunks))]
    sums, params = [], []
    for name, chunk in zip(masks, chunks, strict=True):
        whens = " ".join("WHEN %s THEN %s" for _ in chunk)
        sums.append(f"SUM(CASE {form_id} {whens} ELSE 0 END) AS {name}" if chunk else f"SUM(0) AS {name}")
        params += [value for bit, (pk, _, _) in enumerate(chunk) for value in (pk, 1 << bit)]
    year_column = quote(_column(Case, "year"))
    cases, pk = quote(Case._meta.db_table), quote(_column(Case, "id"))
    sql = _CTDC_SQL.format(
        fields=", ".join(CTDC_FIELDS),
        masks=", ".join(masks),
        case_fields=", ".join(f"c.{quote(_column(Case, f))} AS {f}" for f in CTDC_FIELDS),
        mask_values=", ".join(f"COALESCE(m.{name}, 0) AS {name}" for name in masks),
        cases=cases,
        case_id=case_id,
        sums=", ".join(sums),
        join=quote(through._meta.db_table),
        # Names from the models' metadata, the year a parameter.
        join_of_year=f" WHERE {case_id} IN (SELECT {pk} FROM {cases} WHERE {year_column} = %s)"  # noqa: S608
        if year is not None
        else "",
        pk=pk,
        of_year=f"WHERE c.{year_column} = %s" if year is not None else "",
    )
    params += [year, year] if year is not None else []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [*CTDC_FIELDS, *masks, "n"]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()], forms


def _ctdc_group_reaches(*, k: int, year: int | None) -> bool:
    """Whether a group of the period's cases with the same CTDC fields and forms (as in
    _ctdc_grouped) has k cases or more. Written with the ORM, a subquery per case, because
    PostgreSQL then stops soon after the first such group: on 100,000 cases about 0.2 s against
    the 0.8 s of _ctdc_grouped, though about twice as slow as it when there is none."""
    forms = list(ExploitationForm.objects.order_by("code").values_list("pk", flat=True))
    join = Case.forms_of_exploitation.through.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id")
    masks = {}
    for start in range(0, len(forms), MASK_BITS):
        bits = [
            When(exploitationform_id=pk, then=Value(1 << bit, output_field=BigIntegerField()))
            for bit, pk in enumerate(forms[start : start + MASK_BITS])
        ]
        name = f"mask_{start // MASK_BITS}"
        mask = join.annotate(**{name: Sum(SqlCase(*bits, default=Value(0), output_field=BigIntegerField()))})
        masks[name] = Coalesce(Subquery(mask.values(name)), Value(0))
    cases = Case.objects.order_by() if year is None else Case.objects.filter(year=year).order_by()
    grouped = cases.annotate(**masks).values(*CTDC_FIELDS, *masks).annotate(n=Count("pk"))
    return grouped.filter(n__gte=k).exists()


def _ctdc_groups(grouped: list[dict], forms: list) -> Counter:
    """CTDC rows and their counts. Two sets of forms can make the same row (two forms that
    CTDC counts under the same column), so a row can sum several groups of the query."""
    names = {code: column for _, code, column in forms}
    groups: Counter = Counter()
    for row in grouped:
        codes = [
            code
            for index, (_, code, _) in enumerate(forms)
            if int(row[f"mask_{index // MASK_BITS}"]) >> (index % MASK_BITS) & 1
        ]
        groups[
            (
                row["year"],
                CTDC_GENDER.get(row["gender"], ""),
                row["age_band"].replace("-", "--") if row["age_band"] != "unknown" else "",
                row["citizenship"] or "",
                row["country_of_exploitation"] or "",
                int(bool(LABOUR_FORMS & set(codes))),
                int(bool(SEXUAL_FORMS & set(codes))),
                int(bool(set(codes) - LABOUR_FORMS - SEXUAL_FORMS)),
                ";".join(names.get(code) or code for code in codes),
            )
        ] += row["n"]
    return groups


def ctdc_rows(*, k: int | None = None, year: int | None = None) -> tuple[list[list], int]:
    """Aggregated CTDC rows with at least k cases each, of one year or (None) all years, and
    how many cases were left out.

    A year's file holds exactly the rows of the all-years file with that year (each row is
    of one year already, and no totals are published): it reveals nothing the other does
    not, which is why the export can take the period and free date ranges still cannot."""
    k = k or settings.THB_STATISTICS_MIN_CELL
    groups = _ctdc_groups(*_ctdc_grouped(year=year))
    published = [
        [*key, count] for key, count in sorted(groups.items(), key=lambda item: str(item[0])) if not is_small(count, k)
    ]
    left_out = sum(count for count in groups.values() if is_small(count, k))
    return published, left_out


def ctdc_suppressed_groups(*, k: int | None = None, year: int | None = None) -> int | None:
    """When every CTDC row of the period would be suppressed, how many there are (the export
    then holds its explanation only); otherwise None, as when there are no cases.

    For the statistics page, without building the export: one SQL test (does any group of
    cases with the same fields and forms reach k?) answers whenever one does, usually without
    reading every case. Only when none does are the groups counted, since groups whose forms
    differ may still make one row."""
    k = k or settings.THB_STATISTICS_MIN_CELL
    if k <= 1 or _ctdc_group_reaches(k=k, year=year):
        return None
    groups = _ctdc_groups(*_ctdc_grouped(year=year))
    if not groups or any(not is_small(count, k) for count in groups.values()):
        return None
    return len(groups)
