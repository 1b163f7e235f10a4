from django.contrib.sitemaps import Sitemap

from projects.models import Project


class ProjectSitemap(Sitemap):
    """Public projects only."""

    changefreq = "monthly"

    def items(self):
        return Project.objects.public().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item: Project):
        return item.updated_at
