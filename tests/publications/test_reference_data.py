"""Audiences and topics are saved and deleted through their services, in the admin too; a
topic's publications keep their search text in step with it (publications.services.reference_data)."""

import pytest
from django.urls import reverse

from publications import services
from publications.models import Audience, Topic
from tests.admin_forms import admin_form_data, change_url
from tests.publications.factories import PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    """Two publications tagged with a new topic after an existing one."""
    first = Topic.objects.create(code="first-topic", name="Begging by force", position=1)
    topic = Topic.objects.create(code="new-topic", name="Sham marriages", position=500)
    publications = [PublicationFactory(), PublicationFactory()]
    for publication in publications:
        services.publication_set_topics(publication=publication, topics=[first, topic])
    return topic, publications


def texts(publications) -> list[str]:
    for publication in publications:
        publication.refresh_from_db()
    return [publication.topics_text for publication in publications]


def test_renaming_a_topic_in_the_admin_updates_its_publications_search_text(secretariat_client, tagged):
    topic, publications = tagged
    assert texts(publications) == ["Begging by force Sham marriages"] * 2
    url = change_url(topic)
    response = secretariat_client.post(url, admin_form_data(secretariat_client, url, name="Marriages of convenience"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert texts(publications) == ["Begging by force Marriages of convenience"] * 2


def test_moving_a_topic_first_reorders_the_search_text(tagged):
    topic, publications = tagged
    topic.position = 0
    services.topic_save(topic=topic, by=None)
    assert texts(publications) == ["Sham marriages Begging by force"] * 2


def test_deleting_a_topic_in_the_admin_takes_its_name_out_of_the_search_text(secretariat_client, tagged):
    topic, publications = tagged
    response = secretariat_client.post(
        reverse("admin:publications_topic_changelist"),
        {"action": "delete_selected", "_selected_action": [topic.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert texts(publications) == ["Begging by force"] * 2


def test_an_audience_added_in_the_admin_is_saved_by_the_service(secretariat_client, monkeypatch):
    made = []
    real = services.audience_save

    def spy(**kwargs):
        made.append(kwargs["by"])
        return real(**kwargs)

    monkeypatch.setattr(services, "audience_save", spy)
    add = reverse("admin:publications_audience_add")
    data = admin_form_data(secretariat_client, add, name="Border guards", code="border-guards", position="90")
    response = secretariat_client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert made == [secretariat_client.user]
    assert Audience.objects.filter(code="border-guards").exists()
