from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from reporting.services import reporting_states


class CountrySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return list(reporting_states().values_list("code", flat=True))

    def location(self, item: str) -> str:
        return reverse("countries:detail", args=[item.lower()])
