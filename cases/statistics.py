"""Anonymised case statistics for the secretariat.

Counts come from SQL aggregates over pseudonymous variables only. Any cell counting
fewer than THB_STATISTICS_MIN_CELL cases (k; CTDC publishes with k = 11) is shown as
suppressed, and so is any total below k or beside a suppressed cell. Row totals are
computed in SQL from all cases, not from the visible cells.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from cases.models import AgeBand, Case, ExploitationForm, Gender

DIMENSIONS = {
    "member_state": ("Member state", "member_state__code"),
    "year": ("Year", "year"),
    "form": ("Form of exploitation", "forms_of_exploitation__code"),
    "gender": ("Gender", "gender"),
    "age_band": ("Age band", "age_band"),
}


@dataclass
class Table:
    row_label: str
    column_label: str
    columns: list[str]
    rows: list[tuple[str, list[int | None], int | None]]  # (row, cells, total); None = suppressed
    k: int


def _labels(dimension: str) -> dict:
    if dimension == "gender":
        return dict(Gender.choices)
    if dimension == "age_band":
        return dict(AgeBand.choices)
    if dimension == "form":
        return dict(ExploitationForm.objects.values_list("code", "name"))
    return {}


def _suppress(count: int, k: int) -> int | None:
    return count if count >= k else None


def case_table(*, rows: str, columns: str, k: int | None = None) -> Table:
    k = k or settings.THB_STATISTICS_MIN_CELL
    row_field, column_field = DIMENSIONS[rows][1], DIMENSIONS[columns][1]
    cells = Counter()
    for row in Case.objects.order_by().values(row_field, column_field).annotate(n=Count("pk", distinct=True)):
        cells[(row[row_field], row[column_field])] = row["n"]
    totals = dict(
        Case.objects.order_by().values(row_field).annotate(n=Count("pk", distinct=True)).values_list(row_field, "n")
    )
    row_keys = sorted({key[0] for key in cells}, key=lambda v: (v is None, str(v)))
    column_keys = sorted({key[1] for key in cells}, key=lambda v: (v is None, str(v)))
    row_labels, column_labels = _labels(rows), _labels(columns)
    table_rows = []
    for r in row_keys:
        row_cells = [_suppress(cells.get((r, c), 0), k) if cells.get((r, c), 0) else 0 for c in column_keys]
        # A total shown beside a hidden cell would give the hidden cell away (total minus the
        # visible cells), so a row with any hidden cell hides its total too.
        total = None if None in row_cells else _suppress(totals.get(r, 0), k)
        table_rows.append((str(row_labels.get(r, r if r is not None else "Not recorded")), row_cells, total))
    return Table(
        row_label=DIMENSIONS[rows][0],
        column_label=DIMENSIONS[columns][0],
        columns=[str(column_labels.get(c, c if c is not None else "Not recorded")) for c in column_keys],
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
    published = [[*key, count] for key, count in sorted(groups.items(), key=lambda item: str(item[0])) if count >= k]
    left_out = sum(count for count in groups.values() if count < k)
    return published, left_out
