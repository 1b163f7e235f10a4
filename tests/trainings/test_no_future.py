"""Issue 12 §6: trainings do not record the future, and final steps ask first."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.trainings.factories import RegistrationFactory, make_training
from trainings import services
from trainings.facts import compute_facts
from trainings.models import Attendance, RegistrationStatus, TrainingStatus

S = RegistrationStatus


@pytest.fixture
def future(trainer):
    return make_training(trainers=[trainer], start_in_days=60)


def test_attendance_cannot_be_marked_for_a_session_that_has_not_started(trainer, trainer_client, future):
    registration = RegistrationFactory(training=future, status=S.CONFIRMED)
    session = future.sessions.first()
    with pytest.raises(ValidationError, match="attendance can be marked once it has started"):
        services.attendance_set(registration=registration, session=session, present=True, by=trainer)
    url = reverse("trainings:attendance_toggle", args=[future.pk, registration.pk, session.pk])
    response = trainer_client.post(url, {"present": "on"}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and b"checked" not in response.content
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED and not Attendance.objects.exists()


def test_no_certificate_for_a_session_that_has_not_started(trainer_client, future):
    # Marked before the rule existed (or written directly): it certifies nothing.
    registration = RegistrationFactory(training=future, status=S.ATTENDED)
    Attendance.objects.create(registration=registration, session=future.sessions.first())
    response = trainer_client.get(reverse("trainings:certificate", args=[future.pk, registration.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "attended a session that has started" in response.content.decode()
    response = trainer_client.get(reverse("trainings:certificates", args=[future.pk]), follow=True)
    assert response["Content-Type"].startswith("text/html")


def test_a_training_cannot_be_completed_before_its_last_session(trainer, trainer_client, training):
    # The fixture's training began three days ago; a session next week is still to come.
    from datetime import timedelta

    from django.utils import timezone

    later = timezone.now() + timedelta(days=7)
    services.session_add(training=training, starts_at=later, ends_at=later + timedelta(hours=2), by=trainer)
    RegistrationFactory(training=training, status=S.CONFIRMED)
    with pytest.raises(ValidationError, match="the training can be completed after that"):
        services.training_complete(training=training, by=trainer)
    url = reverse("trainings:complete", args=[training.pk])
    page = trainer_client.get(url).content.decode()
    assert 'data-testid="complete-refused"' in page and "Yes, mark" not in page
    response = trainer_client.post(url)
    assert response.status_code == 400
    training.refresh_from_db()
    assert training.status == TrainingStatus.OPEN
    assert not training.registrations.filter(status=S.NO_SHOW).exists()


def test_completing_asks_first_and_says_how_many_become_no_shows(trainer_client, training):
    RegistrationFactory.create_batch(2, training=training, status=S.CONFIRMED)
    attended = RegistrationFactory(training=training, status=S.CONFIRMED)
    Attendance.objects.create(registration=attended, session=training.sessions.first())
    attended.status = S.ATTENDED
    attended.save(update_fields=["status"])
    url = reverse("trainings:complete", args=[training.pk])
    detail = trainer_client.get(training.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a button that acts
    response = trainer_client.get(url)
    page = response.content.decode()
    assert (
        response.status_code == 200 and "2 confirmed participants who came to no session will become no-shows" in page
    )
    training.refresh_from_db()
    assert training.status == TrainingStatus.OPEN  # asking changed nothing
    response = trainer_client.post(url)
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.status == TrainingStatus.COMPLETED
    assert training.registrations.filter(status=S.NO_SHOW).count() == 2


def test_facts_never_count_people_trained_in_the_future(trainer, future, training):
    RegistrationFactory.create_batch(19, training=future, status=S.ATTENDED)
    RegistrationFactory.create_batch(2, training=training, status=S.ATTENDED)
    facts = compute_facts()
    assert facts["people_trained"] == 2
    assert {row["key"]: row["count"] for row in facts["by_year"]} == {training.starts_on.year: 2}
