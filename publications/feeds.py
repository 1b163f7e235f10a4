"""RSS and Atom feeds of new public publications."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from publications import selectors
from publications.models import Publication


class NewPublicationsFeed(Feed):
    title = "TF-THB library: new publications"
    description = (
        "New public reports, studies, guidelines and mandates of the CBSS Task Force against Trafficking in "
        "Human Beings."
    )

    def link(self):
        return reverse("publications:library")

    def items(self):
        return selectors.latest_public_publications()

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        return Truncator(item.abstract).words(80)

    def item_link(self, item: Publication) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Publication) -> str:
        return f"{item.get_absolute_url()}#publication-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Publication) -> str | None:
        return item.authors or None

    def item_pubdate(self, item: Publication) -> datetime:
        return item.published_at or timezone.make_aware(datetime.combine(item.publication_date, time()))

    def item_updateddate(self, item: Publication) -> datetime:
        return item.updated_at

    def item_categories(self, item: Publication) -> list[str]:
        return [item.get_type_display(), *(topic.name for topic in item.topics.all())]


class NewPublicationsAtomFeed(NewPublicationsFeed):
    feed_type = Atom1Feed
    subtitle = NewPublicationsFeed.description
