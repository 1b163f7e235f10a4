"""A trainer's settings and sessions page, and the secretariat's admin changes, with their
consequences: more places move the waiting list up, cancelling tells the participants."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Notification
from tests.trainings.factories import RegistrationFactory, make_training, participant_data
from trainings import services
from trainings.models import Attendance, RegistrationStatus, Training, TrainingStatus

S = RegistrationStatus


def settings_data(training: Training, **changes) -> dict:
    data = {
        "status": training.status,
        "format": training.format,
        "city": training.city,
        "venue": training.venue,
        "language": training.language,
        "capacity": training.capacity,
        "waitlist_enabled": "on" if training.waitlist_enabled else "",
        "requires_approval": "on" if training.requires_approval else "",
        "registration_opens": "",
        "registration_closes": "",
        "reminder_days": training.reminder_days,
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def full_training(training, trainer_count=5, waiting=2):
    """Fill the training's places, then put `waiting` people on its waiting list."""
    for n in range(training.capacity + waiting):
        services.registration_register(training=training, data=participant_data(n), by=None)


def test_a_trainer_changes_the_settings_of_their_training(trainer_client, training):
    url = reverse("trainings:settings", args=[training.pk])
    page = trainer_client.get(url).content.decode()
    assert "Save settings" in page and "Add session" in page
    response = trainer_client.post(
        url,
        settings_data(
            training,
            status=TrainingStatus.CLOSED,
            venue="Consulate hall",
            registration_opens="2026-01-05T09:00",
            registration_closes="2026-02-01T17:00",
        ),
    )
    assert response.status_code == 302 and response.url == training.get_absolute_url()
    training.refresh_from_db()
    assert training.status == TrainingStatus.CLOSED and training.venue == "Consulate hall"
    assert timezone.localtime(training.registration_closes).strftime("%Y-%m-%d %H:%M") == "2026-02-01 17:00"


def test_more_places_move_the_waiting_list_up_and_tell_those_moved(
    trainer_client, training, django_capture_on_commit_callbacks
):
    full_training(training, waiting=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            reverse("trainings:settings", args=[training.pk]), settings_data(training, capacity=4)
        )
    assert response.status_code == 302
    statuses = dict(training.registrations.values_list("email", "status"))
    assert statuses["person3@example.net"] == S.CONFIRMED
    assert statuses["person4@example.net"] == S.WAITLISTED
    to_participants = [m for m in mail.outbox if m.to[0].endswith("@example.net")]
    assert [m.to for m in to_participants] == [["person3@example.net"]]
    assert "A place is free for you" in to_participants[0].subject


def test_the_capacity_cannot_go_below_the_places_taken(trainer_client, training):
    full_training(training, waiting=0)
    response = trainer_client.post(
        reverse("trainings:settings", args=[training.pk]), settings_data(training, capacity=2)
    )
    assert response.status_code == 400
    assert "3 places are already taken, so the capacity cannot be lower than 3." in response.content.decode()
    training.refresh_from_db()
    assert training.capacity == 3


def test_cancelling_tells_every_waiting_participant_once_and_the_other_trainers(
    trainer_client, trainer, other_trainer, django_capture_on_commit_callbacks
):
    training = make_training(trainers=[trainer, other_trainer], capacity=2, requires_approval=False)
    full_training(training, waiting=1)
    RegistrationFactory(training=training, email="gone@example.net", status=S.CANCELLED)
    mail.outbox.clear()
    url, data = (
        reverse("trainings:settings", args=[training.pk]),
        settings_data(training, status=TrainingStatus.CANCELLED),
    )
    # Cancelling is final: the first post asks, saying how many people it reaches, and changes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="cancel-confirm"' in page and "3 participants (registered, confirmed or waiting)" in page
    assert 'name="confirm_final" value="cancelled"' in page
    training.refresh_from_db()
    assert training.status != TrainingStatus.CANCELLED and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url, data | {"confirm_final": "cancelled"})
    assert response.status_code == 302
    told = sorted(m.to[0] for m in mail.outbox if m.to[0].endswith("@example.net"))
    assert told == ["person0@example.net", "person1@example.net", "person2@example.net"]
    assert all(m.subject == f"[THB Portal] Cancelled: {training.title}" for m in mail.outbox if m.to[0] in told)
    waitlisted_email = Delivery.objects.get(address="person2@example.net", key__startswith="training-cancelled:")
    assert "waiting list" in waitlisted_email.body
    assert Notification.objects.filter(recipient=other_trainer, kind="training_cancelled").count() == 1
    assert not Notification.objects.filter(recipient=trainer, kind="training_cancelled").exists()
    # A cancelled training is final: its page says so and a forged form changes nothing.
    page = trainer_client.get(reverse("trainings:settings", args=[training.pk])).content.decode()
    assert "can no longer change" in page and "Save settings" not in page
    trainer_client.post(reverse("trainings:settings", args=[training.pk]), settings_data(training, status="open"))
    training.refresh_from_db()
    assert training.status == TrainingStatus.CANCELLED


