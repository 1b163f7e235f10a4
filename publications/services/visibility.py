"""Publishing (public or members only) and unpublishing; the first time out is recorded."""

from django.db import transaction

from core.audit import audited_as_by
from core.visibility import Visibility, visibility_change
from members.models import User
from publications.models import Publication


@audited_as_by
@transaction.atomic
def publication_set_visibility(*, publication: Publication, visibility: str, by: User | None = None) -> Publication:
    """Publish (public or members only) or unpublish (draft) a publication."""
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    publication.save(update_fields=visibility_change(publication, visibility))
    return publication


@audited_as_by
def publication_publish(*, publication: Publication, members_only: bool = False, by: User | None = None) -> Publication:
    visibility = Visibility.MEMBERS if members_only else Visibility.PUBLIC
    return publication_set_visibility(publication=publication, visibility=visibility, by=by)


@audited_as_by
def publication_unpublish(*, publication: Publication, by: User | None = None) -> Publication:
    return publication_set_visibility(publication=publication, visibility=Visibility.DRAFT, by=by)
