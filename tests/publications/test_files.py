"""Publication files and covers: checked by content, stored under generated names, served through views."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.uploads import page_count
from core.visibility import Visibility
from members.models import Role
from publications import services
from publications.demo import minimal_pdf, tiny_png
from publications.models import Audience, Publication, PublicationFile, Topic
from tests.publications.factories import PublicationFactory, attach_pdf, pdf_upload

pytestmark = pytest.mark.django_db


def stored_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def docx_bytes(pages: int | None = 7) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if pages is not None:
            archive.writestr("docProps/app.xml", f"<Properties><Pages>{pages}</Pages></Properties>")
    return buffer.getvalue()


def odt_bytes(pages: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("meta.xml", f'<office:meta><meta:document-statistic meta:page-count="{pages}"/></office:meta>')
    return buffer.getvalue()


def ole2_bytes(stream_name: str) -> bytes:
    """The start of a compound file, with one directory entry carrying `stream_name`."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return header + b"\x00" * 1024 + stream_name.encode("utf-16-le") + b"\x00" * 4000


def test_a_pdf_is_stored_under_a_generated_name_with_its_page_count(private_media):
    publication = PublicationFactory()
    publication_file = services.publication_file_attach(
        publication=publication, language="en", upload=pdf_upload("Round-up report (final).pdf", pages=3)
    )
    assert publication_file.original_name == "Round-up report (final).pdf"
    assert publication_file.content_type == "application/pdf"
    assert publication_file.page_count == 3
    assert len(publication_file.sha256) == 64
    assert publication_file.file.name.startswith("publications/files/")
    assert "Round-up" not in publication_file.file.name and publication_file.file.name.endswith(".pdf")
    assert stored_files(private_media) == [publication_file.file.name]


def test_office_documents_are_accepted_with_their_page_count_where_stored(private_media):
    publication = PublicationFactory()
    docx = services.publication_file_attach(
        publication=publication, language="de", upload=ContentFile(docx_bytes(7), name="Bericht.docx")
    )
    assert (docx.content_type, docx.page_count, docx.format_label) == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        7,
        "DOCX",
    )
    doc = services.publication_file_attach(
        publication=publication, language="sv", upload=ContentFile(ole2_bytes("WordDocument"), name="Rapport.doc")
    )
    assert (doc.content_type, doc.page_count, doc.format_label) == ("application/msword", None, "DOC")
    odt = services.publication_file_attach(
        publication=publication, language="fi", upload=ContentFile(odt_bytes(12), name="Raportti.odt")
    )
    assert (odt.content_type, odt.page_count, odt.format_label) == (
        "application/vnd.oasis.opendocument.text",
        12,
        "ODT",
    )


def test_pdf_page_count_is_read_approximately_and_none_when_it_cannot_be():
    from core.uploads import PDF

    assert page_count(ContentFile(minimal_pdf("x", 5)), PDF) == 5
    # Page objects hidden in compressed object streams cannot be counted without a PDF library.
    assert page_count(ContentFile(b"%PDF-1.7\n1 0 obj <</Type /ObjStm>> stream ... endstream"), PDF) is None


DISGUISED = [
    (tiny_png(), "report.pdf", "This kind of file is not accepted"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "report.pdf", "This kind of file is not accepted"),
    (b"Just some text, not a PDF at all.\n" * 10, "report.pdf", "This kind of file is not accepted"),
    (b"<html><script>alert(1)</script></html>", "report.docx", "This kind of file is not accepted"),
    (docx_bytes(), "report.pdf", "The file is a Word document but its name ends in “.pdf”"),
    (minimal_pdf("x"), "report.docx", "The file is a PDF but its name ends in “.docx”"),
    (ole2_bytes("Workbook"), "budget.doc", "This kind of file is not accepted"),
    (b"", "empty.pdf", "The file is empty"),
]


@pytest.mark.parametrize(
    ("content", "name", "message"), DISGUISED, ids=[d[1] + str(i) for i, d in enumerate(DISGUISED)]
)
def test_a_file_that_is_not_what_its_name_claims_is_refused_and_nothing_is_stored(
    private_media, content, name, message
):
    publication = PublicationFactory()
    with pytest.raises(ValidationError) as refused:
        services.publication_file_attach(publication=publication, language="en", upload=ContentFile(content, name=name))
    assert message in " ".join(refused.value.messages)
    assert not PublicationFile.objects.exists()
    assert stored_files(private_media) == []


