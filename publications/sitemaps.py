from django.contrib.sitemaps import Sitemap

from publications.models import Publication


class PublicationSitemap(Sitemap):
    """Public publications only: members-only items and drafts are never listed."""

    changefreq = "monthly"

    def items(self):
        return Publication.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Publication):
        return item.updated_at
