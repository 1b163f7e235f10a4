"""A publication's files and cover: checked by content before anything is stored, stored under
generated names, the replaced or removed content deleted once committed; downloads counted."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.languages import LANGUAGE_NAMES
from core.uploads import (
    IMAGE_TYPES,
    PUBLICATION_FILE_TYPES,
    CheckedUpload,
    check_upload,
    generated_storage_name,
    page_count,
    store_checked_upload,
)
from publications.models import Publication, PublicationFile
from publications.services._storage import delete_stored_after_commit


def check_publication_file(upload: "File[bytes]") -> CheckedUpload:
    return check_upload(upload, allowed=PUBLICATION_FILE_TYPES, max_bytes=settings.THB_PUBLICATION_MAX_UPLOAD_BYTES)


def check_cover(upload: "File[bytes]") -> CheckedUpload:
    return check_upload(upload, allowed=IMAGE_TYPES, max_bytes=settings.THB_COVER_MAX_UPLOAD_BYTES)


def _touch(publication: Publication) -> None:
    publication.updated_at = timezone.now()
    publication.save(update_fields=["updated_at"])


@transaction.atomic
def publication_file_attach(*, publication: Publication, language: str, upload: "File[bytes]") -> PublicationFile:
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
    delete_stored_after_commit(publication_file.file.storage, replaced_name)
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
    delete_stored_after_commit(storage, name)
    _touch(publication)


def publication_file_count_download(*, publication_file: PublicationFile) -> None:
    # One counter per file, raised in the database: no per-person record exists. Not
    # audited: auditlog leaves the counter out (publications/apps.py).
    PublicationFile.objects.filter(pk=publication_file.pk).update(download_count=F("download_count") + 1)


@transaction.atomic
def publication_set_cover(*, publication: Publication, upload: "File[bytes] | None" = None) -> Publication:
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
    delete_stored_after_commit(storage, old_name)
    return publication
