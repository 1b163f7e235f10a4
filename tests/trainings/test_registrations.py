from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Delivery, Notification
from notifications.services import delivery_send
from tests.trainings.factories import make_training, participant_data
from trainings import services
from trainings.models import Registration, RegistrationStatus, TrainingStatus
from trainings.services.participant_emails import queue_participant_email

S = RegistrationStatus


def register(training, n, **extra):
    return services.registration_register(training=training, data=participant_data(n, **extra), by=None)


def test_capacity_then_waiting_list_and_a_cancellation_promotes_the_first_waitlisted(
    training, trainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        seated = [register(training, n) for n in range(3)]
        first_waiting = register(training, 3)
        second_waiting = register(training, 4)
    assert [r.status for r in seated] == [S.CONFIRMED] * 3
    assert first_waiting.status == second_waiting.status == S.WAITLISTED
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_move(registration=seated[1], to=S.CANCELLED, by=trainer)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == S.CONFIRMED
    assert second_waiting.status == S.WAITLISTED
    assert training.registrations.seated().count() == 3
    # The promoted person is told by email, and the trainer in the portal.
    to_participants = [m for m in mail.outbox if m.to == ["person3@example.net"]]
    assert len(to_participants) == 1 and "A place is free for you" in to_participants[0].subject
    assert not [m for m in mail.outbox if m.to == ["person4@example.net"]]
    # Through the notifications outbox, as an email to an address (participants are not users).
    delivery = Delivery.objects.get(key=f"training-promoted:{first_waiting.pk}")
    assert (delivery.channel, delivery.status, delivery.address) == ("address", "sent", "person3@example.net")
    notice = Notification.objects.get(recipient=trainer, kind="training_waitlist_promoted")
    # The notice counts and links; it holds no name, as it outlives the participants' data.
    assert "1 participant moved up" in notice.text and "Person 3" not in notice.text


def test_confirmation_email_is_sent_once(training, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(training, 1)
    assert len(mail.outbox) == 1 and "confirmed" in mail.outbox[0].subject
    delivery = Delivery.objects.get(key=f"training-confirmation:{registration.pk}")
    assert delivery.about == registration
    # A task delivered twice sends nothing the second time, and a second confirmation is no new email.
    assert delivery_send(delivery_id=delivery.pk) == "not pending"
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_move(registration=registration, to=S.CANCELLED, by=None)
        assert queue_participant_email(registration, kind="confirmation", key=f"confirmation:{registration.pk}") is None
    assert len(mail.outbox) == 1


def test_approval_keeps_registrations_registered_until_confirmed(trainer):
    training = make_training(trainers=[trainer], requires_approval=True)
    registration = register(training, 1)
    assert registration.status == S.REGISTERED
    services.registration_move(registration=registration, to=S.CONFIRMED, by=trainer)
    assert Delivery.objects.filter(key=f"training-confirmation:{registration.pk}").exists()


def test_a_duplicate_email_is_refused_not_doubled(training):
    register(training, 1)
    with pytest.raises(ValidationError, match="already registered"):
        register(training, 2, email="PERSON1@example.net")
    assert training.registrations.count() == 1


def test_registration_after_the_window_closed_is_refused(trainer):
    training = make_training(
        trainers=[trainer],
        registration_closes=timezone.now() - timedelta(hours=1),
        registration_opens=timezone.now() - timedelta(days=5),
    )
    with pytest.raises(ValidationError, match="Registration closed"):
        register(training, 1)
    assert not Registration.objects.exists()


def test_registration_when_not_open_is_refused(trainer):
    training = make_training(trainers=[trainer], status=TrainingStatus.PLANNED)
    with pytest.raises(ValidationError, match="not open"):
        register(training, 1)


def test_registration_beyond_capacity_without_waiting_list_is_refused(trainer):
    training = make_training(trainers=[trainer], capacity=1, waitlist_enabled=False)
    register(training, 1)
    with pytest.raises(ValidationError, match="full"):
        register(training, 2)
    assert training.registrations.count() == 1


def test_moves_outside_the_allowed_paths_are_refused(training, trainer):
    registration = register(training, 1)
    services.registration_move(registration=registration, to=S.CANCELLED, by=trainer)
    with pytest.raises(ValidationError, match="cannot become"):
        services.registration_move(registration=registration, to=S.CONFIRMED, by=trainer)


def test_attendance_marks_attended_and_completion_marks_no_shows(training, trainer):
    present, absent = register(training, 1), register(training, 2)
    session = training.sessions.first()
    services.attendance_set(registration=present, session=session, present=True, by=trainer)
    present.refresh_from_db()
    assert present.status == S.ATTENDED
    services.training_complete(training=training, by=trainer)
    absent.refresh_from_db()
    assert absent.status == S.NO_SHOW
    # A correction after completion: the participant was not there after all.
    services.attendance_set(registration=present, session=session, present=False, by=trainer)
    present.refresh_from_db()
    assert present.status == S.NO_SHOW
    services.attendance_set(registration=present, session=session, present=True, by=trainer)
    present.refresh_from_db()
    assert present.status == S.ATTENDED


def test_no_attendance_in_a_cancelled_training(training, trainer):
    registration = register(training, 1)
    services.training_update(training=training, by=trainer, data={"status": TrainingStatus.CANCELLED})
    with pytest.raises(ValidationError, match="cancelled"):
        services.attendance_set(registration=registration, session=training.sessions.first(), present=True, by=trainer)
    assert not registration.attendances.exists()


def test_register_page_shows_a_clear_message_and_changes_nothing_after_the_window(client, trainer):
    training = make_training(
        trainers=[trainer],
        registration_opens=timezone.now() - timedelta(days=3),
        registration_closes=timezone.now() - timedelta(days=1),
    )
    client.force_login(trainer)
    data = participant_data(1)
    data["consent"] = "on"
    response = client.post(reverse("trainings:register", args=[training.pk]), data)
    assert response.status_code == 400
    assert "Registration closed" in response.content.decode()
    assert not Registration.objects.exists()


def test_register_page_registers(client, trainer, training):
    client.force_login(trainer)
    data = participant_data(1)
    data["consent"] = "on"
    response = client.post(reverse("trainings:register", args=[training.pk]), data)
    assert response.status_code == 302
    assert training.registrations.get().email == "person1@example.net"


def test_reminders_are_queued_once_before_the_first_session(trainer, django_capture_on_commit_callbacks):
    training = make_training(trainers=[trainer], start_in_days=2)
    register(training, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.trainings_send_reminders()["reminders"] == 1
        assert services.trainings_send_reminders()["reminders"] == 0
    assert [m.subject for m in mail.outbox if "Reminder" in m.subject] != []
    assert Notification.objects.filter(recipient=trainer, kind="training_reminder").count() == 1
