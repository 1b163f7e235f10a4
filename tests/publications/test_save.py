"""publication_save: the admin's add and change forms are one service call, which decides
what happens to the files, the cover and the topics; `by` is the audit actor."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.visibility import Visibility
from members.models import Role
from publications import services
from publications.demo import minimal_pdf, tiny_png
from publications.models import Publication, PublicationFile, Topic
from tests.admin_forms import admin_form_data, change_url
from tests.publications.factories import PublicationFactory, attach_pdf, pdf_upload
from tests.publications.test_files import admin_add_data, stored_files

pytestmark = pytest.mark.django_db

NEW = {"title": "Guidelines", "slug": "guidelines", "type": "guidelines", "publication_date": date(2024, 3, 1)}


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


@pytest.fixture
def calls(monkeypatch):
    """The keyword arguments of each publication_save call the admin makes."""
    made = []
    real = services.publication_save

    def spy(**kwargs):
        made.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "publication_save", spy)
    return made


# The admin ---------------------------------------------------------------------------------


def test_adding_in_the_admin_is_one_publication_save_by_the_signed_in_user(secretariat_client, calls):
    upload = SimpleUploadedFile("guidelines.pdf", minimal_pdf("Guidelines", 3))
    topic = Topic.objects.get(code="identification")
    response = secretariat_client.post(
        reverse("admin:publications_publication_add"), admin_add_data(upload, topics=[topic.pk])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [call] = calls
    assert call["by"] == secretariat_client.user
    assert [(row.language, row.file_id, row.remove) for row in call["files"]] == [("en", None, False)]
    assert list(call["m2m"]["topics"]) == [topic]
    publication = Publication.objects.get()
    assert publication.files.get().page_count == 3
    assert publication.topics_text == "Identification of victims"
    # The admin's own history still says what was added.
    assert "Added" in AdminLogEntry.objects.get(object_id=str(publication.pk)).get_change_message()


def test_changing_in_the_admin_passes_only_what_changed(secretariat_client, calls):
    publication = PublicationFactory(title="Old title", visibility=Visibility.DRAFT)
    data = admin_form_data(secretariat_client, change_url(publication), title="New title")
    response = secretariat_client.post(change_url(publication), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    [call] = calls
    assert (call["data"], call["m2m"], call["files"]) == ({"title": "New title"}, {}, [])
    publication.refresh_from_db()
    assert (publication.title, publication.visibility) == ("New title", Visibility.DRAFT)
    entry = LogEntry.objects.get_for_object(publication).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == secretariat_client.user
    assert set(entry.changes_dict) == {"title", "updated_at"}


def test_the_admin_moves_a_file_to_another_language_and_keeps_the_file(secretariat_client, private_media):
    publication = PublicationFactory()
    english = attach_pdf(publication, "en")
    stored_name = english.file.name
    data = admin_form_data(secretariat_client, change_url(publication), **{"files-0-language": "de"})
    response = secretariat_client.post(change_url(publication), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    moved = PublicationFile.objects.get(publication=publication)
    assert (moved.pk, moved.language, moved.file.name) == (english.pk, "de", stored_name)


def test_changing_only_the_topics_in_the_admin_reindexes_and_marks_the_row_changed(secretariat_client):
    publication = PublicationFactory()
    before = publication.updated_at
    topic = Topic.objects.get(code="identification")
    data = admin_form_data(secretariat_client, change_url(publication), topics=[str(topic.pk)])
    assert secretariat_client.post(change_url(publication), data).status_code == 302
    publication.refresh_from_db()
    assert publication.topics_text == "Identification of victims"
    assert publication.updated_at > before


def test_the_admin_replaces_the_cover_and_removes_it(secretariat_client, private_media):
    publication = PublicationFactory()
    cover = SimpleUploadedFile("cover.png", tiny_png())
    data = admin_form_data(secretariat_client, change_url(publication), cover_upload=cover)
    assert secretariat_client.post(change_url(publication), data).status_code == 302
    publication.refresh_from_db()
    assert publication.cover_content_type == "image/png"
    data = admin_form_data(secretariat_client, change_url(publication), remove_cover="on")
    assert secretariat_client.post(change_url(publication), data).status_code == 302
    publication.refresh_from_db()
    assert not publication.cover


# The service -------------------------------------------------------------------------------


def test_a_new_publication_with_its_file_and_cover_in_one_call(secretariat, private_media):
    publication = services.publication_save(
        publication=Publication(),
        data=NEW,
        files=[services.FileRow(language="en", upload=pdf_upload(pages=4))],
        cover=ContentFile(tiny_png(), name="cover.png"),
        by=secretariat,
    )
    assert publication.visibility == Visibility.DRAFT
    assert publication.files.get().page_count == 4
    assert publication.cover_content_type == "image/png"
    assert len(stored_files(private_media)) == 2


def test_removing_a_file_lets_another_row_take_its_language(secretariat, private_media):
    publication = PublicationFactory()
    english, latvian = attach_pdf(publication, "en"), attach_pdf(publication, "lv")
    services.publication_save(
        publication=publication,
        data={},
        files=[
            services.FileRow(file_id=english.pk, remove=True),
            services.FileRow(language="en", file_id=latvian.pk),
        ],
        by=secretariat,
    )
    assert list(publication.files.values_list("pk", "language")) == [(latvian.pk, "en")]


def test_publishing_is_not_a_field_the_save_sets(secretariat):
    publication = PublicationFactory(visibility=Visibility.DRAFT)
    with pytest.raises(ValidationError, match="actions of the publication list"):
        services.publication_save(publication=publication, data={"visibility": Visibility.PUBLIC}, by=secretariat)
    publication.refresh_from_db()
    assert publication.visibility == Visibility.DRAFT


def test_a_file_of_another_publication_is_refused_and_nothing_changes(secretariat, private_media):
    publication, other = PublicationFactory(title="Mine"), PublicationFactory()
    theirs = attach_pdf(other, "en")
    with pytest.raises(ValidationError, match="not one of this publication's"):
        services.publication_save(
            publication=publication,
            data={"title": "Changed"},
            files=[services.FileRow(file_id=theirs.pk, remove=True)],
            by=secretariat,
        )
    publication.refresh_from_db()
    assert publication.title == "Mine"
    assert PublicationFile.objects.filter(pk=theirs.pk).exists()
