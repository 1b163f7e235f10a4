from django.db.models import Count

from core.visibility import Visibility
from members.demo import MEMBER_STATES
from projects.demo import seed_demo_projects
from projects.models import FundingSource, Project
from publications.demo import seed_demo_publications
from publications.models import Publication, PublicationFile, PublicationType

MANDATES = [
    "Council of the Baltic Sea States Task Force against Trafficking in Human Beings Strategic Plan 2020-2025",
    "Terms of Reference of the CBSS Task Force against Trafficking in Human Beings",
    "Joint Statement of commitment to work against human trafficking for labour exploitation in the Baltic Sea Region",
    "Vilnius II Declaration: a vision for the Baltic Sea Region by 2020",
    "CBSS Action Plan 2021-2025",
]


def test_the_demo_catalogue_is_realistic_and_idempotent(client, demo_states, private_media):
    assert len(demo_states) == len(MEMBER_STATES)
    for _ in range(2):
        seed_demo_projects()
        seed_demo_publications()
    assert Publication.objects.count() >= 30
    assert Project.objects.count() == 8
    assert Project.objects.filter(funding_source=FundingSource.PSF).count() >= 2
    assert Project.objects.ongoing().public().exists()
    assert set(Publication.objects.values_list("type", flat=True)) == set(PublicationType.values)
    assert Publication.objects.filter(audiences__isnull=False).values("audiences").distinct().count() == 6
    assert PublicationFile.objects.values("language").distinct().count() >= 10
    assert set(Publication.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    # Every demo publication has an English file, and files were not added twice.
    assert not Publication.objects.exclude(files__language="en").exists()
    duplicates = PublicationFile.objects.values("publication", "language").annotate(n=Count("pk")).filter(n__gt=1)
    assert not duplicates.exists()
    assert len(list(private_media.rglob("*.pdf"))) == PublicationFile.objects.count()

    html = client.get("/mandates/").content.decode()
    for title in MANDATES:
        assert title in html
    assert set(Publication.objects.public().mandates().values_list("title", flat=True)) == set(MANDATES)
