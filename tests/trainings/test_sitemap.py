from django.urls import reverse


def test_facts_and_figures_are_in_the_sitemap(client, db):
    content = client.get(reverse("sitemap")).content.decode()
    assert "/trainings/facts-and-figures/</loc>" in content