def test_a_status_that_cannot_follow_is_refused_with_a_reason(trainer_client, training):
    services.training_update(training=training, by=None, data={"status": TrainingStatus.CLOSED})
    # "completed" has its own button; "planned" cannot follow "closed".
    for status in (TrainingStatus.COMPLETED, TrainingStatus.PLANNED, "nonsense"):
        response = trainer_client.post(
            reverse("trainings:settings", args=[training.pk]), settings_data(training, status=status)
        )
        assert response.status_code == 400, status
        assert "Select a valid choice" in response.content.decode()
    training.refresh_from_db()
    assert training.status == TrainingStatus.CLOSED
    with pytest.raises(ValidationError, match="cannot become"):
        services.training_update(training=training, by=None, data={"status": TrainingStatus.PLANNED})


def test_a_trainer_adds_and_removes_sessions(trainer_client, training):
    # Before the fixture's first session (three days ago), so it becomes the first.
    start = timezone.localtime(timezone.now() - timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    add_url = reverse("trainings:session_add", args=[training.pk])
    response = trainer_client.post(
        add_url,
        {"title": "Warm-up", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": f"{start:%Y-%m-%d}T12:00"},
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.sessions.count() == 3 and training.starts_on == start.date()  # it is now the first session

    # Ends before it starts: a clear error, nothing added.
    response = trainer_client.post(
        add_url, {"starts_at": start.strftime("%Y-%m-%dT%H:%M"), "ends_at": f"{start:%Y-%m-%d}T08:00"}
    )
    assert response.status_code == 400 and training.sessions.count() == 3
    response = trainer_client.post(add_url, {"starts_at": "not a date", "ends_at": ""})
    assert response.status_code == 400 and "Enter a valid date/time." in response.content.decode()

    marked = training.sessions.get(title="Warm-up")
    Attendance.objects.create(registration=RegistrationFactory(training=training), session=marked)
    response = trainer_client.post(reverse("trainings:session_remove", args=[training.pk, marked.pk]), follow=True)
    assert "Attendance was recorded for this session" in response.content.decode()
    assert training.sessions.filter(pk=marked.pk).exists()
    unmarked = training.sessions.exclude(pk=marked.pk).last()
    trainer_client.post(reverse("trainings:session_remove", args=[training.pk, unmarked.pk]))
    assert not training.sessions.filter(pk=unmarked.pk).exists()


def test_sessions_of_a_completed_training_cannot_change(trainer, training):
    services.training_complete(training=training, by=trainer)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.session_remove(session=training.sessions.first(), by=trainer)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.session_add(training=training, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1))


# The secretariat, in the admin ------------------------------------------------------


def admin_change_data(training: Training, **changes) -> dict:
    data = {
        "title": training.title,
        "audience": training.audience,
        "format": training.format,
        "city": training.city,
        "venue": training.venue,
        "language": training.language,
        "capacity": training.capacity,
        "status": training.status,
        "reminder_days": training.reminder_days,
        "created_at_0": f"{timezone.localtime(training.created_at):%Y-%m-%d}",
        "created_at_1": f"{timezone.localtime(training.created_at):%H:%M:%S}",
        "trainers": [trainer.pk for trainer in training.trainers.all()],
        "waitlist_enabled": "on" if training.waitlist_enabled else "",
        "sessions-TOTAL_FORMS": training.sessions.count(),
        "sessions-INITIAL_FORMS": training.sessions.count(),
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
    }
    for n, session in enumerate(training.sessions.all()):
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        data.update(
            {
                f"sessions-{n}-id": session.pk,
                f"sessions-{n}-training": training.pk,
                f"sessions-{n}-title": session.title,
                f"sessions-{n}-starts_at_0": f"{starts:%Y-%m-%d}",
                f"sessions-{n}-starts_at_1": f"{starts:%H:%M:%S}",
                f"sessions-{n}-ends_at_0": f"{ends:%Y-%m-%d}",
                f"sessions-{n}-ends_at_1": f"{ends:%H:%M:%S}",
            }
        )
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def test_the_admin_goes_through_the_service_more_places_promote(
    secretariat_client, training, django_capture_on_commit_callbacks
):
    full_training(training, waiting=1)
    url = reverse("admin:trainings_training_change", args=[training.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(url, admin_change_data(training, capacity=5))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert training.registrations.get(email="person3@example.net").status == S.CONFIRMED


def test_the_admin_refuses_to_reopen_a_completed_training(secretariat_client, training, trainer):
    services.training_complete(training=training, by=trainer)
    training.refresh_from_db()
    url = reverse("admin:trainings_training_change", args=[training.pk])
    response = secretariat_client.post(url, admin_change_data(training, status=TrainingStatus.OPEN))
    assert response.status_code == 200
    assert "its status can no longer change" in response.content.decode()
    training.refresh_from_db()
    assert training.status == TrainingStatus.COMPLETED


def test_a_newly_assigned_trainer_is_told(secretariat_client, training, trainer, other_trainer):
    told_before = Notification.objects.filter(recipient=trainer, kind="training_assigned").count()
    url = reverse("admin:trainings_training_change", args=[training.pk])
    response = secretariat_client.post(url, admin_change_data(training, trainers=[trainer.pk, other_trainer.pk]))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=other_trainer, kind="training_assigned").count() == 1
    # The trainer already there is not told again.
    assert Notification.objects.filter(recipient=trainer, kind="training_assigned").count() == told_before