def test_a_file_over_the_size_limit_is_refused(private_media, settings):
    settings.THB_PUBLICATION_MAX_UPLOAD_BYTES = 1024 * 1024
    big = minimal_pdf("big") + b"%" + b"x" * (1024 * 1024)
    with pytest.raises(ValidationError, match="the limit is 1 MB"):
        services.publication_file_attach(
            publication=PublicationFactory(), language="en", upload=ContentFile(big, name="big.pdf")
        )
    assert stored_files(private_media) == []


def test_a_file_with_a_path_in_its_name_is_refused(private_media):
    with pytest.raises(ValidationError, match="plain name"):
        services.publication_file_attach(
            publication=PublicationFactory(), language="en", upload=pdf_upload("../../etc/report.pdf")
        )


def test_one_file_per_language_a_new_upload_replaces_the_old(private_media, django_capture_on_commit_callbacks):
    publication = PublicationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = attach_pdf(publication, pages=1)
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = attach_pdf(publication, pages=4)
    assert PublicationFile.objects.filter(publication=publication).count() == 1
    assert second.pk == first.pk and second.page_count == 4
    assert stored_files(private_media) == [second.file.name] != [old_name]


def test_deleting_a_publication_removes_its_stored_files(private_media, django_capture_on_commit_callbacks):
    publication = PublicationFactory()
    attach_pdf(publication, "en")
    attach_pdf(publication, "lv")
    services.publication_set_cover(publication=publication, upload=ContentFile(tiny_png(), name="c.png"))
    assert len(stored_files(private_media)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_delete(publication=publication)
    assert stored_files(private_media) == []


def test_a_cover_must_be_an_image(private_media):
    publication = PublicationFactory()
    with pytest.raises(ValidationError, match="not accepted"):
        services.publication_set_cover(publication=publication, upload=pdf_upload("cover.png"))
    assert stored_files(private_media) == []
    services.publication_set_cover(publication=publication, upload=ContentFile(tiny_png(), name="cover.png"))
    publication.refresh_from_db()
    assert publication.cover_content_type == "image/png"


def test_a_download_by_the_button_counts_once_and_a_plain_get_of_the_file_counts_nothing(client, private_media):
    publication = PublicationFactory(slug="round-up-2023")
    attach_pdf(publication, "en", pages=2)
    url = reverse("publications:download", args=["round-up-2023", "en"])
    button = reverse("publications:download_counted", args=["round-up-2023", "en"])
    page = client.get(publication.get_absolute_url()).content.decode()
    assert f'<form class="d-inline" method="post" action="{button}">' in page
    assert f'href="{url}"' not in page  # no plain link that a crawler would follow

    # The button: one download counted, then on to the file's address.
    response = client.post(button)
    assert (response.status_code, response.url) == (303, url)
    assert PublicationFile.objects.get().download_count == 1

    # The file's address only reads: a crawler, a shared link, a HEAD are served, not counted.
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="round-up-2023-en.pdf"'
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.head(url).status_code == 200
    assert client.get(button).status_code == 405  # counting takes the button's POST
    assert PublicationFile.objects.get().download_count == 1
    assert "downloaded 1 time" in client.get(publication.get_absolute_url()).content.decode()


def test_the_download_button_counts_only_what_the_visitor_may_see(client, make_user, private_media):
    members = PublicationFactory(slug="members-report", visibility=Visibility.MEMBERS)
    draft = PublicationFactory(slug="draft-report", visibility=Visibility.DRAFT)
    attach_pdf(members, "en")
    attach_pdf(draft, "en")
    response = client.post(reverse("publications:download_counted", args=["members-report", "en"]))
    # Signed out meanwhile: to sign in, then back to the page (not to a POST-only address).
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=/library/members-report/"
    assert client.post(reverse("publications:download_counted", args=["draft-report", "en"])).status_code == 404
    client.force_login(make_user(Role.OBSERVER))
    assert client.post(reverse("publications:download_counted", args=["members-report", "xx"])).status_code == 404
    assert client.post(reverse("publications:download_counted", args=["draft-report", "en"])).status_code == 404
    assert set(PublicationFile.objects.values_list("download_count", flat=True)) == {0}
    assert client.post(reverse("publications:download_counted", args=["members-report", "en"])).status_code == 303
    assert PublicationFile.objects.get(publication=members).download_count == 1


def test_a_missing_stored_file_answers_404_not_500(client, private_media):
    publication = PublicationFactory(slug="lost")
    publication_file = attach_pdf(publication)
    publication_file.file.storage.delete(publication_file.file.name)
    assert client.get(reverse("publications:download", args=["lost", "en"])).status_code == 404


def test_covers_are_served_as_images_only_to_those_who_may_see_the_publication(client, make_user, private_media):
    publication = PublicationFactory(slug="members-cover", visibility=Visibility.MEMBERS)
    services.publication_set_cover(publication=publication, upload=ContentFile(tiny_png(), name="c.png"))
    url = reverse("publications:cover", args=["members-cover"])
    assert client.get(url).status_code == 302
    client.force_login(make_user(Role.OBSERVER))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"]


# The admin --------------------------------------------------------------------------


def admin_add_data(upload, language="en", **fields) -> dict:
    return {
        "title": "Guidelines for municipalities",
        "slug": "guidelines-municipalities",
        "type": "guidelines",
        "publication_date": "2024-03-01",
        "abstract": "How to detect trafficking.",
        "authors": "",
        "isbn": "",
        "project": "",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-language": language,
        "files-0-upload": upload,
        "_save": "Save",
        **fields,
    }


def test_the_admin_refuses_a_disguised_file_with_a_clear_error_and_stores_nothing(secretariat_client, private_media):
    upload = SimpleUploadedFile("guidelines.pdf", docx_bytes(), content_type="application/pdf")
    response = secretariat_client.post(reverse("admin:publications_publication_add"), admin_add_data(upload))
    assert response.status_code == 200
    assert "The file is a Word document but its name ends in “.pdf”" in response.content.decode()
    assert not Publication.objects.exists()
    assert not PublicationFile.objects.exists()
    assert stored_files(private_media) == []


def test_the_admin_refuses_a_cover_that_is_not_an_image(secretariat_client, private_media):
    upload = SimpleUploadedFile("guidelines.pdf", minimal_pdf("x"))
    cover = SimpleUploadedFile("cover.jpg", b"GIF89a" + b"\x00" * 100)
    response = secretariat_client.post(
        reverse("admin:publications_publication_add"), admin_add_data(upload, cover_upload=cover)
    )
    assert response.status_code == 200
    assert "This kind of file is not accepted. Accepted: PNG image, JPEG image" in response.content.decode()
    assert stored_files(private_media) == []


def test_the_admin_adds_a_draft_with_its_file_and_cover(secretariat_client, private_media):
    upload = SimpleUploadedFile("guidelines.pdf", minimal_pdf("Guidelines", 3))
    cover = SimpleUploadedFile("cover.png", tiny_png())
    audiences = [
        str(pk)
        for pk in Audience.objects.filter(code__in=["municipalities", "mass-media"]).values_list("pk", flat=True)
    ]
    data = admin_add_data(
        upload, cover_upload=cover, audiences=audiences, topics=[Topic.objects.get(code="identification").pk]
    )
    response = secretariat_client.post(reverse("admin:publications_publication_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    publication = Publication.objects.get()
    assert publication.visibility == Visibility.DRAFT
    assert publication.files.get().page_count == 3
    assert publication.cover_content_type == "image/png"
    assert publication.topics_text == "Identification of victims"
    assert len(stored_files(private_media)) == 2


def test_the_admin_replaces_and_removes_files(secretariat_client, private_media, django_capture_on_commit_callbacks):
    publication = PublicationFactory()
    english = attach_pdf(publication, "en", pages=1)
    latvian = attach_pdf(publication, "lv", pages=1)
    data = {
        **admin_add_data("", slug=publication.slug, title=publication.title),
        "files-TOTAL_FORMS": "2",
        "files-INITIAL_FORMS": "2",
        "files-0-id": str(english.pk),
        "files-0-publication": str(publication.pk),
        "files-0-language": "en",
        "files-0-upload": SimpleUploadedFile("new.pdf", minimal_pdf("New", 5)),
        "files-1-id": str(latvian.pk),
        "files-1-publication": str(publication.pk),
        "files-1-language": "lv",
        "files-1-DELETE": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:publications_publication_change", args=[publication.pk]), data
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    remaining = PublicationFile.objects.get(publication=publication)
    assert (remaining.language, remaining.page_count) == ("en", 5)
    assert stored_files(private_media) == [remaining.file.name]
