"""The only way from a URL slug to a publication, its files or its cover.

Each answers 404 when the item is missing and when the user may not see it, except
that an anonymous visitor asking for a members-only item is asked to sign in.
"""

from typing import NoReturn

from django.http import Http404

from core.types import AnyUser
from core.visibility import SignInRequired, Visibility, visible_levels
from publications.models import Publication, PublicationFile, PublicationQuerySet

DRAFT_PERMISSION = "publications.view_draft_publication"


def publication_levels(user: AnyUser) -> list[str]:
    return visible_levels(user, draft_permission=DRAFT_PERMISSION)


def publications_for(user: AnyUser) -> PublicationQuerySet:
    return Publication.objects.at_levels(publication_levels(user))


def _not_found_or_sign_in(user: AnyUser, slug: str, what: str) -> NoReturn:
    members_only = Publication.objects.filter(slug=slug, visibility=Visibility.MEMBERS)
    if not user.is_authenticated and members_only.exists():
        raise SignInRequired
    raise Http404(f"No such {what}.")


def access_publication(user: AnyUser, slug: str) -> Publication:
    publication = (
        publications_for(user)
        .select_related("project")
        .prefetch_related("audiences", "topics", "files")
        .filter(slug=slug)
        .first()
    )
    if publication is None:
        _not_found_or_sign_in(user, slug, "publication")
    return publication


def access_publication_file(user: AnyUser, slug: str, language: str) -> PublicationFile:
    publication_file = (
        PublicationFile.objects.filter(
            publication__slug=slug, publication__visibility__in=publication_levels(user), language=language
        )
        .select_related("publication")
        .first()
    )
    if publication_file is None:
        _not_found_or_sign_in(user, slug, "file")
    return publication_file


def access_publication_cover(user: AnyUser, slug: str) -> Publication:
    publication = publications_for(user).filter(slug=slug).exclude(cover="").first()
    if publication is None:
        _not_found_or_sign_in(user, slug, "cover")
    return publication
