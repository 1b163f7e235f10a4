"""The secretariat's edits: a publication saved from the form (with its files, cover, audiences
and topics) in one call, and deleted with its stored content."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by
from core.db import update_fields
from members.models import User
from publications.models import Publication, PublicationFile
from publications.services._storage import delete_stored_after_commit
from publications.services.files import (
    publication_file_attach,
    publication_file_remove,
    publication_file_set_language,
    publication_set_cover,
)
from publications.services.topics import publication_index_topics


@audited_as_by
@transaction.atomic
def publication_delete(*, publication: Publication, by: User | None = None) -> None:
    """Delete the publication with its files, and their stored content once committed."""
    stored = [(f.file.storage, f.file.name) for f in publication.files.all()]
    if publication.cover:
        stored.append((publication.cover.storage, publication.cover.name))
    publication.delete()
    for storage, name in stored:
        delete_stored_after_commit(storage, name)


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
