from django.db.models import F, QuerySet

from core.types import AnyUser
from projects.models import Project
from publications.access import publications_for
from publications.models import Publication, PublicationQuerySet


def publication_list(*, user: AnyUser) -> PublicationQuerySet:
    """The publications `user` may see, with what a list shows, newest first."""
    return (
        publications_for(user)
        .select_related("project")
        .prefetch_related("audiences", "files")
        .order_by("-publication_date", "-pk")
    )


def mandate_list(*, user: AnyUser) -> QuerySet[Publication]:
    return publication_list(user=user).mandates()


def latest_public_publications(*, limit: int = 30) -> list[Publication]:
    """What the feed lists: public publications by when they went public, newest first."""
    return list(
        Publication.objects.public()
        .prefetch_related("topics")
        .order_by(F("published_at").desc(nulls_last=True), "-publication_date", "-pk")[:limit]
    )


def project_publications(*, user: AnyUser, project: Project) -> QuerySet[Publication]:
    """The project's publications that `user` may see: its page's outputs (projects.sections)."""
    return publications_for(user).filter(project=project).prefetch_related("files").order_by("-publication_date", "-pk")
