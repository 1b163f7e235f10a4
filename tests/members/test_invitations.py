from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import OrganisationType, Role, User
from tests.members.factories import OrganisationFactory


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def invite(secretariat, demo_states, **overrides):
    data = {
        "email": "new.expert@example.org",
        "full_name": "New Expert",
        "role": Role.NATIONAL_REPRESENTATIVE,
        "member_state": demo_states["LV"],
        "invited_by": secretariat,
    }
    data.update(overrides)
    return services.user_invite(**data)


def link_path(message) -> str:
    line = next(line for line in message.body.splitlines() if "/members/invitation/" in line)
    return line[line.index("/members/invitation/") :].strip()


def test_invitation_creates_account_without_password_and_emails_a_link(
    secretariat, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(secretariat, demo_states)
    assert not user.has_usable_password()
    assert user.invitation_pending
    assert user.groups.filter(name="national_representative").exists()
    assert user.groups.filter(name="LV · national_representative").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.expert@example.org"]
    assert "/members/invitation/" in mail.outbox[0].body


def test_invitee_sets_password_through_the_link_and_can_log_in(
    client, secretariat, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat, demo_states)
    path = link_path(mail.outbox[0])
    assert client.get(path).status_code == 200
    response = client.post(path, {"password1": "correct-horse-battery", "password2": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    response = client.post(
        reverse("account_login"), {"login": "new.expert@example.org", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_reused_invitation_link_gives_a_clear_page(
    client, secretariat, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat, demo_states)
    path = link_path(mail.outbox[0])
    client.post(path, {"password1": "correct-horse-battery", "password2": "correct-horse-battery"})
    response = client.get(path)
    assert response.status_code == 410
    assert b"already been used" in response.content
    # A second submission cannot overwrite the password.
    response = client.post(path, {"password1": "another-password-123", "password2": "another-password-123"})
    assert response.status_code == 410
    assert User.objects.get(email="new.expert@example.org").check_password("correct-horse-battery")


def test_expired_invitation_link_gives_a_clear_page(
    client, secretariat, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(secretariat, demo_states)
    path = link_path(mail.outbox[0])
    # Age the invitation: move the clock forward instead of editing the signed stamp.
    later = timezone.now() + timedelta(days=8)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get(path)
    assert response.status_code == 410
    assert b"has expired" in response.content
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_resent_invitation_supersedes_the_old_link(
    client, secretariat, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = invite(secretariat, demo_states)
    old_path = link_path(mail.outbox[0])
    user.invited_at -= timedelta(seconds=5)  # two invitations in the same microsecond are not a real case
    user.save(update_fields=["invited_at"])
    with django_capture_on_commit_callbacks(execute=True):
        services.user_reinvite(user=user, invited_by=secretariat)
    response = client.get(old_path)
    assert response.status_code == 410
    assert b"newer invitation" in response.content
    assert client.get(link_path(mail.outbox[-1])).status_code == 200


def test_tampered_invitation_link_is_not_found(client, db):
    response = client.get(reverse("members:accept_invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert b"not valid" in response.content


def test_weak_or_mismatched_password_is_refused_with_a_message(
    client, secretariat, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(secretariat, demo_states)
    path = link_path(mail.outbox[0])
    response = client.post(path, {"password1": "short", "password2": "short"})
    assert response.status_code == 400
    assert b"too short" in response.content
    response = client.post(path, {"password1": "correct-horse-battery", "password2": "correct-horse-batterx"})
    assert b"do not match" in response.content
    assert not User.objects.get(email="new.expert@example.org").has_usable_password()


def test_duplicate_email_is_refused(secretariat, demo_states):
    invite(secretariat, demo_states)
    with pytest.raises(ValidationError, match="already exists"):
        invite(secretariat, demo_states, email="NEW.expert@example.org")
    assert User.objects.filter(email__iexact="new.expert@example.org").count() == 1


def test_state_role_without_state_is_refused(secretariat, demo_states):
    with pytest.raises(ValidationError, match="must belong to a member state"):
        invite(secretariat, demo_states, role=Role.NCP, member_state=None)
    assert not User.objects.filter(email="new.expert@example.org").exists()


VALID_CSV = (
    "email,full_name,role,member_state,organisation,position\n"
    "anna@example.org,Anna Berg,ncp,SE,,Case worker\n"
    "jonas@example.org,Jonas Lind,national_representative,LT,,\n"
    "olga@example.org,Olga Obs,observer,,,\n"
)


def test_csv_import_invites_every_row(secretariat, demo_states, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.invitations_import_csv(raw=VALID_CSV.encode(), invited_by=secretariat)
    assert [u.email for u in invited] == ["anna@example.org", "jonas@example.org", "olga@example.org"]
    # Anna's NCP role opens case data: it waits for a second person, her invitation does not.
    anna = User.objects.get(email="anna@example.org")
    assert (anna.role, anna.access_requests.get().member_state.code) == ("", "SE")
    assert User.objects.get(email="jonas@example.org").member_state.code == "LT"
    invited = {message.to[0] for message in mail.outbox if message.to != [secretariat.email]}
    assert invited == {"anna@example.org", "jonas@example.org", "olga@example.org"}


@pytest.mark.parametrize(
    ("content", "expected_row", "expected_message"),
    [
        (VALID_CSV + "bad@example.org,Bad State,ncp,XX,,\n", 5, "unknown member state code “XX”"),
        (VALID_CSV + "anna@example.org,Anna Again,observer,,,\n", 5, "also on row 2"),
        (VALID_CSV + "not-an-email,Someone,observer,,,\n", 5, "valid email"),
        (VALID_CSV + "x@example.org,X,superuser,,,\n", 5, "unknown role"),
        (VALID_CSV + "y@example.org,Y,ncp,,,\n", 5, "must belong to a member state"),
        ("name;mail\nA;a@example.org\n", 1, "Missing column"),
        ("", 0, "empty"),
        ("email,full_name,role\n", 0, "no rows"),
    ],
)
def test_bad_csv_invites_nobody_and_names_the_row(secretariat, demo_states, content, expected_row, expected_message):
    before = User.objects.count()
    with pytest.raises(services.InvitationImportError) as raised:
        services.invitations_import_csv(raw=content.encode(), invited_by=secretariat)
    rows = dict(raised.value.row_errors)
    assert expected_row in rows
    assert expected_message in rows[expected_row]
    assert User.objects.count() == before


def test_csv_in_another_encoding_is_refused_clearly(secretariat, demo_states):
    content = "email,full_name,role,member_state\nåsa@example.org,Åsa Öberg,ncp,SE\n".encode("latin-1")
    with pytest.raises(services.InvitationImportError, match="not UTF-8"):
        services.invitations_import_csv(raw=content, invited_by=secretariat)


def test_csv_with_existing_email_invites_nobody(secretariat, demo_states, make_user):
    make_user(Role.OBSERVER, email="anna@example.org")
    before = User.objects.count()
    with pytest.raises(services.InvitationImportError) as raised:
        services.invitations_import_csv(raw=VALID_CSV.encode(), invited_by=secretariat)
    assert "already exists" in dict(raised.value.row_errors)[2]
    assert User.objects.count() == before


def test_csv_row_with_an_overlong_name_is_reported(secretariat, demo_states):
    content = VALID_CSV + f"long@example.org,{'N' * 200},observer,,,\n"
    with pytest.raises(services.InvitationImportError) as raised:
        services.invitations_import_csv(raw=content.encode(), invited_by=secretariat)
    assert "at most 150 characters" in dict(raised.value.row_errors)[5]
    assert not User.objects.filter(email="anna@example.org").exists()


def test_csv_reports_every_problem_of_a_row_at_once(secretariat, demo_states):
    content = VALID_CSV + f"not-an-email,{'N' * 200},superuser,XX,Nowhere,{'P' * 300}\n"
    with pytest.raises(services.InvitationImportError) as raised:
        services.invitations_import_csv(raw=content.encode(), invited_by=secretariat)
    message = dict(raised.value.row_errors)[5]
    for expected in ("valid email", "unknown role", "unknown member state code “XX”", "unknown organisation"):
        assert expected in message
    assert "at most 150 characters" in message  # the name's length
    assert not User.objects.filter(email="anna@example.org").exists()


def test_csv_reports_a_repeated_email_beside_the_rows_other_problems(secretariat, demo_states):
    content = VALID_CSV + "anna@example.org,Anna Again,ncp,,,\n"
    with pytest.raises(services.InvitationImportError) as raised:
        services.invitations_import_csv(raw=content.encode(), invited_by=secretariat)
    message = dict(raised.value.row_errors)[5]
    assert "also on row 2" in message
    assert "must belong to a member state" in message


def test_csv_accepts_an_organisation_by_the_name_the_admin_shows(secretariat, demo_states):
    police = OrganisationFactory(name="Police", member_state=demo_states["EE"], type=OrganisationType.POLICE)
    OrganisationFactory(name="Police", member_state=demo_states["LV"], type=OrganisationType.POLICE)
    content = (
        "email,full_name,role,member_state,organisation,position\n"
        f"kai@example.org,Kai Tamm,national_representative,EE,{police},\n"
        "mari@example.org,Mari Mets,observer,,police (ee),\n"
    )
    services.invitations_import_csv(raw=content.encode(), invited_by=secretariat)
    assert str(police) == "Police (EE)"
    assert User.objects.get(email="kai@example.org").organisation == police
    assert User.objects.get(email="mari@example.org").organisation == police


def test_csv_refuses_an_organisation_shown_with_another_state(secretariat, demo_states):
    OrganisationFactory(name="Police", member_state=demo_states["EE"], type=OrganisationType.POLICE)
    content = "email,full_name,role,member_state,organisation\nkai@example.org,Kai Tamm,ncp,LV,Police (EE)\n"
    with pytest.raises(services.InvitationImportError) as raised:
        services.invitations_import_csv(raw=content.encode(), invited_by=secretariat)
    assert "belongs to another member state" in dict(raised.value.row_errors)[2]
    assert not User.objects.filter(email="kai@example.org").exists()
