"""Delivery through a real Celery worker, a real Redis broker and a local SMTP server."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from members.services import invitation_token, user_invite
from notifications import services
from notifications.kinds import EmailMode
from notifications.models import Delivery, DeliveryStatus, Notification
from tests.service_fixtures import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.worker]


def test_notice_in_a_rolled_back_transaction_is_never_sent(celery_worker, smtp_server, make_user):
    kept, dropped = make_user(Role.OBSERVER), make_user(Role.OBSERVER)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=[dropped], kind="announcement", text="Rolled back")
        raise RuntimeError("the cause failed")
    services.outbox_relay(now=timezone.now() + timedelta(hours=1))
    # A committed notice sent after it shows the worker is delivering meanwhile.
    services.notify(recipients=[kept], kind="announcement", text="Committed")
    wait_until(lambda: smtp_server.to(kept.email), message="the committed notice")
    assert smtp_server.to(dropped.email) == []
    assert not Notification.objects.filter(recipient=dropped).exists()


def test_worker_killed_while_sending_leads_to_exactly_one_email(celery_worker, smtp_server, make_user):
    user = make_user(Role.OBSERVER)
    smtp_server.handler.hold_next_seconds = 6
    services.notify(recipients=[user], kind="announcement", text="Exactly once")
    assert smtp_server.handler.data_started.wait(30), celery_worker.log()
    killed = celery_worker.kill_pool_child()
    # acks_late + reject_on_worker_lost: the broker hands the task to the new pool process.
    wait_until(lambda: smtp_server.to(user.email), timeout=40, message=f"redelivery after killing {killed}")
    wait_until(lambda: Delivery.objects.get(recipient=user).status == DeliveryStatus.SENT, message="sent status")
    time.sleep(7)  # the held first attempt ends meanwhile and must not count
    assert len(smtp_server.to(user.email)) == 1
    assert "WorkerLostError" in celery_worker.log() or "Process" in celery_worker.log()


def test_request_succeeds_with_redis_down_and_the_notice_goes_out_when_it_returns(
    client, celery_worker, smtp_server, broker, make_user, demo_states
):
    secretariat = make_user(Role.SECRETARIAT)
    services.preference_set(user=secretariat, kind="invitation_accepted", email=EmailMode.IMMEDIATE)
    invited = user_invite(
        email="new@example.org", full_name="New", role=Role.OBSERVER, member_state=None, invited_by=secretariat
    )
    wait_until(lambda: smtp_server.to("new@example.org"), message="the invitation email")
    broker.stop()
    try:
        # Accepting the invitation notifies the inviter: a notice created by this request.
        response = client.post(
            reverse("members:accept_invitation", args=[invitation_token(invited)]),
            {"password1": "correct-horse-battery", "password2": "correct-horse-battery"},
        )
        assert response.status_code == 302
        notice = Notification.objects.get(recipient=secretariat, kind="invitation_accepted")
        delivery = Delivery.objects.get(notification=notice)
        assert delivery.status == DeliveryStatus.PENDING and delivery.enqueued_at is None
    finally:
        broker.start()

    # The relay runs every minute under beat; here it runs until the notice is out.
    def delivered() -> bool:
        services.outbox_relay()
        return bool(smtp_server.to(secretariat.email))

    try:
        wait_until(delivered, timeout=60, interval=1, message="the notice after Redis returned")
    except AssertionError:
        print(celery_worker.log())
        print(list(Delivery.objects.values("key", "status", "enqueued_at", "attempts")))
        raise
    assert "accepted the invitation" in smtp_server.to(secretariat.email)[0]["Subject"]


def test_preferences_and_digest_through_the_worker(celery_worker, smtp_server, make_user):
    from thb_portal.tasks import run_periodic_job_task

    at_once, in_digest, no_email = (make_user(Role.NATIONAL_REPRESENTATIVE, "EE") for _ in range(3))
    services.preference_set(user=in_digest, kind="announcement", email=EmailMode.DIGEST)
    services.preference_set(user=no_email, kind="announcement", email=EmailMode.NONE)
    for text in ("First notice", "Second notice"):
        services.notify(recipients=[at_once, in_digest, no_email], kind="announcement", text=text)
    wait_until(lambda: len(smtp_server.to(at_once.email)) == 2, message="the immediate emails")
    assert smtp_server.to(in_digest.email) == []
    run_periodic_job_task.delay("notifications.daily_digest")
    wait_until(lambda: smtp_server.to(in_digest.email), message="the digest")
    digest = smtp_server.to(in_digest.email)
    assert len(digest) == 1
    body = digest[0].get_payload()[0].get_payload(decode=True).decode()
    assert "First notice" in body and "Second notice" in body
    assert smtp_server.to(no_email.email) == []


def test_a_training_participants_email_goes_through_the_worker(celery_worker, smtp_server, make_user):
    """A participant is not a user: their confirmation goes out through notify_address."""
    from tests.trainings.factories import make_training, participant_data
    from trainings import services as training_services

    training = make_training(trainers=[make_user(Role.TRAINER)], capacity=5)
    registration = training_services.registration_register(training=training, data=participant_data(7), by=None)
    wait_until(lambda: smtp_server.to("person7@example.net"), message="the participant's confirmation")
    [message] = smtp_server.to("person7@example.net")
    assert "Your place is confirmed" in message["Subject"]
    assert Delivery.objects.get(about_id=registration.pk, channel="address").status == DeliveryStatus.SENT
