from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from members.models import Role
from notifications import services
from notifications.kinds import EmailMode, UnknownNotificationKind
from notifications.models import Delivery, DeliveryChannel, DeliveryStatus, Notification, NotificationPreference
from notifications.services.delivery import MAX_ATTEMPTS, STALE_ENQUEUE_AFTER


@pytest.fixture
def experts(make_user):
    return [make_user(Role.NATIONAL_REPRESENTATIVE, "EE") for _ in range(3)]


def test_notify_writes_in_app_notices_and_emails_per_preference(experts, django_capture_on_commit_callbacks):
    immediate, digest, silent = experts
    NotificationPreference.objects.create(user=digest, kind="announcement", email=EmailMode.DIGEST)
    NotificationPreference.objects.create(user=silent, kind="announcement", email=EmailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify(recipients=experts, kind="announcement", text="Meeting moved", link="/dashboard/")
    assert len(created) == 3
    assert Notification.objects.filter(read_at__isnull=True).count() == 3
    assert [m.to for m in mail.outbox] == [[immediate.email]]
    assert "Meeting moved" in mail.outbox[0].subject
    # The email links to the notice's open page, which marks it read on the way to /dashboard/.
    notice = Notification.objects.get(recipient=immediate)
    assert f"http://127.0.0.1:8000/notifications/{notice.pk}/open/" in mail.outbox[0].body
    assert "/dashboard/" not in mail.outbox[0].body
    assert Delivery.objects.get(recipient=digest).channel == DeliveryChannel.DIGEST_ITEM
    assert not Delivery.objects.filter(recipient=silent).exists()


def test_notice_in_a_rolled_back_transaction_is_never_sent(experts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.notify(recipients=experts, kind="announcement", text="Never")
        raise RuntimeError("the cause failed")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


def test_unknown_kind_and_empty_text_are_refused(experts):
    with pytest.raises(UnknownNotificationKind, match="Unknown notification kind “no_such_kind”"):
        services.notify(recipients=experts, kind="no_such_kind", text="x")
    with pytest.raises(ValueError, match="needs a text"):
        services.notify(recipients=experts, kind="announcement", text="   ")
    assert not Notification.objects.exists()


def test_recipients_who_may_not_receive_a_kind_are_skipped(make_user):
    secretariat = make_user(Role.SECRETARIAT)
    ncp = make_user(Role.NCP, "EE")
    created = services.notify(recipients=[secretariat, ncp], kind="invitation_accepted", text="X accepted")
    assert [n.recipient for n in created] == [secretariat]


def test_inactive_recipients_are_skipped(make_user):
    gone = make_user(Role.OBSERVER, is_active=False)
    assert services.notify(recipients=[gone], kind="announcement", text="Hello") == []


def test_a_delivery_is_sent_once_however_often_its_task_runs(experts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=experts[:1], kind="announcement", text="Once")
    delivery = Delivery.objects.get()
    assert services.delivery_send(delivery_id=delivery.pk) == "not pending"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1


def test_smtp_failure_is_retried_with_backoff_then_marked_failed(experts, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    services.notify(recipients=experts[:1], kind="announcement", text="Unreachable relay")
    delivery = Delivery.objects.get()
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(services.delivery_send(delivery_id=delivery.pk))
        delivery.refresh_from_db()
        if delivery.status == DeliveryStatus.PENDING:
            assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert delivery.status == DeliveryStatus.FAILED
    assert "ConnectionRefusedError" in delivery.last_error
    # The relay leaves failed deliveries alone until the secretariat retries them.
    assert services.outbox_relay()["deliveries"] == 0
    services.delivery_retry(delivery=delivery)
    assert services.outbox_relay()["deliveries"] == 1


def test_relay_hands_over_deliveries_that_never_reached_celery(experts, django_capture_on_commit_callbacks):
    # No on-commit hand-over here: as if the broker had been down when the cause committed.
    services.notify(recipients=experts, kind="announcement", text="Waiting")
    Delivery.objects.update(enqueued_at=None)
    assert mail.outbox == []
    result = services.outbox_relay()
    assert result["deliveries"] == 3
    assert len(mail.outbox) == 3
    assert services.outbox_relay()["deliveries"] == 0


def test_relay_waits_before_handing_over_again_what_celery_already_has(experts):
    services.notify(recipients=experts, kind="announcement", text="Queued")
    assert services.outbox_relay()["deliveries"] == 0
    later = timezone.now() + STALE_ENQUEUE_AFTER + timedelta(seconds=1)
    assert services.outbox_relay(now=later)["deliveries"] == 3


def test_daily_digest_groups_the_days_notices_into_one_email_per_user(experts, django_capture_on_commit_callbacks):
    first, second, _ = experts
    for user in (first, second):
        services.preference_set(user=user, kind="announcement", email=EmailMode.DIGEST)
    services.notify(recipients=[first, second], kind="announcement", text="Morning notice")
    services.notify(recipients=[first], kind="announcement", text="Afternoon notice")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        result = services.daily_digests_send(now=timezone.now() + timedelta(seconds=1))
    assert result == {"digests": 2}
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    assert "Morning notice" in by_recipient[first.email].body
    assert "Afternoon notice" in by_recipient[first.email].body
    assert "2 notices" in by_recipient[first.email].subject
    assert "Afternoon notice" not in by_recipient[second.email].body
    # Running the job again the same day sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.daily_digests_send(now=timezone.now() + timedelta(seconds=2))
    assert len(mail.outbox) == 2
    assert not Delivery.objects.filter(channel=DeliveryChannel.DIGEST_ITEM, status=DeliveryStatus.PENDING).exists()


def test_invitation_is_emailed_whatever_the_preference(make_user, demo_states, django_capture_on_commit_callbacks):
    from members.services import user_invite

    secretariat = make_user(Role.SECRETARIAT)
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(email="x@example.org", full_name="X", role=Role.OBSERVER, member_state=None, invited_by=secretariat)
    assert mail.outbox[-1].to == ["x@example.org"]
    assert "/members/invitation/" in mail.outbox[-1].body


def test_accepting_an_invitation_tells_the_inviter(make_user, demo_states):
    from members.services import invitation_accept, invitation_token, user_invite

    secretariat = make_user(Role.SECRETARIAT)
    invited = user_invite(
        email="x@example.org", full_name="Xavier", role=Role.OBSERVER, member_state=None, invited_by=secretariat
    )
    invitation_accept(token=invitation_token(invited), password="correct-horse-battery")
    notice = Notification.objects.get(recipient=secretariat, kind="invitation_accepted")
    assert "Xavier" in notice.text


def test_preferences_refuse_kinds_the_user_may_not_receive(make_user):
    from django.core.exceptions import ValidationError

    ncp = make_user(Role.NCP, "EE")
    with pytest.raises(ValidationError, match="do not receive"):
        services.preference_set(user=ncp, kind="invitation_accepted", email=EmailMode.NONE)
    with pytest.raises(ValidationError, match="always emailed"):
        services.preference_set(user=ncp, kind="account_invitation", email=EmailMode.NONE)
    with pytest.raises(ValidationError, match="not an email choice"):
        services.preference_set(user=ncp, kind="announcement", email="carrier-pigeon")
    with pytest.raises(UnknownNotificationKind):
        services.preference_set(user=ncp, kind="nope", email=EmailMode.NONE)
    assert not NotificationPreference.objects.exists()


def test_prune_deletes_old_read_notices_only(experts, settings):
    settings.THB_NOTIFICATION_RETENTION_DAYS = 30
    old_read, old_unread, recent_read = services.notify(recipients=experts, kind="announcement", text="x")
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    Notification.objects.filter(pk__in=[old_read.pk, recent_read.pk]).update(read_at=timezone.now())
    assert services.notifications_prune() == {"deleted": 1}
    assert set(Notification.objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}


def test_secretariat_dashboard_flags_failed_deliveries(client, make_user, mfa_user, experts):
    services.notify(recipients=experts[:1], kind="announcement", text="x")
    Delivery.objects.update(status=DeliveryStatus.FAILED)
    secretariat = make_user(Role.SECRETARIAT)
    mfa_user(secretariat)
    client.force_login(secretariat)
    assert "1 email could not be delivered" in client.get("/dashboard/").content.decode()
    admin_page = client.get("/admin/notifications/delivery/?status__exact=failed")
    assert admin_page.status_code == 200
    assert "email:" in admin_page.content.decode()


# Emails to addresses: people who are not portal users (training participants) ----------


def test_an_email_to_an_address_is_sent_once_per_key(make_user, django_capture_on_commit_callbacks):
    about = make_user(Role.OBSERVER)  # any record; trainings pass the registration
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.notify_address(
            to="participant@example.net", subject="Your place is confirmed", body="Dear P,\n…", key="k1", about=about
        )
        assert services.notify_address(to="participant@example.net", subject="Again", body="…", key="k1") is None
    assert (delivery.channel, delivery.recipient, delivery.about) == (DeliveryChannel.ADDRESS, None, about)
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["participant@example.net"], "[THB Portal] Your place is confirmed", "Dear P,\n…")
    ]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert services.delivery_send(delivery_id=delivery.pk) == "not pending"
    assert len(mail.outbox) == 1
    assert not Notification.objects.exists()  # no in-app notice: there is no user to show it to


def test_a_bad_address_is_refused_and_nothing_is_written(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.notify_address(to="not an address", subject="S", body="B", key="k2")
    assert not Delivery.objects.exists()


def test_the_relay_hands_over_emails_to_addresses_too(db):
    services.notify_address(to="a@example.net", subject="Line one\nline two", body="B", key="k3")
    Delivery.objects.update(enqueued_at=None)  # as if the broker had been down
    assert mail.outbox == []
    assert services.outbox_relay()["deliveries"] == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["a@example.net"], "[THB Portal] Line one line two")]


def test_emails_about_records_are_deleted_with_them_and_only_theirs(make_user):
    from members.models import User

    first, second = make_user(Role.OBSERVER), make_user(Role.OBSERVER)
    services.notify_address(to="a@example.net", subject="S", body="About the first", key="k4", about=first)
    services.notify_address(to="b@example.net", subject="S", body="About the second", key="k5", about=second)
    services.notify(recipients=[first], kind="announcement", text="A user's own notice stays")
    assert services.address_emails_delete(about=User.objects.filter(pk=first.pk)) == 1
    assert sorted(Delivery.objects.values_list("key", flat=True))[-1] == "k5"
    assert Delivery.objects.filter(recipient=first).count() == 1
