"""Publishing (public or members only) and unpublishing; the first time out is recorded."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by
from core.visibility import Visibility
from members.models import User
from publications.models import Publication


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
