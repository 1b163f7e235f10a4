"""Spreadsheets in and out: CSV answers, formula-safe cells, and reading an uploaded CSV or
XLSX (imports of participants and of national returns) into rows of text."""

import csv
import io
import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse

from core.uploads import check_zip_archive

logger = logging.getLogger(__name__)

# A cell starting with one of these is a formula to Excel and LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formula injection: a text cell never starts a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that Excel reads UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong type, encoding, columns, or empty."""


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The CSV file is not UTF-8 encoded. Save it again as “CSV UTF-8” and upload it again."
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as error:
        raise ImportFileError(f"The CSV file cannot be read ({error}). Save it again as “CSV UTF-8”.") from None


def _read_xlsx(content: bytes, *, max_bytes: int, max_rows: int) -> list[list[str]]:
    # Here, not at the top: openpyxl takes about 0.15 s to import, which every start would pay.
    from openpyxl import load_workbook

    rows = []
    try:
        # openpyxl inflates whole parts (the shared strings) into memory: a zip bomb is
        # refused before it opens the file.
        check_zip_archive(io.BytesIO(content), max_total_bytes=10 * max_bytes)
    except ValidationError as error:
        raise ImportFileError(error.messages[0]) from None
    except Exception:
        raise ImportFileError("The XLSX file cannot be read. Save it again from Excel or LibreOffice.") from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise ImportFileError("The XLSX file has no worksheet.")
        # Read-only mode parses lazily, so a damaged sheet fails here, not at load.
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if value is None else str(value) for value in row])
            if len(rows) > max_rows + 1:
                break
        workbook.close()
    except ImportFileError:
        raise
    except Exception:
        # openpyxl and the XML and zip readers under it raise a dozen kinds of error on a
        # damaged file; every one means the same to whoever uploaded it.
        logger.info("Unreadable XLSX upload", exc_info=True)
        raise ImportFileError("The XLSX file cannot be read. Save it again from Excel or LibreOffice.") from None
    return rows


def read_uploaded_table(upload: UploadedFile, *, max_bytes: int, max_rows: int) -> list[list[str]]:
    """The file's rows, as text, from a .csv or .xlsx upload; ImportFileError says what is wrong."""
    name = (upload.name or "").lower()
    if upload.size == 0:
        raise ImportFileError("The file is empty.")
    if (upload.size or 0) > max_bytes:
        raise ImportFileError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    content = upload.read()
    if name.endswith(".xlsx"):
        if not content.startswith(b"PK"):
            raise ImportFileError("The file is named .xlsx but is not an Excel workbook.")
        rows = _read_xlsx(content, max_bytes=max_bytes, max_rows=max_rows)
    elif name.endswith(".csv"):
        if content.startswith(b"PK") or b"\x00" in content[:1024]:
            raise ImportFileError("The file is named .csv but is not a text file.")
        rows = _read_csv(content)
    else:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise ImportFileError("The file is empty.")
    return rows
