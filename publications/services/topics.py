"""A publication's topics, and the copy of their names on its row that the full-text search reads."""

from collections.abc import Iterable

from django.db import transaction

from publications.models import Publication, Topic


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
