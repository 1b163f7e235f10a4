"""A return's XLSX: exported and imported with the same columns; an unchanged file changes
nothing, a file with one bad cell imports nothing, a missing column is said."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from members.models import Role
from reporting import services
from reporting.models import Value, ValueRevision
from tests.reporting.factories import complete_entries, open_call, return_of


@pytest.fixture
def people(make_user):
    return {"secretariat": make_user(Role.SECRETARIAT), "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE")}


def _xlsx(rows, name="return.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def _rows_of(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [["" if cell is None else cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def _saved(return_record):
    values = Value.objects.filter(return_record=return_record)
    return {code: rest for code, *rest in values.values_list("indicator__code", "number", "status", "note", "text")}


def test_export_then_import_unchanged_changes_nothing(people, login):
    call = open_call(people["secretariat"])
    ee = return_of(call, "EE")
    services.return_save(return_record=ee, entries=complete_entries(call), by=people["ee_rep"])
    client = login(people["ee_rep"])
    exported = client.get(f"{ee.get_absolute_url()}export/")
    assert exported.status_code == 200 and exported["Content-Disposition"].endswith(
        "return-EE-" + str(call.year) + '.xlsx"'
    )
    rows = _rows_of(exported.content)
    assert rows[0] == ["code", "indicator", "group", "figure", "given as", "note", "text"]
    before, revisions = _saved(ee), ValueRevision.objects.count()
    response = client.post(f"{ee.get_absolute_url()}import/", {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert _saved(ee) == before and ValueRevision.objects.count() == revisions


def test_an_import_fills_the_return_and_one_bad_cell_imports_nothing(people, login):
    call = open_call(people["secretariat"])
    ee = return_of(call, "EE")
    client = login(people["ee_rep"])
    rows = _rows_of(client.get(f"{ee.get_absolute_url()}export/").content)
    for row in rows[1:]:
        if row[0] == "victims.identified":
            row[3] = 12
        if row[0] == "victims.presumed":
            row[3], row[4], row[5] = "", "confidential", "Fewer than five."
    bad = [list(row) for row in rows]
    next(row for row in bad if row[0] == "permits.residence")[3] = "many"
    response = client.post(f"{ee.get_absolute_url()}import/", {"file": _xlsx(bad)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "“many” is not a whole number" in page
    assert not Value.objects.filter(return_record=ee).exists()
    response = client.post(f"{ee.get_absolute_url()}import/", {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Value.objects.get(return_record=ee, indicator__code="victims.identified").number == 12
    presumed = Value.objects.get(return_record=ee, indicator__code="victims.presumed")
    assert presumed.status == "confidential" and presumed.note == "Fewer than five."


def test_a_missing_column_or_a_wrong_file_is_said_and_imports_nothing(people, login):
    call = open_call(people["secretariat"])
    ee = return_of(call, "EE")
    client = login(people["ee_rep"])
    response = client.post(
        f"{ee.get_absolute_url()}import/", {"file": _xlsx([["code", "figure"], ["victims.identified", 3]])}
    )
    assert response.status_code == 400 and "Missing columns: given as, note, text." in response.content.decode()
    fake = SimpleUploadedFile("return.xlsx", b"not a workbook")
    response = client.post(f"{ee.get_absolute_url()}import/", {"file": fake})
    assert response.status_code == 400 and "is not an Excel workbook" in response.content.decode()
    assert not Value.objects.filter(return_record=ee).exists()
