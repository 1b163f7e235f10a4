"""The lists publications are tagged with: audiences and topics (the secretariat's admin).

A topic's name is copied onto each of its publications' rows, where the full-text search
reads it (publication_index_topics): a renamed, reordered or deleted topic copies its
publications' text again. Audiences are a label only; their saves come here all the same,
so that every write has one place and an audit actor.
"""

from django.db import transaction

from core.audit import audited_as_by
from members.models import User
from publications.models import Audience, Publication, Topic
from publications.services.topics import publication_index_topics

# What publication_index_topics copies from a topic, in its order.
INDEXED_TOPIC_FIELDS = ("name", "position")


def _index_publications_of(publication_ids: list[int]) -> None:
    for publication in Publication.objects.filter(pk__in=publication_ids).order_by("pk"):
        publication_index_topics(publication=publication)


def _tagged(topic: Topic) -> list[int]:
    return list(Publication.objects.filter(topics=topic).values_list("pk", flat=True))


@audited_as_by
@transaction.atomic
def topic_save(*, topic: Topic, by: User | None) -> Topic:
    """Add or change a topic; its publications' search text follows a new name or place."""
    stored = Topic.objects.filter(pk=topic.pk).values(*INDEXED_TOPIC_FIELDS).first() if topic.pk else None
    topic.full_clean()
    topic.save()
    if stored is not None and any(stored[name] != getattr(topic, name) for name in INDEXED_TOPIC_FIELDS):
        _index_publications_of(_tagged(topic))
    return topic


@audited_as_by
@transaction.atomic
def topic_delete(*, topic: Topic, by: User | None) -> None:
    """Delete a topic; its publications lose it, and its name from their search text."""
    tagged = _tagged(topic)
    topic.delete()
    _index_publications_of(tagged)


@audited_as_by
@transaction.atomic
def audience_save(*, audience: Audience, by: User | None) -> Audience:
    audience.full_clean()
    audience.save()
    return audience


@audited_as_by
@transaction.atomic
def audience_delete(*, audience: Audience, by: User | None) -> None:
    audience.delete()
