"""A line break in a name (header injection) or any other email that can never be sent:
subjects are one line, and an unsendable delivery fails at once without holding up others."""

from django.core import mail
from django.urls import reverse

from members.models import Role, User
from members.services import invitation_token, user_invite
from notifications import services
from notifications.kinds import EmailMode
from notifications.models import Delivery, DeliveryStatus
from notifications.tasks import send_deliveries_task

INJECTED_NAME = "Mari Tamm\nBcc: attacker@example.net"


def test_a_name_with_a_line_break_reaches_the_subject_on_one_line(
    client, make_user, demo_states, django_capture_on_commit_callbacks
):
    secretariat = make_user(Role.SECRETARIAT)
    invited = user_invite(
        email="mari@example.org", full_name="Mari", role=Role.OBSERVER, member_state=None, invited_by=secretariat
    )
    services.preference_set(user=secretariat, kind="invitation_accepted", email=EmailMode.IMMEDIATE)
    # As if a name had been stored before names were validated to one line.
    User.objects.filter(pk=invited.pk).update(full_name=INJECTED_NAME)
    mail.outbox.clear()
    url = reverse("members:accept_invitation", args=[invitation_token(invited)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"password1": "correct-horse-battery", "password2": "correct-horse-battery"})
    assert response.status_code == 302
    delivery = Delivery.objects.get(recipient=secretariat, notification__kind="invitation_accepted")
    assert delivery.status == DeliveryStatus.SENT
    [message] = [m for m in mail.outbox if m.to == [secretariat.email]]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("[THB Portal] Mari Tamm Bcc: attacker@example.net")
    assert message.bcc == []
    assert message.message()["Bcc"] is None


def test_an_email_that_can_never_be_sent_fails_at_once_and_the_rest_of_its_batch_is_sent(make_user):
    broken, fine = make_user(Role.OBSERVER), make_user(Role.OBSERVER)
    # An address no email library accepts (stored by bypassing validation): not transient.
    User.objects.filter(pk=broken.pk).update(email="broken\n@example.org")
    services.notify(recipients=[broken, fine], kind="announcement", text="Meeting moved")
    deliveries = list(Delivery.objects.order_by("recipient_id").values_list("pk", flat=True))
    assert len(deliveries) == 2
    mail.outbox.clear()
    outcomes = send_deliveries_task.apply(args=[deliveries]).get()
    assert outcomes == {"failed": 1, "sent": 1}
    failed = Delivery.objects.get(recipient=broken)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == 1
    assert failed.last_error
    assert Delivery.objects.get(recipient=fine).status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [[fine.email]]
    # Failed means out of the relay's hands until the secretariat retries it.
    assert services.outbox_relay()["deliveries"] == 0


def test_an_email_to_an_address_keeps_its_subject_on_one_line(db):
    delivery = services.notify_address(
        to="participant@example.net", subject="Certificate for\r\nMari", body="Hello", key="t:1"
    )
    Delivery.objects.filter(pk=delivery.pk).update(subject="Certificate for\nMari")  # as stored before
    assert services.delivery_send(delivery_id=delivery.pk) == "sent"
    assert mail.outbox[-1].subject == "[THB Portal] Certificate for Mari"
