"""Every response to a signed-in user says Cache-Control: no-store (thb_portal.middleware)."""

import pytest
from django.urls import reverse

from cases.models import Case
from members.models import Role
from tests.cases.factories import make_case
from tests.trainings.factories import RegistrationFactory, make_training
from trainings.models import Attendance, RegistrationStatus


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def ncp(make_user):
    return make_user(Role.NCP, "EE")


def test_case_pages_audit_trails_and_statistics_exports_are_not_stored(login, ncp):
    case: Case = make_case(ncp)
    client = login(ncp)
    for url in [
        reverse("cases:list"),
        reverse("cases:audit", args=[case.pk]),
        reverse("referrals:inbox"),
        reverse("referrals:outbox"),
        reverse("notifications:list"),
        reverse("notifications:badge"),
        reverse("dashboard"),
        reverse("members:profile"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_participant_exports_and_certificates_are_not_stored(login, make_user):
    trainer = make_user(Role.TRAINER)
    # Certificates count only sessions that have started, so the training is under way.
    training = make_training(trainers=[trainer], start_in_days=-3)
    attended = RegistrationFactory(training=training, status=RegistrationStatus.ATTENDED)
    Attendance.objects.create(registration=attended, session=training.sessions.first())
    client = login(trainer)
    for url in [
        reverse("trainings:detail", args=[training.pk]),
        reverse("trainings:export_csv", args=[training.pk]),
        reverse("trainings:export_xlsx", args=[training.pk]),
        reverse("trainings:certificate", args=[training.pk, attended.pk]),
        reverse("trainings:certificates", args=[training.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_the_secretariats_admin_statistics_and_even_public_pages_are_not_stored(secretariat_client):
    for url in [
        reverse("admin:index"),
        reverse("admin:auditlog_logentry_changelist"),
        reverse("cases:statistics"),
        reverse("cases:statistics_export"),
        reverse("referrals:statistics"),
        reverse("home"),
    ]:
        response = secretariat_client.get(url)
        assert response.status_code == 200, url
        assert no_store(response), url


def test_a_redirect_to_a_signed_in_user_is_not_stored_either(login, ncp):
    response = login(ncp).get(reverse("account_login"))
    assert response.status_code == 302
    assert no_store(response)


@pytest.mark.django_db
def test_public_pages_for_anonymous_visitors_stay_cacheable(client):
    public = ["home", "trainings:facts", "projects:ongoing", "publications:library"]
    for url in [reverse(name) for name in public]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not no_store(response), url
