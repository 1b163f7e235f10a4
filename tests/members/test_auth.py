import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from members.models import Role
from tests.members.factories import TEST_PASSWORD


def current_totp(secret: str) -> str:
    counter = next(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counter))


def login(client, email, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def reauthenticate(client, password=TEST_PASSWORD):
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302


def test_login_with_email_and_password_reaches_dashboard(client, make_user):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    response = login(client, user.email.upper())
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_signup_is_closed(client, db):
    response = client.post(reverse("account_signup"), {"email": "new@example.org", "password1": "x" * 14})
    assert response.status_code == 200
    assert b"Sign Up Closed" in response.content or b"closed" in response.content.lower()
    from members.models import User

    assert not User.objects.filter(email="new@example.org").exists()


@pytest.mark.parametrize("role", [Role.NCP, Role.SECRETARIAT])
def test_role_needing_mfa_is_sent_to_enrolment_before_any_page(client, make_user, role):
    user = make_user(role, "EE" if role == Role.NCP else None)
    login(client, user.email)
    for url in [reverse("dashboard"), reverse("members:directory"), reverse("members:profile"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp"), url
    # Changing MFA asks for the password again (allauth's reauthentication), which is allowed.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_role_without_mfa_requirement_is_not_sent_to_enrolment(client, make_user):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    login(client, user.email)
    assert client.get(reverse("dashboard")).status_code == 200


@override_settings(THB_ENFORCE_MFA=False)
def test_demo_switch_turns_enforcement_off(client, make_user):
    user = make_user(Role.NCP, "EE")
    login(client, user.email)
    assert client.get(reverse("dashboard")).status_code == 200


# allauth announces a new authenticator on commit, inside the request (the session records
# it then): a transactional test lets that happen as in production.
REAL_COMMITS = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@REAL_COMMITS
def test_enrolling_totp_lets_the_ncp_in_and_stores_the_secret_encrypted(client, make_user):
    user = make_user(Role.NCP, "EE")
    login(client, user.email)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        raw = str(cursor.fetchone()[0])
    assert secret not in raw, "the TOTP secret must not be stored in clear text"
    assert authenticator.wrap().instance.data["secret"] != secret


def test_login_of_enrolled_user_asks_for_the_code(client, make_user, mfa_user):
    user = make_user(Role.NCP, "EE")
    secret = mfa_user(user)
    response = login(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_admin_login_form_cannot_be_used_to_skip_mfa(client, make_user, mfa_user):
    user = make_user(Role.SECRETARIAT)
    mfa_user(user)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.email, "password": TEST_PASSWORD, "next": "/admin/"}
    )
    # The admin login only redirects to the portal's login; it authenticates nobody.
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_six_wrong_passwords_are_throttled(client, make_user):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    for _ in range(5):
        response = login(client, user.email, "wrong-password")
        assert response.status_code == 200
        assert b"Too many failed login attempts" not in response.content
    response = login(client, user.email, "wrong-password")
    assert b"Too many failed login attempts" in response.content
    # Even the right password is refused while throttled.
    response = login(client, user.email)
    assert response.status_code != 302
    assert "_auth_user_id" not in client.session


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user(Role.OBSERVER, is_active=False)
    response = login(client, user.email)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == reverse("account_inactive")


@override_settings(THB_IDLE_TIMEOUT_SECONDS=60)
def test_idle_session_of_a_case_role_is_ended(client, make_user, mfa_user, monkeypatch):
    import time

    user = make_user(Role.NCP, "EE")
    mfa_user(user)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 120)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@override_settings(THB_IDLE_TIMEOUT_SECONDS=60)
def test_idle_timeout_does_not_apply_to_roles_without_case_access(client, make_user, monkeypatch):
    import time

    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    client.force_login(user)
    client.get(reverse("dashboard"))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 120)
    assert client.get(reverse("dashboard")).status_code == 200


def test_user_sees_and_ends_other_sessions(client, make_user):
    from django.test import Client

    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    other_device = Client(HTTP_USER_AGENT="Other device")
    login(other_device, user.email)
    login(client, user.email)
    assert UserSession.objects.filter(user=user).count() == 2
    page = client.get(reverse("usersessions_list"))
    assert page.status_code == 200
    assert b"Other device" in page.content
    client.post(reverse("usersessions_list"), {"action": "sign_out_other"})
    assert UserSession.objects.filter(user=user).count() == 1
    assert other_device.get(reverse("dashboard")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_htmx_request_of_a_user_needing_mfa_moves_the_whole_page(client, make_user):
    user = make_user(Role.NCP, "EE")
    login(client, user.email)
    response = client.get(reverse("notifications:badge"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("mfa_activate_totp")


@override_settings(THB_IDLE_TIMEOUT_SECONDS=60)
def test_badge_polling_does_not_keep_an_idle_session_alive(client, make_user, mfa_user, monkeypatch):
    import time

    user = make_user(Role.NCP, "EE")
    mfa_user(user)
    client.force_login(user)
    client.get(reverse("dashboard"))
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 40)
    assert client.get(reverse("notifications:badge"), headers={"HX-Request": "true"}).status_code == 200
    monkeypatch.setattr(time, "time", lambda: real_time() + 80)
    response = client.get(reverse("notifications:badge"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("account_login")


def test_the_login_page_offers_no_sign_up(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
    assert "sign up" not in page.lower()
    assert 'name="login"' in page and 'name="password"' in page
    assert reverse("account_reset_password") in page  # a forgotten password still has its way back
