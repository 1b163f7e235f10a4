"""The office-document check reads a zip without ever inflating much: a decompression
bomb (a huge, highly compressible member, or a header that lies about a member's size)
is refused quickly and in bounded memory, with a clear message, and nothing is stored;
ordinary .odt and .docx files still pass."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import services
from cases.models import CaseDocument
from core import uploads
from core.uploads import CASE_DOCUMENT_TYPES, DOCX, ODT, PUBLICATION_FILE_TYPES, XLSX, check_upload
from members.models import Role
from tests.cases.factories import docx_bytes, make_case, stored_files
from trainings.imports import ImportFileError, read_table

MB = 1024 * 1024
ODT_TYPE = ODT.mime_type.encode()


def odt_bytes() -> bytes:
    """A minimal OpenDocument text, laid out as ODF asks: the mimetype first, stored."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT_TYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content><office:text>Statement</office:text>" * 50)
        archive.writestr("meta.xml", '<office:meta><meta:document-statistic meta:page-count="2"/></office:meta>')
    return buffer.getvalue()


def streamed_zip(name: str, size: int, *, start: bytes = b"") -> bytes:
    """A zip with one deflated member of `size` bytes (`start`, then zeros), written in
    steps so that the test itself never holds the member."""
    buffer = io.BytesIO()
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
        with archive.open(info, "w") as member:
            member.write(start)
            zeros, left = bytes(MB), size - len(start)
            while left > 0:
                member.write(zeros[: min(MB, left)])
                left -= MB
    return buffer.getvalue()


def lying_zip(true_size: int) -> bytes:
    """An .odt whose mimetype member says it holds the type's 39 bytes (with their CRC),
    but inflates to `true_size`: the type, then zeros."""
    data = bytearray(streamed_zip("mimetype", true_size, start=ODT_TYPE))
    declared, crc = len(ODT_TYPE), zlib.crc32(ODT_TYPE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo("mimetype").header_offset
        central = data.index(b"PK\x01\x02", archive.start_dir)
        central = data.index(b"PK\x01\x02", central + 4)  # the manifest's entry comes first
    assert data[local + 30 : local + 38] == b"mimetype" and data[central + 46 : central + 54] == b"mimetype"
    struct.pack_into("<I", data, local + 14, crc)
    struct.pack_into("<I", data, local + 22, declared)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def _checked_in_bounds(content: bytes, name: str, allowed=CASE_DOCUMENT_TYPES):
    """Run the check, and say how long it took and how much memory it used at its peak."""
    upload = SimpleUploadedFile(name, content)
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = check_upload(upload, allowed=allowed, max_bytes=50 * MB)
    except ValidationError as error:
        result = error
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return result, elapsed, peak


def test_a_huge_compressible_mimetype_member_is_refused_quickly_in_bounded_memory():
    bomb = streamed_zip("mimetype", 300 * MB, start=ODT_TYPE)
    assert len(bomb) < 1 * MB  # 300 MB in well under 1 MB
    result, elapsed, peak = _checked_in_bounds(bomb, "statement.odt")
    assert isinstance(result, ValidationError)
    assert "a part of it would unpack to more than 100 MB" in result.messages[0]
    assert "This file was not accepted" in result.messages[0]
    assert elapsed < 2 and peak < 50 * MB


def test_a_member_compressed_beyond_the_ratio_is_refused():
    # 60 MB of zeros: under the size caps, but deflated about a thousand times.
    result, elapsed, peak = _checked_in_bounds(streamed_zip("word/document.xml", 60 * MB), "statement.docx")
    assert isinstance(result, ValidationError)
    assert "compressed more than 100 times" in result.messages[0]
    assert elapsed < 2 and peak < 50 * MB


def test_a_header_that_lies_about_the_size_is_refused_quickly_in_bounded_memory():
    # The header declares the 39 bytes of the type, which is what the old check read and
    # accepted; the member really inflates to 128 MB.
    result, elapsed, peak = _checked_in_bounds(lying_zip(128 * MB), "statement.odt")
    assert isinstance(result, ValidationError)
    assert "unpacks to more than its header declares" in result.messages[0]
    assert elapsed < 2 and peak < 50 * MB


def test_an_archive_with_too_many_parts_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_MEMBERS", 50)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(60):
            archive.writestr(f"word/media/{index}.xml", "")
    result, _, _ = _checked_in_bounds(buffer.getvalue(), "statement.docx")
    assert isinstance(result, ValidationError)
    assert "more than 50 parts" in result.messages[0]


def test_a_member_packed_otherwise_than_stored_or_deflated_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    result, _, _ = _checked_in_bounds(buffer.getvalue(), "statement.docx")
    assert isinstance(result, ValidationError)
    assert "packed in an unusual way" in result.messages[0]


@pytest.mark.parametrize(
    "name, content, allowed, file_type",
    [
        ("statement.odt", odt_bytes(), CASE_DOCUMENT_TYPES, ODT),
        ("statement.docx", docx_bytes(), CASE_DOCUMENT_TYPES, DOCX),
        ("figures.xlsx", streamed_zip("xl/workbook.xml", 2 * MB // 3), PUBLICATION_FILE_TYPES, XLSX),
    ],
    ids=["odt", "docx", "xlsx with a large, ordinary part"],
)
def test_ordinary_office_files_still_pass(name, content, allowed, file_type):
    result, _, _ = _checked_in_bounds(content, name, allowed)
    assert not isinstance(result, ValidationError), result
    assert result.file_type == file_type


def test_a_bomb_uploaded_to_a_case_says_why_and_stores_nothing(make_user, private_media):
    ncp = make_user(Role.NCP, "EE")
    case = make_case(ncp)
    upload = SimpleUploadedFile("statement.odt", lying_zip(64 * MB))
    with pytest.raises(ValidationError, match="unpacks to more than its header declares"):
        services.document_upload(case=case, upload=upload, title="", by=ncp)
    assert not CaseDocument.objects.exists()
    assert stored_files(private_media) == []


def test_a_bomb_in_a_participant_import_is_refused_before_openpyxl_opens_it():
    # openpyxl would inflate the shared strings whole; 60 MB of them fit in a small file.
    bomb = streamed_zip("xl/sharedStrings.xml", 60 * MB)
    upload = SimpleUploadedFile("participants.xlsx", bomb)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match="it would unpack to more than 20 MB"):
            read_table(upload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MB
