"""The RSS and Atom feeds and sitemap.xml: well-formed XML listing public items only."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from core.visibility import Visibility
from publications import services
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def items(db):
    for level in Visibility:
        publication = PublicationFactory(
            slug=f"{level}-report", title=f"The {level} report & <friends>", visibility=Visibility.DRAFT
        )
        services.publication_set_visibility(publication=publication, visibility=level)
        ProjectFactory(slug=f"{level}-project", visibility=level)


def parse(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 -- the portal's own output


def test_the_rss_feed_is_xml_and_lists_public_publications_only(client, items):
    channel = parse(client, reverse("publications:feed_rss")).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["The public report & <friends>"]
    link = channel.find("item").findtext("link")
    assert link.endswith("/library/public-report/")
    assert channel.find("item").findtext("pubDate")


def test_the_atom_feed_is_xml_and_lists_public_publications_only(client, items):
    feed = parse(client, reverse("publications:feed_atom"))
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["The public report & <friends>"]


def test_the_feed_lists_the_newest_publications_first(client, db):
    for n in range(3):
        publication = PublicationFactory(title=f"Report {n}", visibility=Visibility.DRAFT)
        services.publication_publish(publication=publication)
    channel = parse(client, reverse("publications:feed_rss")).find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == ["Report 2", "Report 1", "Report 0"]


def test_the_sitemap_is_xml_and_lists_public_pages_publications_and_projects_only(client, items):
    urlset = parse(client, reverse("sitemap"))
    locations = [url.findtext(f"{SITEMAP}loc") for url in urlset.findall(f"{SITEMAP}url")]
    paths = {location.split("://", 1)[1].split("/", 1)[1] for location in locations}
    assert {"", "library/", "mandates/", "projects/", "projects/psf/", "projects/all/"} <= paths
    assert "library/public-report/" in paths and "projects/public-project/" in paths
    assert not any("members" in path or "draft" in path for path in paths)


def test_pages_have_their_own_titles_and_descriptions(client, items):
    pages = {
        reverse("home"): "Task Force against Trafficking in Human Beings · THB Portal",
        reverse("publications:library"): "Library · THB Portal",
        reverse("publications:mandates"): "Mandates · THB Portal",
        reverse("projects:ongoing"): "Ongoing projects · THB Portal",
        reverse("projects:psf"): "PSF projects · THB Portal",
        reverse("publications:detail", args=["public-report"]): "The public report &amp; &lt;friends&gt; · THB Portal",
    }
    descriptions = set()
    for url, title in pages.items():
        html = client.get(url).content.decode()
        assert f"<title>{title}</title>" in html, url
        start = html.index('<meta name="description" content="') + len('<meta name="description" content="')
        descriptions.add(html[start : html.index('"', start)])
    assert len(descriptions) == len(pages)
