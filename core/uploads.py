"""Checks every uploaded file passes before anything is stored (DESIGN.md section 7).

The type comes from the content (puremagic, plus a look inside zip containers for
office formats), and must agree with the name's extension; the size is capped; the
name must be a plain file name. Stored names are generated elsewhere, never taken
from the upload.
"""

import copy
import hashlib
import re
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    mime_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
PNG = FileType("png", "PNG image", "image/png", (".png",))
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
DOCX = FileType(
    "docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType(
    "xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = FileType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
DOC = FileType("doc", "Word 97-2003 document", "application/msword", (".doc",))

CASE_DOCUMENT_TYPES = (PDF, PNG, JPEG, DOCX, ODT)
PUBLICATION_FILE_TYPES = (PDF, DOCX, DOC, ODT, XLSX)
# A meeting paper is a document of the same kinds as a publication (a draft, a report, a table).
PAPER_TYPES = PUBLICATION_FILE_TYPES
IMAGE_TYPES = (PNG, JPEG)

# Legacy Office files are OLE2 compound files; which application made one is told by
# the streams inside, and a Word document is the one with a "WordDocument" stream.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM_NAME = "WordDocument".encode("utf-16-le")


@dataclass(frozen=True)
class CheckedUpload:
    file_type: FileType
    size: int
    sha256: str
    original_name: str

    @property
    def extension(self) -> str:
        return self.file_type.extensions[0]


def generated_storage_name(checked: CheckedUpload) -> str:
    """A random name: nothing about an uploaded file's content or owner shows in storage."""
    return f"{uuid.uuid4().hex}{checked.extension}"


def store_checked_upload(record: Any, upload: Any, checked: CheckedUpload) -> None:
    """Store a checked upload in `record.file` under a generated name, record what was checked
    (original name, type, size, SHA-256) and save the row.

    If the row cannot be written, the stored file is removed: no file may outlive the row
    pointing to it.
    """
    record.original_name = checked.original_name
    record.content_type = checked.file_type.mime_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.file.save(generated_storage_name(checked), upload, save=False)
    try:
        record.full_clean(exclude=["file"])
        record.save()
    except Exception:
        record.file.delete(save=False)
        raise


# Office documents are zip archives, and a zip can be a bomb: a 1 MB file whose member
# inflates to gigabytes. No member is ever inflated beyond its declared size (and then
# only in bounded steps), and archives are refused when they declare more than these.
ZIP_MAX_MEMBERS = 5_000
ZIP_MAX_CENTRAL_DIRECTORY_BYTES = 2 * 1024 * 1024
ZIP_MAX_MEMBER_BYTES = 100 * 1024 * 1024
ZIP_MAX_TOTAL_BYTES = 250 * 1024 * 1024
# Text parts of office files deflate 5 to 30 times; 100 leaves room for repetitive ones.
# Small members may exceed it harmlessly, so it applies from this size on.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FROM_BYTES = 1024 * 1024
ZIP_READ_CHUNK = 64 * 1024
ZIP_ENCRYPTED_FLAG = 0x1


def _too_large(what: str) -> ValidationError:
    return ValidationError(
        f"This file was not accepted: {what}. It may be damaged or built to exhaust the server; "
        "save it again from your office program."
    )


def _inflates_within(raw: IO[bytes], limit: int) -> bool:
    """Whether the raw deflate stream read from `raw` inflates to at most `limit` bytes.
    Never holds more than one chunk, and stops one byte past the limit."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    pending = raw.read(ZIP_READ_CHUNK)
    while pending:
        produced += len(inflater.decompress(pending, limit + 1 - produced))
        if produced > limit:
            return False
        if inflater.eof:
            return True
        pending = inflater.unconsumed_tail or raw.read(ZIP_READ_CHUNK)
    # The input has run out: drain what the inflater may still hold, within the limit.
    produced += len(inflater.decompress(b"", limit + 1 - produced))
    return produced <= limit


def check_zip_archive(upload: Any, *, max_total_bytes: int = ZIP_MAX_TOTAL_BYTES) -> None:
    """Refuse (ValidationError, with a message for the user) a zip archive whose members
    declare, or actually inflate to, too much; for every reader of uploaded zips, before
    it opens one. A file that is no zip at all raises what zipfile raises."""
    upload.seek(0)
    try:
        # zipfile reads the whole central directory into memory at once; its size comes
        # from the end record, so that is checked before the archive is opened.
        # The standard library's own reader of that record (private, so not in typeshed).
        end = zipfile._EndRecData(upload)  # type: ignore[attr-defined]
        if end is None:
            raise zipfile.BadZipFile("no end of central directory record")
        if (
            end[zipfile._ECD_SIZE] > ZIP_MAX_CENTRAL_DIRECTORY_BYTES  # type: ignore[attr-defined]
            or end[zipfile._ECD_ENTRIES_TOTAL] > ZIP_MAX_MEMBERS  # type: ignore[attr-defined]
        ):
            raise _too_large(f"the archive has more than {ZIP_MAX_MEMBERS} parts")
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            _check_archive(archive, max_total_bytes)
    finally:
        upload.seek(0)


def _check_archive(archive: zipfile.ZipFile, max_total_bytes: int) -> None:
    members = archive.infolist()
    if len(members) > ZIP_MAX_MEMBERS:
        raise _too_large(f"the archive has more than {ZIP_MAX_MEMBERS} parts")
    total = 0
    for member in members:
        packing_known = member.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        if member.flag_bits & ZIP_ENCRYPTED_FLAG or not packing_known:
            # Office programs only store or deflate; other methods (bzip2, LZMA) inflate
            # without an output bound in Python's zipfile, and encryption hides the content.
            raise ValidationError("This kind of file is not accepted: it is packed in an unusual way.")
        total += member.file_size
        if member.file_size > ZIP_MAX_MEMBER_BYTES:
            raise _too_large(f"a part of it would unpack to more than {ZIP_MAX_MEMBER_BYTES // 1_048_576} MB")
        if total > max_total_bytes:
            raise _too_large(f"it would unpack to more than {max_total_bytes // 1_048_576} MB")
        if member.file_size > ZIP_RATIO_FROM_BYTES and member.file_size > ZIP_MAX_RATIO * member.compress_size:
            raise _too_large(f"a part of it is compressed more than {ZIP_MAX_RATIO} times")
    for member in members:
        if member.compress_type == zipfile.ZIP_STORED:
            if member.compress_size != member.file_size:
                raise _too_large("a part of it does not match the size its header declares")
            continue
        # The sizes above are what the archive says; a lying header can say a few bytes
        # for gigabytes. Open the member's raw bytes (as if stored, so without the CRC of
        # the inflated data) and inflate them against the declared size.
        raw_member = copy.copy(member)
        raw_member.compress_type = zipfile.ZIP_STORED
        raw_member.file_size = member.compress_size
        raw_member.CRC = None  # type: ignore[assignment]  # None: zipfile then checks no CRC (of data not inflated)
        with archive.open(raw_member) as raw:
            if not _inflates_within(raw, member.file_size):
                raise _too_large("a part of it unpacks to more than its header declares")


def _zip_office_type(upload: Any) -> FileType | None:
    try:
        check_zip_archive(upload)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
            if "mimetype" in names:
                # ODF's mimetype member holds the type and nothing else: read one byte more
                # than that, never the whole member.
                with archive.open("mimetype") as member:
                    if member.read(len(ODT.mime_type) + 2).strip() == ODT.mime_type.encode():
                        return ODT
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, NotImplementedError):
        return None
    finally:
        upload.seek(0)
    return None


def _ole2_office_type(upload: Any) -> FileType | None:
    # Scanning for the stream's name in the directory entries, rather than walking the
    # compound file's sector chains, is enough to tell a Word file from Excel or
    # PowerPoint ones; chunks overlap so that a name split between two is still seen.
    upload.seek(0)
    try:
        previous = b""
        for chunk in upload.chunks():
            if WORD_STREAM_NAME in previous[-len(WORD_STREAM_NAME) :] + chunk:
                return DOC
            previous = chunk
    finally:
        upload.seek(0)
    return None


def detect_type(upload: Any) -> FileType | None:
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if not head:
        return None
    try:
        candidates = puremagic.magic_string(head)
    except puremagic.PureError:
        candidates = []
    extensions = {candidate.extension.lower() for candidate in candidates}
    if head.startswith(b"PK\x03\x04"):
        return _zip_office_type(upload)
    if head.startswith(OLE2_SIGNATURE):
        return _ole2_office_type(upload)
    for file_type in (PDF, PNG, JPEG):
        if extensions & set(file_type.extensions):
            return file_type
    return None


def check_file_name(name: str) -> str:
    """A plain file name, or ValidationError: no folders, no '..', no control characters."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError("The file has no name.")
    if len(name) > 200:
        raise ValidationError("The file name is longer than 200 characters; rename the file.")
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValidationError("The file name contains control characters; rename the file.")
    if "/" in name or "\\" in name or ".." in PurePosixPath(name).parts or name.startswith("..") or ":" in name:
        raise ValidationError("The file name must be a plain name, without folders; rename the file.")
    return name


def check_upload(upload: Any, *, allowed: tuple[FileType, ...], max_bytes: int | None = None) -> CheckedUpload:
    """Check an uploaded file; raises ValidationError with a message for the user."""
    max_bytes = max_bytes or settings.THB_MAX_UPLOAD_BYTES
    name = check_file_name(upload.name)
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > max_bytes:
        raise ValidationError(
            f"The file is {upload.size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB."
        )
    file_type = detect_type(upload)
    allowed_labels = ", ".join(t.label for t in allowed)
    if file_type is None or file_type not in allowed:
        raise ValidationError(f"This kind of file is not accepted. Accepted: {allowed_labels}.")
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in file_type.extensions:
        raise ValidationError(
            f"The file is a {file_type.label} but its name ends in “{suffix or 'nothing'}”; "
            f"a {file_type.label} should end in {' or '.join(file_type.extensions)}."
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(file_type=file_type, size=upload.size, sha256=digest.hexdigest(), original_name=name)


# "/Type /Page" (not "/Pages") marks a page object in a PDF's body.
PDF_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
DOCX_PAGES = re.compile(rb"<Pages>(\d+)</Pages>")
ODT_PAGES = re.compile(rb'meta:page-count="(\d+)"')


def page_count(upload: Any, file_type: FileType) -> int | None:
    """The number of pages where it can be read cheaply, otherwise None.

    Approximate by design, no PDF library is used: for a PDF it counts page objects
    with a regular expression, which overcounts files saved incrementally (old page
    objects stay in the file) and finds none when the objects are inside compressed
    object streams (then None). For DOCX and ODT it reads the count the editor stored
    when it last saved the file.
    """
    upload.seek(0)
    try:
        if file_type == PDF:
            # Read whole: check_upload has already held it to the size limit.
            count = len(PDF_PAGE_OBJECT.findall(upload.read()))
            return count or None
        if file_type in (DOCX, ODT):
            member, pattern = ("docProps/app.xml", DOCX_PAGES) if file_type == DOCX else ("meta.xml", ODT_PAGES)
            # Read a bounded prefix: a crafted file could inflate this member without end.
            with zipfile.ZipFile(upload) as archive, archive.open(member) as properties:
                match = pattern.search(properties.read(100_000))
            return int(match.group(1)) if match and int(match.group(1)) > 0 else None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None
