"""MFA holds per session, authenticator changes end other sessions, sessions have a lifetime."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client, override_settings
from django.urls import reverse

from members.models import Role
from tests.members.test_auth import REAL_COMMITS, current_totp, login, reauthenticate


def enrol_totp(client) -> str:
    """Enrol TOTP through allauth's pages, as a user would; returns the secret."""
    reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_totp(secret)})
    assert response.status_code == 302
    return secret


@REAL_COMMITS
def test_a_password_only_session_gains_nothing_when_the_owner_enrols_in_another(make_user):
    ncp = make_user(Role.NCP, "EE")
    attacker, owner = Client(HTTP_USER_AGENT="stolen password"), Client(HTTP_USER_AGENT="owner")
    login(attacker, ncp.email)
    assert attacker.get(reverse("dashboard")).url == reverse("mfa_activate_totp")
    login(owner, ncp.email)
    enrol_totp(owner)
    assert owner.get(reverse("dashboard")).status_code == 200
    # The session opened with the password alone is over, not promoted to full access.
    response = attacker.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_session_without_the_code_step_is_asked_for_it_when_the_account_has_an_authenticator(
    client, make_user, mfa_user
):
    ncp = make_user(Role.NCP, "EE")
    login(client, ncp.email)  # no authenticator yet: password only
    secret = mfa_user(ncp)  # enrolled elsewhere, without this session ending
    for url in [reverse("dashboard"), reverse("cases:list"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("mfa_reauthenticate")), url
    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next={reverse('cases:list')}", {"code": current_totp(secret)}
    )
    assert response.status_code == 302
    assert response.url == reverse("cases:list")
    assert client.get(reverse("cases:list")).status_code == 200


def test_a_session_without_the_code_step_cannot_swap_the_authenticator(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    login(client, ncp.email)
    mfa_user(ncp)
    authenticator = Authenticator.objects.get(user=ncp, type=Authenticator.Type.TOTP)
    for name in ["mfa_deactivate_totp", "mfa_activate_totp", "mfa_index", "mfa_generate_recovery_codes"]:
        response = client.get(reverse(name))
        assert response.url.startswith(reverse("mfa_reauthenticate")), name
    client.post(reverse("mfa_deactivate_totp"), {})
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()


def test_a_wrong_code_at_the_session_step_keeps_the_session_out(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    login(client, ncp.email)
    mfa_user(ncp)
    response = client.post(reverse("mfa_reauthenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert client.get(reverse("dashboard")).url.startswith(reverse("mfa_reauthenticate"))


def test_the_session_step_is_not_asked_of_a_role_without_mfa(client, make_user, mfa_user):
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    login(client, rep.email)
    mfa_user(rep)
    assert client.get(reverse("dashboard")).status_code == 200


@REAL_COMMITS
def test_adding_an_authenticator_ends_the_users_other_sessions(make_user):
    user = make_user(Role.SECRETARIAT)
    laptop, phone, other_user = Client(HTTP_USER_AGENT="laptop"), Client(HTTP_USER_AGENT="phone"), Client()
    login(laptop, user.email)
    login(phone, user.email)
    someone_else = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    login(other_user, someone_else.email)
    assert UserSession.objects.filter(user=user).count() == 2
    enrol_totp(laptop)
    assert UserSession.objects.filter(user=user).count() == 1
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert phone.get(reverse("dashboard")).url.startswith(reverse("account_login"))
    assert other_user.get(reverse("dashboard")).status_code == 200


@REAL_COMMITS
def test_removing_an_authenticator_ends_the_users_other_sessions(make_user):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    laptop, phone = Client(HTTP_USER_AGENT="laptop"), Client(HTTP_USER_AGENT="phone")
    login(laptop, user.email)
    login(phone, user.email)
    secret = enrol_totp(laptop)
    login(phone, user.email)  # signed in again, with the code this time
    phone.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    assert phone.get(reverse("dashboard")).status_code == 200
    reauthenticate(laptop)
    response = laptop.post(reverse("mfa_deactivate_totp"), {})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert phone.get(reverse("dashboard")).url.startswith(reverse("account_login"))
    assert laptop.get(reverse("dashboard")).status_code == 200


def test_removing_the_authenticator_sends_a_role_needing_mfa_back_to_enrolment(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    mfa_user(ncp)
    client.force_login(ncp)  # with the code step, as a real login
    assert client.get(reverse("dashboard")).status_code == 200
    Authenticator.objects.filter(user=ncp).delete()
    assert client.get(reverse("dashboard")).url == reverse("mfa_activate_totp")


# Activity is recorded at most every THB_ACTIVITY_WRITE_SECONDS: shorter than the idle timeout here.
@override_settings(THB_SESSION_MAX_AGE_SECONDS=100, THB_IDLE_TIMEOUT_SECONDS=60, THB_ACTIVITY_WRITE_SECONDS=10)
@pytest.mark.parametrize("role", [Role.NCP, Role.SECRETARIAT])
def test_a_busy_session_with_case_access_ends_at_its_absolute_lifetime(client, make_user, mfa_user, role, monkeypatch):
    user = make_user(role, "EE" if role == Role.NCP else None)
    mfa_user(user)
    client.force_login(user)
    real_time = time.time
    for elapsed in (0, 40, 80):  # never idle for a minute
        monkeypatch.setattr(time, "time", lambda elapsed=elapsed: real_time() + elapsed)
        assert client.get(reverse("dashboard")).status_code == 200, elapsed
    monkeypatch.setattr(time, "time", lambda: real_time() + 120)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@override_settings(THB_SESSION_MAX_AGE_SECONDS=100)
def test_the_absolute_lifetime_counts_from_the_real_login(client, make_user, mfa_user, monkeypatch):
    user = make_user(Role.NCP, "EE")
    secret = mfa_user(user)
    login(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": current_totp(secret)})
    started = client.session["thb_session_started"]
    assert abs(started - time.time()) < 5
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 101)
    assert client.get(reverse("dashboard")).url.startswith(reverse("account_login"))


@override_settings(THB_SESSION_MAX_AGE_SECONDS=100, THB_IDLE_TIMEOUT_SECONDS=60)
def test_the_absolute_lifetime_does_not_apply_to_roles_without_case_access(client, make_user, monkeypatch):
    user = make_user(Role.TRAINER)
    client.force_login(user)
    real_time = time.time
    for elapsed in (0, 50, 100, 150):
        monkeypatch.setattr(time, "time", lambda elapsed=elapsed: real_time() + elapsed)
        assert client.get(reverse("dashboard")).status_code == 200, elapsed


@REAL_COMMITS
def test_enrolment_succeeds_when_the_security_notice_cannot_be_mailed(make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2  # nothing listens
    ncp = make_user(Role.NCP, "EE")
    client = Client()
    login(client, ncp.email)
    enrol_totp(client)
    assert Authenticator.objects.filter(user=ncp, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("dashboard")).status_code == 200
