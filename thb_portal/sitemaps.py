"""sitemap.xml: the public pages (facts and figures among them), public publications and public projects."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from projects.sitemaps import ProjectSitemap
from publications.sitemaps import PublicationSitemap
from reporting.sitemaps import CountrySitemap


class PublicPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "publications:library",
            "publications:mandates",
            "projects:ongoing",
            "projects:psf",
            "projects:all",
            "trainings:facts",
            "reporting:region",
            "countries:list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "publications": PublicationSitemap,
    "projects": ProjectSitemap,
    "countries": CountrySitemap,
}
