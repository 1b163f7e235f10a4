import re

from django.core import mail
from django.urls import reverse

from members.models import Role


def test_password_reset_by_emailed_link(client, make_user):
    user = make_user(Role.OBSERVER)
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/[^\s]+", mail.outbox[-1].body).group(0)
    path = link.split("testserver", 1)[-1]
    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(response.url, {"password1": "brand-new-password-42", "password2": "brand-new-password-42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-password-42")


def test_password_reset_for_unknown_email_reveals_nothing(client, db):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert all("reset/key" not in message.body for message in mail.outbox)
