"""The secretariat's training admin writes through the training services: adding a training
with its sessions and trainers, and the sessions' rows of a change (add, change, remove)."""

from datetime import datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.admin_forms import admin_form_data as page_form_data
from tests.admin_forms import change_url
from tests.trainings.factories import RegistrationFactory
from trainings import services
from trainings.models import (
    RegistrationStatus,
    Training,
    TrainingSession,
    TrainingStatus,
    TrainingUserObjectPermission,
)

ADD = reverse("admin:trainings_training_add")


@pytest.fixture
def calls(monkeypatch):
    """The names of the training services the admin calls, in order."""
    made = []
    for name in ("training_create", "training_update", "session_add", "session_update", "session_remove"):
        real = getattr(services, name)

        def spy(real=real, name=name, **kwargs):
            made.append((name, kwargs.get("by")))
            return real(**kwargs)

        monkeypatch.setattr(services, name, spy)
    return made


def _when(moment) -> tuple[str, str]:
    local = timezone.localtime(moment)
    return f"{local:%Y-%m-%d}", f"{local:%H:%M:%S}"


def admin_form_data(client, url: str, **changes) -> dict:
    """The page's form data, with each date and time in the two inputs the admin shows for it."""
    data = {}
    for name, value in page_form_data(client, url).items():
        if isinstance(value, datetime):
            data[f"{name}_0"], data[f"{name}_1"] = _when(value)
        else:
            data[name] = value
    data.update(changes)
    return data


def test_adding_a_training_is_one_training_create_with_its_sessions_and_trainers(secretariat_client, trainer, calls):
    start = timezone.now().replace(microsecond=0) + timedelta(days=20)
    (starts_day, starts_time), (ends_day, ends_time) = _when(start), _when(start + timedelta(hours=3))
    data = admin_form_data(
        secretariat_client,
        ADD,
        title="Labour inspectors' course",
        audience="labour_inspectors",
        capacity="12",
        trainers=[str(trainer.pk)],
        **{
            "sessions-0-title": "Day one",
            "sessions-0-starts_at_0": starts_day,
            "sessions-0-starts_at_1": starts_time,
            "sessions-0-ends_at_0": ends_day,
            "sessions-0-ends_at_1": ends_time,
        },
    )
    response = secretariat_client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert calls == [("training_create", secretariat_client.user)]
    training = Training.objects.get(title="Labour inspectors' course")
    assert [session.title for session in training.sessions.all()] == ["Day one"]
    assert training.starts_on == timezone.localdate(start)
    # The trainer got the grant and the notice, which a direct save would not give.
    assert trainer.has_perm("trainings.change_training", training)
    assert Notification.objects.filter(recipient=trainer, kind="training_assigned").count() == 1
    assert {entry.actor for entry in LogEntry.objects.get_for_object(training)} == {secretariat_client.user}


def test_the_sessions_rows_go_through_the_session_services(secretariat_client, training, calls):
    first, _second = training.sessions.all()
    later = first.starts_at - timedelta(days=1)
    (day, time), (end_day, end_time) = _when(later), _when(later + timedelta(hours=2))
    data = admin_form_data(
        secretariat_client,
        change_url(training),
        **{
            "sessions-0-starts_at_0": day,
            "sessions-0-starts_at_1": time,
            "sessions-0-ends_at_0": end_day,
            "sessions-0-ends_at_1": end_time,
            "sessions-1-DELETE": "on",
        },
    )
    response = secretariat_client.post(change_url(training), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    sessions_calls = [(name, by) for name, by in calls if name.startswith("session_")]
    assert sessions_calls == [("session_remove", secretariat_client.user), ("session_update", secretariat_client.user)]
    assert list(training.sessions.all()) == [first]
    training.refresh_from_db()
    # The start date follows the sessions, as the services keep it.
    assert training.starts_on == timezone.localdate(later)


def test_a_session_with_attendance_cannot_be_removed_in_the_admin(secretariat_client, training, trainer):
    session = training.sessions.first()
    registration = RegistrationFactory(training=training, status=RegistrationStatus.CONFIRMED)
    services.attendance_set(registration=registration, session=session, present=True, by=trainer)
    data = admin_form_data(secretariat_client, change_url(training), **{"sessions-0-DELETE": "on"})
    response = secretariat_client.post(change_url(training), data)
    assert response.status_code == 200
    assert "cannot be removed" in response.content.decode()
    assert TrainingSession.objects.filter(pk=session.pk).exists()


def test_the_sessions_of_a_completed_training_cannot_change_in_the_admin(secretariat_client, training, trainer):
    services.training_complete(training=training, by=trainer)
    data = admin_form_data(secretariat_client, change_url(training), **{"sessions-0-title": "Renamed"})
    response = secretariat_client.post(change_url(training), data)
    assert response.status_code == 200
    assert "its sessions can no longer change" in response.content.decode()
    assert not training.sessions.filter(title="Renamed").exists()


def test_completing_in_the_admin_still_marks_no_shows(secretariat_client, training):
    registration = RegistrationFactory(training=training, status=RegistrationStatus.CONFIRMED)
    data = admin_form_data(secretariat_client, change_url(training), status=TrainingStatus.COMPLETED)
    response = secretariat_client.post(change_url(training), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NO_SHOW


def test_deleting_a_training_in_the_admin_goes_through_training_delete(secretariat_client, training, trainer):
    RegistrationFactory(training=training)
    url = reverse("admin:trainings_training_delete", args=[training.pk])
    response = secretariat_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Training.objects.filter(pk=training.pk).exists()
    assert not TrainingSession.objects.filter(training_id=training.pk).exists()
    # The trainer's grant went with it: nothing is left to open.
    assert not TrainingUserObjectPermission.objects.filter(content_object_id=training.pk).exists()
    entry = LogEntry.objects.get_for_object(training).filter(action=LogEntry.Action.DELETE).get()
    assert entry.actor == secretariat_client.user
