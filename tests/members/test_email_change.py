"""A login email changes only when the new address confirms it; the old one is told; the
secretariat cannot change the email of someone with case access."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from members.models import MemberState, Role
from members.services import user_email_address_ensure, user_email_change_request, user_reassign
from tests.members.test_auth import login, reauthenticate


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.fixture
def in_a_request(make_user):
    """What the admin's request gives a service: allauth's current request (its middleware
    sets it), from which the confirmation link is built."""

    def _run(actor, function, /, **kwargs):
        request = RequestFactory().post("/admin/")
        request.user = actor
        request.session = SessionStore()
        request._messages = FallbackStorage(request)  # allauth says "confirmation sent"
        with context.request_context(request):
            return function(**kwargs)

    return _run


def test_the_login_email_changes_only_when_the_new_address_confirms_it(client, make_user):
    user = make_user(Role.TRAINER, email="old@example.org")
    login(client, "old@example.org")
    reauthenticate(client)
    mail.outbox.clear()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "New@Example.org"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "old@example.org"
    [confirmation] = mail.outbox
    assert confirmation.to == ["new@example.org"]

    # Until the link is followed, the old login works and the new address signs nobody in.
    login(new := Client(), "new@example.org")
    assert not signed_in(new)
    login(old := Client(), "old@example.org")
    assert signed_in(old)

    link = confirmation_link(confirmation)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("new@example.org", True, True)
    ]
    [notice] = [message for message in mail.outbox if message.to == ["old@example.org"]]
    assert "new@example.org" in notice.body
    login(new := Client(), "new@example.org")
    assert signed_in(new)
    login(old := Client(), "old@example.org")
    assert not signed_in(old)


def test_an_ncp_with_mfa_changes_their_own_email_and_the_profile_links_there(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    mfa_user(ncp)
    user_email_address_ensure(user=ncp)
    client.force_login(ncp)
    assert reverse("account_email") in client.get(reverse("members:profile")).content.decode()
    reauthenticate(client)
    mail.outbox.clear()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ncp.new@example.org"})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=ncp, email="ncp.new@example.org", verified=False).exists()
    assert [message.to for message in mail.outbox] == [["ncp.new@example.org"]]
    page = client.get(reverse("account_email")).content.decode()
    assert "ncp.new@example.org" in page
    assert ' style="' not in page  # the page keeps to the Content-Security-Policy


def test_the_email_page_refuses_an_address_in_use_and_changes_nothing(client, make_user):
    user = make_user(Role.TRAINER)
    other = make_user(Role.OBSERVER)
    login(client, user.email)
    reauthenticate(client)
    mail.outbox.clear()
    response = client.post(reverse("account_email"), {"action_add": "", "email": other.email})
    assert response.status_code == 200
    assert b"already" in response.content
    assert not EmailAddress.objects.filter(user=user, verified=False).exists()
    assert mail.outbox == []


def test_the_secretariat_changes_a_trainers_email_only_through_the_new_addresss_confirmation(make_user, in_a_request):
    secretariat, trainer = make_user(Role.SECRETARIAT), make_user(Role.TRAINER)
    old_email = trainer.email
    mail.outbox.clear()
    in_a_request(
        secretariat, user_email_change_request, user=trainer, new_email=" Trainer.New@example.org ", by=secretariat
    )
    trainer.refresh_from_db()
    assert trainer.email == old_email
    assert EmailAddress.objects.filter(user=trainer, email="trainer.new@example.org", verified=False).exists()
    assert EmailAddress.objects.filter(user=trainer, email=old_email, verified=True, primary=True).exists()
    [confirmation] = mail.outbox
    assert confirmation.to == ["trainer.new@example.org"]
    assert "/accounts/confirm-email/" in confirmation.body


@pytest.mark.parametrize("subject", ["ncp", "superuser", "another secretariat member", "awaiting an NCP request"])
def test_the_secretariat_cannot_change_the_email_of_someone_with_or_confirming_case_access(
    make_user, in_a_request, subject
):
    # Another secretariat member too: taking over their account would let one person confirm
    # their own access requests with it. And a user an access request is waiting about.
    secretariat = make_user(Role.SECRETARIAT)
    if subject == "ncp":
        user = make_user(Role.NCP, "LV")
    elif subject == "superuser":
        user = make_user(Role.SECRETARIAT, is_superuser=True)
    elif subject == "another secretariat member":
        user = make_user(Role.SECRETARIAT)
    else:
        user = make_user(Role.TRAINER)
        request = user_reassign(
            user=user, role=Role.NCP, member_state=MemberState.objects.get(code="EE"), organisation=None, by=secretariat
        )
        assert request is not None
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        in_a_request(secretariat, user_email_change_request, user=user, new_email="mine@example.org", by=secretariat)
    assert "they change it themselves" in str(refused.value)
    assert not EmailAddress.objects.filter(email="mine@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("taken", ["a users login email", "an address someone is changing to"])
def test_an_address_in_use_is_refused_with_a_clear_message_and_nothing_changes(make_user, in_a_request, taken):
    secretariat, trainer, other = make_user(Role.SECRETARIAT), make_user(Role.TRAINER), make_user(Role.OBSERVER)
    address = other.email
    if taken == "an address someone is changing to":
        address = "pending@example.org"
        EmailAddress.objects.create(user=other, email=address, verified=False, primary=False)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as refused:
        in_a_request(secretariat, user_email_change_request, user=trainer, new_email=address.upper(), by=secretariat)
    assert refused.value.message_dict == {"email": [f"The email address {address} is already in use."]}
    assert not EmailAddress.objects.filter(user=trainer).exists()
    assert mail.outbox == []


def test_a_user_asking_for_their_own_change_through_the_service_may_have_case_access(make_user, in_a_request):
    ncp = make_user(Role.NCP, "EE")
    in_a_request(ncp, user_email_change_request, user=ncp, new_email="ncp.self@example.org", by=ncp)
    assert EmailAddress.objects.filter(user=ncp, email="ncp.self@example.org", verified=False).exists()


def test_a_bad_address_or_the_current_one_is_refused(make_user, in_a_request):
    secretariat, trainer = make_user(Role.SECRETARIAT), make_user(Role.TRAINER)
    for address in ["not-an-address", trainer.email]:
        with pytest.raises(ValidationError):
            in_a_request(secretariat, user_email_change_request, user=trainer, new_email=address, by=secretariat)
    assert not EmailAddress.objects.filter(user=trainer, verified=False).exists()


def test_invited_users_and_signed_in_users_have_their_verified_primary_address(make_user, demo_states):
    from members.services import user_invite

    invited = user_invite(
        email="Invited@Example.org", full_name="Invited", role=Role.OBSERVER, member_state=None, invited_by=None
    )
    assert EmailAddress.objects.filter(user=invited, email="invited@example.org", verified=True, primary=True).exists()
    made_without = make_user(Role.OBSERVER)
    assert not EmailAddress.objects.filter(user=made_without).exists()
    login(Client(), made_without.email)
    assert EmailAddress.objects.filter(
        user=made_without, email=made_without.email, verified=True, primary=True
    ).exists()


def test_outside_a_request_the_service_says_why_it_cannot_send_the_confirmation(make_user):
    secretariat, trainer = make_user(Role.SECRETARIAT), make_user(Role.TRAINER)
    with pytest.raises(RuntimeError, match="from a page"):
        user_email_change_request(user=trainer, new_email="new.trainer@example.org", by=secretariat)
    assert not EmailAddress.objects.filter(email="new.trainer@example.org").exists()
