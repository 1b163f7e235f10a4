"""The library: publications whose abstracts are made of the field's phrases, a theme each, so
that "labour" and "forced labour" match a fifth of them or so, with their topics (and the
topics' names on the row, where the full-text search reads them) and an audience."""

import random

from django.utils.text import slugify

from core.visibility import Visibility
from publications.models import Audience, Publication, PublicationType, Topic
from thb_portal.bench_data.bulk import copy, next_id
from thb_portal.bench_data.world import World

# Each publication draws half its abstract from one theme, so that a word such as "labour" is
# in about a fifth of them: a search has thousands of matches to rank at L, not all.
THEMES = [
    [
        "forced labour",
        "labour exploitation",
        "labour inspectors",
        "recruitment agencies",
        "construction sites",
        "seasonal agricultural work",
        "debt bondage",
        "withheld wages",
    ],
    ["sexual exploitation", "online grooming", "lover-boy recruitment", "escort advertisements", "street outreach"],
    ["child trafficking", "unaccompanied minors", "guardianship", "best interests of the child"],
    [
        "the transnational referral mechanism",
        "national contact points",
        "safe return",
        "reintegration support",
        "case management",
    ],
    ["case data", "anonymised statistics", "data protection", "indicators", "research methods"],
]
COMMON = [
    "victims of trafficking",
    "the Baltic Sea Region",
    "presumed victims",
    "identification",
    "assistance",
    "cooperation between member states",
    "the task force",
    "practitioners",
    "recommendations",
    "training needs",
    "a survey of",
    "municipal services",
    "prosecution",
    "shelters",
]
CONNECTORS = ["in", "and", "for", "with", "across", "on", "towards", "after", "through"]


def abstract(rng: random.Random, theme: list[str]) -> str:
    sentences = []
    for _ in range(rng.randint(5, 9)):
        words = [rng.choice(theme if rng.random() < 0.5 else COMMON) for _ in range(rng.randint(3, 6))]
        sentence = f" {rng.choice(CONNECTORS)} ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + ".")
    return " ".join(sentences)


def write_publications(world: World) -> None:
    rng = world.rng
    topics = list(Topic.objects.order_by("position", "name"))
    audiences = list(Audience.objects.values_list("pk", flat=True))
    types = list(PublicationType.values)
    first_id = next_id(Publication)
    rows, topic_rows, audience_rows = [], [], []
    for index in range(world.size.publications):
        publication_id = first_id + index
        theme = THEMES[index % len(THEMES)]
        title = f"{rng.choice(theme).capitalize()} {rng.choice(CONNECTORS)} {rng.choice(COMMON)}"
        chosen = sorted(rng.sample(topics, k=min(2, len(topics))), key=lambda topic: (topic.position, topic.name))
        day = (world.start + (world.now - world.start) * (index / world.size.publications)).date()
        # One in twenty a draft, one in twenty for members only, the rest public.
        visibility = [Visibility.DRAFT, Visibility.MEMBERS][index % 20] if index % 20 < 2 else Visibility.PUBLIC
        rows.append(
            {
                "id": publication_id,
                "title": title,
                "slug": f"{slugify(title)[:150]}-{publication_id}",
                "type": types[index % len(types)],
                "publication_date": day,
                "abstract": abstract(rng, theme),
                "authors": f"Bench Author {index % 97}, Bench Author {index % 89}",
                "isbn": "",
                "cover": "",
                "cover_content_type": "",
                "project_id": None,
                "visibility": visibility,
                "published_at": None if visibility == Visibility.DRAFT else world.now,
                # As publication_index_topics keeps it: the topics' names in their order.
                "topics_text": " ".join(topic.name for topic in chosen),
                "created_at": world.now,
                "updated_at": world.now,
            }
        )
        topic_rows += [{"publication_id": publication_id, "topic_id": topic.pk} for topic in chosen]
        if audiences:
            audience_rows.append({"publication_id": publication_id, "audience_id": audiences[index % len(audiences)]})
    copy(Publication, rows)
    copy(Publication.topics.through, topic_rows)
    copy(Publication.audiences.through, audience_rows)
