"""A return as an XLSX sheet, the same columns out and in, for states that compile their
figures offline. An import checks every cell and imports nothing while any cell has an
error (as the participants' import does); the checks of the figures themselves
(reporting.checks) are then shown on the return's page as for figures typed in."""

import io
from dataclasses import dataclass, field

from core.spreadsheets import safe_cell
from reporting import figures
from reporting.models import Indicator, IndicatorKind, Return, Value, ValueStatus
from reporting.services import Entry

COLUMNS = ["code", "indicator", "group", "figure", "given as", "note", "text"]
REQUIRED = ["code", "figure", "given as", "note", "text"]
MAX_FIGURE = 10**12
MAX_ROWS = 500
MAX_BYTES = 2 * 1024 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS_WORDS = {
    "": ValueStatus.GIVEN,
    **{code: code for code in ValueStatus.values},
    **{str(label).lower(): code for code, label in ValueStatus.choices},
}


def export_return(return_record: Return, indicators: list[Indicator], values: dict[int, Value]) -> bytes:
    # Here, not at the top: openpyxl takes about 0.15 s to import, which every start would pay.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{return_record.member_state.code} {return_record.data_call.year}")
    sheet.append(COLUMNS)
    for indicator in indicators:
        value = values.get(indicator.pk)
        sheet.append(
            [
                safe_cell(cell)
                for cell in (
                    indicator.code,
                    indicator.label,
                    indicator.group,
                    value.number if value and value.number is not None else "",
                    value.get_status_display().lower() if value and indicator.kind == IndicatorKind.NUMBER else "",
                    value.note if value else "",
                    value.text if value else "",
                )
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Parsed:
    entries: dict[str, Entry] = field(default_factory=dict)
    # (line in the file, code, what is wrong); nothing is imported while there is one.
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def _normal(cell: object) -> str:
    return str(cell or "").strip()


def parse_return(table: list[list[str]], indicators: list[Indicator]) -> Parsed:
    """The entries of the sheet, or every error in it (a missing column is one error for the file)."""
    parsed = Parsed()
    header = [_normal(cell).lower() for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        parsed.errors.append((1, "", f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}."))
        return parsed
    at = {column: header.index(column) for column in REQUIRED}
    by_code = {indicator.code: indicator for indicator in indicators}
    seen: set[str] = set()
    for line, row in enumerate(table[1:], start=2):
        cells = [*row, *[""] * (len(header) - len(row))]
        code = _normal(cells[at["code"]])
        indicator = by_code.get(code)
        if indicator is None:
            parsed.errors.append((line, code, f"“{code}” is not an indicator of this data call."))
            continue
        if code in seen:
            parsed.errors.append((line, code, "This indicator is in the file twice."))
            continue
        seen.add(code)
        note, text = _normal(cells[at["note"]]), _normal(cells[at["text"]])
        if indicator.kind == IndicatorKind.TEXT:
            parsed.entries[code] = Entry(text=text)
            continue
        status = STATUS_WORDS.get(_normal(cells[at["given as"]]).lower())
        if status is None:
            parsed.errors.append((line, code, "“Given as” is given, not available or confidential."))
            continue
        figure = _normal(cells[at["figure"]])
        number = None
        if figure:
            try:
                number = int(float(figure)) if float(figure).is_integer() else None
            except ValueError:
                number = None
            if number is None or not 0 <= number <= MAX_FIGURE:
                parsed.errors.append((line, code, f"“{figure}” is not a whole number of 0 or more."))
                continue
        parsed.entries[code] = Entry(status=status, number=number, note=note)
    return parsed


def roundup_xlsx() -> bytes:
    """The round-up workbook (reporting.views.roundup_workbook): validated figures only."""
    # Here, not at the top: openpyxl takes about 0.15 s to import, which every start would pay.
    from openpyxl import Workbook

    found = figures.validated_figures()
    indicators = figures.number_indicators()
    tables = figures.secretariat_tables(found, indicators)
    workbook = Workbook(write_only=True)
    groups: dict[str, list] = {}
    for one in tables:
        groups.setdefault(one.indicator.group, []).append(one)
    for group, group_tables in groups.items():
        sheet = workbook.create_sheet(group[:31])
        for one in group_tables:
            sheet.append([safe_cell(one.indicator.label), *found.years])
            for name, cells in one.rows:
                sheet.append([name, *(safe_cell(cell) for cell in cells)])
            sheet.append(["Region", *one.total])
            sheet.append([])
    sheet = workbook.create_sheet("Qualitative answers")
    sheet.append(["State", "Year", "Section", "Answer"])
    answers = (
        Value.objects.filter(return_record__status="validated", indicator__kind=IndicatorKind.TEXT)
        .exclude(text="")
        .values_list("return_record__member_state__name", "return_record__data_call__year", "indicator__label", "text")
        .order_by("return_record__member_state__name", "return_record__data_call__year", "indicator__position")
    )
    for state, year, section, text in answers:
        sheet.append([state, year, safe_cell(section), safe_cell(text)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
