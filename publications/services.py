"""Writes on publications: files, cover, topics, visibility, downloads, deletion.

Files are checked by content before anything is stored, stored under generated
names, and removed from storage once the row that pointed to them is gone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from publications.languages import LANGUAGE_NAMES
from publications.models import Publication, PublicationFile, Topic
from thb_portal.public_figures import public_figures_changed
from thb_portal.uploads import (
    IMAGE_TYPES,
    PUBLICATION_FILE_TYPES,
    CheckedUpload,
    check_upload,
    generated_storage_name,
    page_count,
    store_checked_upload,
)
from thb_portal.visibility import Visibility


def check_publication_file(upload) -> CheckedUpload:
    return check_upload(upload, allowed=PUBLICATION_FILE_TYPES, max_bytes=settings.THB_PUBLICATION_MAX_UPLOAD_BYTES)


def check_cover(upload) -> CheckedUpload:
    return check_upload(upload, allowed=IMAGE_TYPES, max_bytes=settings.THB_COVER_MAX_UPLOAD_BYTES)


def _delete_stored_after_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _touch(publication: Publication) -> None:
    publication.updated_at = timezone.now()
    publication.save(update_fields=["updated_at"])


@transaction.atomic
def publication_file_attach(*, publication: Publication, language: str, upload) -> PublicationFile:
    """Store `upload` as the publication's file in `language`, replacing any earlier one.

    A file that fails the checks raises ValidationError and leaves nothing behind.
    """
    if language not in LANGUAGE_NAMES:
        raise ValidationError(f"Unknown language code “{language}”.")
    checked = check_publication_file(upload)
    pages = page_count(upload, checked.file_type)
    # Locks the publication, so two uploads in one language cannot both add a row.
    Publication.objects.select_for_update().filter(pk=publication.pk).first()
    existing = PublicationFile.objects.filter(publication=publication, language=language).first()
    publication_file = existing or PublicationFile(publication=publication, language=language)
    replaced_name = existing.file.name if existing else ""
    publication_file.page_count = pages
    publication_file.uploaded_at = timezone.now()
    store_checked_upload(publication_file, upload, checked)
    _delete_stored_after_commit(publication_file.file.storage, replaced_name)
    _touch(publication)
    return publication_file


@transaction.atomic
def publication_file_set_language(*, publication_file: PublicationFile, language: str) -> PublicationFile:
    publication_file.language = language
    publication_file.full_clean(exclude=["file"])
    publication_file.save(update_fields=["language"])
    return publication_file


@transaction.atomic
def publication_file_remove(*, publication_file: PublicationFile) -> None:
    storage, name = publication_file.file.storage, publication_file.file.name
    publication = publication_file.publication
    publication_file.delete()
    _delete_stored_after_commit(storage, name)
    _touch(publication)


def publication_file_count_download(*, publication_file: PublicationFile) -> None:
    # One counter per file, raised in the database: no per-person record exists. Not
    # audited: auditlog leaves the counter out (publications/apps.py).
    PublicationFile.objects.filter(pk=publication_file.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def publication_set_cover(*, publication: Publication, upload=None) -> Publication:
    """Store a PNG or JPEG cover (checked by content), or remove the cover when upload is None."""
    storage, old_name = publication.cover.storage, publication.cover.name
    if upload is None:
        publication.cover = ""
        publication.cover_content_type = ""
    else:
        checked = check_cover(upload)
        publication.cover.save(generated_storage_name(checked), upload, save=False)
        publication.cover_content_type = checked.file_type.mime_type
    publication.updated_at = timezone.now()
    publication.save(update_fields=["cover", "cover_content_type", "updated_at"])
    _delete_stored_after_commit(storage, old_name)
    return publication


@transaction.atomic
def publication_set_topics(*, publication: Publication, topics) -> Publication:
    publication.topics.set(topics)
    return publication_index_topics(publication=publication)


def publication_index_topics(*, publication: Publication) -> Publication:
    """Copy the topics' names onto the row, where the full-text search reads them."""
    names = " ".join(Topic.objects.filter(publications=publication).order_by("position").values_list("name", flat=True))
    if names != publication.topics_text:
        publication.topics_text = names
        publication.save(update_fields=["topics_text"])
    return publication


@transaction.atomic
def publication_set_visibility(*, publication: Publication, visibility: str) -> Publication:
    """Publish (public or members only) or unpublish (draft) a publication."""
    if visibility not in Visibility.values:
        raise ValidationError(f"Unknown visibility “{visibility}”.")
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publication.visibility = visibility
    if visibility != Visibility.DRAFT and publication.published_at is None:
        # The feed lists publications by when they first went out, not by their date.
        publication.published_at = timezone.now()
    publication.updated_at = timezone.now()
    publication.save(update_fields=["visibility", "published_at", "updated_at"])
    public_figures_changed()
    return publication


def publication_publish(*, publication: Publication, members_only: bool = False) -> Publication:
    visibility = Visibility.MEMBERS if members_only else Visibility.PUBLIC
    return publication_set_visibility(publication=publication, visibility=visibility)


def publication_unpublish(*, publication: Publication) -> Publication:
    return publication_set_visibility(publication=publication, visibility=Visibility.DRAFT)


@transaction.atomic
def publication_delete(*, publication: Publication) -> None:
    """Delete the publication with its files, and their stored content once committed."""
    public_figures_changed()
    stored = [(f.file.storage, f.file.name) for f in publication.files.all()]
    if publication.cover:
        stored.append((publication.cover.storage, publication.cover.name))
    publication.delete()
    for storage, name in stored:
        _delete_stored_after_commit(storage, name)
