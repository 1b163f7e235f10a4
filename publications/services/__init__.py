"""Writes on publications: the secretariat's form, files, cover, topics, visibility, downloads, deletion.

Files are checked by content before anything is stored, stored under generated
names, and removed from storage once the row that pointed to them is gone.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from core.uploads import (
    IMAGE_TYPES,
    PUBLICATION_FILE_TYPES,
    CheckedUpload,
    check_upload,
    generated_storage_name,
    page_count,
    store_checked_upload,
)
from core.visibility import Visibility
from members.models import User
from publications.languages import LANGUAGE_NAMES
from publications.models import Publication, PublicationFile, Topic


def check_publication_file(upload: "File[bytes]") -> CheckedUpload:
    return check_upload(upload, allowed=PUBLICATION_FILE_TYPES, max_bytes=settings.THB_PUBLICATION_MAX_UPLOAD_BYTES)


def check_cover(upload: "File[bytes]") -> CheckedUpload:
    return check_upload(upload, allowed=IMAGE_TYPES, max_bytes=settings.THB_COVER_MAX_UPLOAD_BYTES)


def _delete_stored_after_commit(storage: Storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


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
    _delete_stored_after_commit(storage, old_name)
    return publication


@transaction.atomic
def publication_set_topics(*, publication: Publication, topics: Iterable[Topic]) -> Publication:
    publication.topics.set(topics)
    return publication_index_topics(publication=publication)


def publication_index_topics(*, publication: Publication) -> Publication:
    """Copy the topics' names onto the row, where the full-text search reads them."""
    names = " ".join(Topic.objects.filter(publications=publication).order_by("position").values_list("name", flat=True))
    if names != publication.topics_text:
        publication.topics_text = names
        publication.save(update_fields=["topics_text"])
    return publication


@audited_as_by
@transaction.atomic
def publication_set_visibility(*, publication: Publication, visibility: str, by: User | None = None) -> Publication:
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
    return publication


@audited_as_by
def publication_publish(*, publication: Publication, members_only: bool = False, by: User | None = None) -> Publication:
    visibility = Visibility.MEMBERS if members_only else Visibility.PUBLIC
    return publication_set_visibility(publication=publication, visibility=visibility, by=by)


@audited_as_by
def publication_unpublish(*, publication: Publication, by: User | None = None) -> Publication:
    return publication_set_visibility(publication=publication, visibility=Visibility.DRAFT, by=by)


@audited_as_by
@transaction.atomic
def publication_delete(*, publication: Publication, by: User | None = None) -> None:
    """Delete the publication with its files, and their stored content once committed."""
    stored = [(f.file.storage, f.file.name) for f in publication.files.all()]
    if publication.cover:
        stored.append((publication.cover.storage, publication.cover.name))
    publication.delete()
    for storage, name in stored:
        _delete_stored_after_commit(storage, name)


# The secretariat's form ----------------------------------------------------------------

# Set by publication_set_visibility alone, which records when a publication first went out.
VISIBILITY_FIELDS = {"visibility", "published_at"}


@dataclass(frozen=True)
class FileRow:
    """One row of a publication's files, as the form gives it."""

    language: str = ""
    # A new file for the language, replacing the one stored in it.
    upload: Any = None
    # The stored file the row shows; None for a new row.
    file_id: int | None = None
    remove: bool = False


def _stored_files(publication: Publication, rows: list[FileRow]) -> dict[int, PublicationFile]:
    ids = {row.file_id for row in rows if row.file_id is not None}
    stored = {f.pk: f for f in PublicationFile.objects.filter(publication=publication, pk__in=ids)}
    if ids - set(stored):
        raise ValidationError("A file in the form is not one of this publication's; reload the page.")
    return stored


@audited_as_by
@transaction.atomic
def publication_save(
    *,
    publication: Publication,
    data: dict[str, Any],
    m2m: dict[str, Any] | None = None,
    files: Iterable[FileRow] = (),
    cover: "File[bytes] | None" = None,
    remove_cover: bool = False,
    by: User | None,
) -> Publication:
    """Create a publication, or change one, with its files, cover and topics, from the form.

    `data` holds the fields to set (on a change, those that changed) and `m2m` the audiences
    and topics to set. Of the file rows, those to remove go first (so that another row may
    take their language); a stored file given another language is moved to it; an upload
    replaces the file in its row's language. Publishing is publication_set_visibility's.
    """
    if VISIBILITY_FIELDS & set(data):
        raise ValidationError("Publish or unpublish a publication with the actions of the publication list.")
    created = publication.pk is None
    if created:
        for name, value in data.items():
            setattr(publication, name, value)
        publication.full_clean()
        publication.save()
    else:
        update_fields(publication, data)
    for name, values in (m2m or {}).items():
        getattr(publication, name).set(values)
    if m2m and not data and not created:
        # Only audiences or topics changed: the row still records that it was changed.
        update_fields(publication, {"updated_at": timezone.now()}, clean=False)
    rows = list(files)
    stored = _stored_files(publication, rows)
    for row in rows:
        if row.remove and row.file_id is not None:
            publication_file_remove(publication_file=stored[row.file_id])
    for row in rows:
        if row.remove:
            continue
        existing = stored.get(row.file_id) if row.file_id is not None else None
        if existing is not None and existing.language != row.language:
            publication_file_set_language(publication_file=existing, language=row.language)
        if row.upload:
            publication_file_attach(publication=publication, language=row.language, upload=row.upload)
    if cover:
        publication_set_cover(publication=publication, upload=cover)
    elif remove_cover and publication.cover:
        publication_set_cover(publication=publication, upload=None)
    publication_index_topics(publication=publication)
    return publication
