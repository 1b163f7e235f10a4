"""/health/ for a browser: the status page in the portal's layout, not a 500."""

import pytest
from django.urls import reverse
from health_check.exceptions import ServiceUnavailable

from thb_portal.health import Broker


@pytest.fixture
def storage_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }


def test_health_as_html_shows_every_service_in_the_portal_layout(client, db, storage_in_tmp):
    response = client.get(reverse("health"), HTTP_ACCEPT="text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "System status · THB Portal" in content  # base.html's title
    for name in ("Database", "Cache", "Storage", "Broker"):
        assert name in content
    assert "Every service answers." in content


def test_health_as_html_names_a_failing_service_and_answers_500(client, db, storage_in_tmp, monkeypatch):
    def down(self):
        raise ServiceUnavailable("Broker unavailable")

    monkeypatch.setattr(Broker, "run", down)
    response = client.get(reverse("health"), HTTP_ACCEPT="text/html")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Broker unavailable" in content
    assert "At least one service is not working." in content
