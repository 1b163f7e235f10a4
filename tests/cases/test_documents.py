"""Documents of a case: checked from their content, stored privately under generated
names, served only through the access-checking view (DESIGN.md section 7)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseDocument
from members.models import Role
from tests.cases.factories import PDF, PNG, docx_bytes, make_case, stored_files

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 40 + b"PE\x00\x00" * 8
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def case(ee_ncp):
    return make_case(ee_ncp)


def _upload(client, case, name, content, content_type="application/pdf"):
    return client.post(
        reverse("cases:document_upload", args=[case.pk]),
        {"title": "", "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def _file_errors(response) -> str:
    return " ".join(response.context["form"].errors.get("file", []))


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("report.pdf", EXECUTABLE, "This kind of file is not accepted."),
        ("scan.pdf", PNG, "The file is a PNG image but its name ends in “.pdf”"),
        ("photo.png", PDF, "The file is a PDF but its name ends in “.png”"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("C:evil.pdf", PDF, "The file name must be a plain name, without folders"),
        ("..evil.pdf", PDF, "The file name must be a plain name, without folders"),
        ("notes.txt", b"Just some text\n", "This kind of file is not accepted."),
        ("fake.docx", b"PK\x03\x04" + b"\x00" * 60, "This kind of file is not accepted."),
    ],
    ids=["executable", "png named pdf", "pdf named png", "empty", "drive name", "dot-dot name", "text", "bad zip"],
)
def test_a_refused_upload_says_why_and_stores_nothing(ncp_client, case, private_media, name, content, error):
    response = _upload(ncp_client, case, name, content)
    assert response.status_code == 400
    assert error in _file_errors(response)
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not CaseDocument.objects.exists()
    assert stored_files(private_media) == []


def test_an_oversized_file_is_refused(ncp_client, case, private_media, settings):
    settings.THB_MAX_UPLOAD_BYTES = 1_000_000
    big_pdf = PDF + b"%" + b"x" * 1_000_000 + b"\n"
    response = _upload(ncp_client, case, "big.pdf", big_pdf)
    assert response.status_code == 400
    assert "the limit is 1 MB" in _file_errors(response)
    assert not CaseDocument.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize("name", ["..\\..\\evil.pdf", "C:\\Windows\\evil.pdf", "docs\\evil.pdf", "..\\"])
def test_a_path_traversal_name_is_refused_and_nothing_is_stored(ee_ncp, case, private_media, name):
    # Such a name reaches the portal from anything but a browser's form post (see below).
    upload = SimpleUploadedFile(name, PDF)
    assert upload.name == name  # Django's own clean-up of names leaves backslashes on POSIX
    with pytest.raises(ValidationError, match="must be a plain name, without folders"):
        services.document_upload(case=case, upload=upload, title="", by=ee_ncp)
    assert not CaseDocument.objects.exists()
    assert stored_files(private_media) == []


@pytest.mark.parametrize("name", ["..\\..\\evil.pdf", "../../evil.pdf", "..\\../evil.pdf"])
def test_a_traversal_name_posted_to_the_page_ends_up_under_a_generated_name(ncp_client, case, private_media, name):
    # Django's request parser keeps only the last part of a posted file name, with either
    # separator, before the portal sees it: the file is a plain "evil.pdf", and is stored
    # under a generated name inside the storage folder.
    response = _upload(ncp_client, case, name, PDF)
    assert response.status_code == 302
    document = CaseDocument.objects.get()
    assert document.original_name == "evil.pdf"
    assert "evil" not in document.file.name
    assert stored_files(private_media) == [private_media / document.file.name]


@pytest.mark.parametrize(
    "name, content, content_type, extension",
    [("Police report.pdf", PDF, "application/pdf", ".pdf"), ("Statement.docx", docx_bytes(), DOCX_TYPE, ".docx")],
)
def test_a_valid_file_is_stored_under_a_generated_name_and_downloaded_under_its_own(
    ncp_client, case, private_media, name, content, content_type, extension
):
    response = _upload(ncp_client, case, name, content, content_type="application/octet-stream")
    assert response.status_code == 302, response.context["form"].errors
    document = CaseDocument.objects.get()
    assert (document.original_name, document.title, document.content_type) == (name, name, content_type)
    assert document.size == len(content)
    assert re.fullmatch(rf"cases/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}{re.escape(extension)}", document.file.name)
    assert stored_files(private_media) == [private_media / document.file.name]
    assert (private_media / document.file.name).read_bytes() == content

    response = ncp_client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{name}"' in disposition
    assert b"".join(response.streaming_content) == content
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_another_states_ncp_gets_404_on_the_download(client, login, make_user, ee_ncp, case, private_media):
    document = services.document_upload(
        case=case, upload=SimpleUploadedFile("report.pdf", PDF), title="Report", by=ee_ncp
    )
    login(make_user(Role.NCP, "LV"))
    assert client.get(document.get_absolute_url()).status_code == 404


def test_a_document_of_an_anonymised_case_cannot_be_added(ee_ncp, case, private_media):
    case.anonymised_at = timezone.now()
    with pytest.raises(ValidationError, match="anonymised"):
        services.document_upload(case=case, upload=SimpleUploadedFile("report.pdf", PDF), title="", by=ee_ncp)
    assert stored_files(private_media) == []


def test_a_row_that_cannot_be_written_leaves_no_stored_file(case, ee_ncp, private_media):
    """The file is stored before its row; when the row fails its checks, the file goes too."""
    with pytest.raises(ValidationError, match="at most 200 characters"):
        services.document_upload(case=case, upload=SimpleUploadedFile("report.pdf", PDF), title="x" * 201, by=ee_ncp)
    assert not CaseDocument.objects.exists()
    assert stored_files(private_media) == []
