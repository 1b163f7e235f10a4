import pytest
from allauth.usersessions.models import UserSession
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse

from members import services
from members.models import Role, User
from tests.members.factories import ExpertiseAreaFactory
from tests.members.test_access_requests import admin_change


def test_adding_a_user_in_the_admin_invites_them(secretariat_client, demo_states, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:members_user_add"),
            {
                "email": "Liis.Lepp@example.org",
                "full_name": "Liis Lepp",
                "role": Role.NATIONAL_REPRESENTATIVE,
                "member_state": demo_states["EE"].pk,
                "position": "Expert",
            },
        )
    assert response.status_code == 302, response.content
    user = User.objects.get(email="liis.lepp@example.org")
    assert user.invitation_pending
    assert user.invited_by == secretariat_client.user
    assert user.groups.filter(name="EE · national_representative").exists()
    assert mail.outbox[-1].to == ["liis.lepp@example.org"]


def test_adding_an_ncp_in_the_admin_invites_them_but_the_role_waits_for_confirmation(
    secretariat_client, demo_states, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:members_user_add"),
            {
                "email": "Liis.Lepp@example.org",
                "full_name": "Liis Lepp",
                "role": Role.NCP,
                "member_state": demo_states["EE"].pk,
                "position": "Case worker",
            },
        )
    assert response.status_code == 302, response.content
    user = User.objects.get(email="liis.lepp@example.org")
    assert user.invitation_pending
    assert not user.groups.filter(name="EE · ncp").exists()
    assert user.access_requests.get().member_state == demo_states["EE"]
    assert ["liis.lepp@example.org"] in [message.to for message in mail.outbox]


def test_admin_add_form_refuses_duplicate_email_and_missing_state(secretariat_client, make_user, demo_states):
    make_user(Role.OBSERVER, email="taken@example.org")
    response = secretariat_client.post(
        reverse("admin:members_user_add"), {"email": "taken@example.org", "full_name": "X", "role": Role.OBSERVER}
    )
    assert response.status_code == 200
    assert b"already exists" in response.content
    response = secretariat_client.post(
        reverse("admin:members_user_add"), {"email": "ncp@example.org", "full_name": "X", "role": Role.NCP}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="ncp@example.org").exists()


def test_changing_role_and_state_in_the_admin_moves_the_groups(secretariat_client, make_user, demo_states):
    # A national representative moving state opens no case data, so it applies at once.
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    url = reverse("admin:members_user_change", args=[user.pk])
    form = secretariat_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"member_state": demo_states["LV"].pk, "is_active": "on", "expertise": []})
    data.pop("is_superuser")
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    names = set(user.groups.values_list("name", flat=True))
    assert names == {"national_representative", "LV · national_representative"}


def test_admin_change_refuses_a_stateless_role_with_a_state(secretariat_client, make_user, demo_states):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    url = reverse("admin:members_user_change", args=[user.pk])
    form = secretariat_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"role": Role.OBSERVER, "is_active": "on", "expertise": []})
    data.pop("is_superuser")
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    assert b"belongs to no member state" in response.content
    user.refresh_from_db()
    assert user.role == Role.NATIONAL_REPRESENTATIVE


def test_deactivate_action_ends_the_users_sessions(secretariat_client, make_user):
    from django.test import Client

    user = make_user(Role.OBSERVER)
    other = Client()
    other.post(reverse("account_login"), {"login": user.email, "password": "a-long-test-password-2026"})
    assert UserSession.objects.filter(user=user).exists()
    response = secretariat_client.post(
        reverse("admin:members_user_changelist"), {"action": "deactivate_users", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert not UserSession.objects.filter(user=user).exists()
    assert other.get(reverse("dashboard")).status_code == 302


def test_users_cannot_be_deleted_only_deactivated(secretariat_client, make_user):
    user = make_user(Role.OBSERVER)
    assert secretariat_client.get(reverse("admin:members_user_delete", args=[user.pk])).status_code == 403


def test_resend_invitation_action(secretariat_client, make_user, demo_states, django_capture_on_commit_callbacks):
    from members.services import user_invite

    pending = user_invite(
        email="p@example.org", full_name="P", role=Role.OBSERVER, member_state=None, invited_by=secretariat_client.user
    )
    accepted = make_user(Role.OBSERVER)
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("admin:members_user_changelist"),
            {"action": "send_invitation", "_selected_action": [pending.pk, accepted.pk]},
            follow=True,
        )
    content = response.content.decode()
    assert "Invitation sent to 1 user" in content
    assert "already accepted" in content
    assert [m.to for m in mail.outbox] == [["p@example.org"]]


def test_csv_invite_page_reports_bad_rows_and_invites_nobody(secretariat_client, demo_states):
    upload = SimpleUploadedFile(
        "people.csv", b"email,full_name,role,member_state\nok@example.org,Ok,ncp,EE\nbad@example.org,Bad,ncp,ZZ\n"
    )
    response = secretariat_client.post(reverse("admin:members_user_invite_csv"), {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nobody was invited" in content
    assert "unknown member state code “ZZ”" in content
    assert not User.objects.filter(email__in=["ok@example.org", "bad@example.org"]).exists()


def test_csv_invite_page_invites_everyone(secretariat_client, demo_states, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile(
        "people.csv", b"email;full_name;role;member_state\nok@example.org;Ok;ncp;EE\nrep@example.org;Rep;observer;\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(reverse("admin:members_user_invite_csv"), {"file": upload})
    assert response.status_code == 302
    assert User.objects.filter(email__in=["ok@example.org", "rep@example.org"]).count() == 2
    invited = [message.to for message in mail.outbox if message.to != [secretariat_client.user.email]]
    assert sorted(invited) == [["ok@example.org"], ["rep@example.org"]]


def test_csv_invite_page_is_secretariat_only(client, make_user, mfa_user):
    ncp = make_user(Role.NCP, "EE")
    mfa_user(ncp)
    client.force_login(ncp)
    response = client.get(reverse("admin:members_user_invite_csv"), follow=True)
    assert response.status_code == 403


def test_admin_lists_search_and_autocomplete(secretariat_client, make_user, demo_states):
    make_user(Role.NCP, "EE", full_name="Mari Tamm")
    response = secretariat_client.get(reverse("admin:members_user_changelist"), {"q": "tamm"})
    assert b"Mari Tamm" in response.content
    response = secretariat_client.get(reverse("admin:members_user_changelist"), {"invitation": "pending"})
    assert response.status_code == 200
    response = secretariat_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "user", "field_name": "member_state", "term": "est"},
    )
    assert response.status_code == 200
    assert "Estonia" in [result["text"] for result in response.json()["results"]]


def test_mark_directory_verified_action(secretariat_client, make_user):
    ncp = make_user(Role.NCP, "EE")
    secretariat_client.post(
        reverse("admin:members_user_changelist"), {"action": "mark_directory_verified", "_selected_action": [ncp.pk]}
    )
    ncp.refresh_from_db()
    assert ncp.directory_verified_at is not None


def test_a_users_details_changed_in_the_admin_go_through_the_service(secretariat_client, make_user, monkeypatch):
    user = make_user(Role.OBSERVER, full_name="Old Name")
    area = ExpertiseAreaFactory()
    calls = []
    real = services.user_update_details

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "user_update_details", spy)
    before = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    response = admin_change(secretariat_client, user, full_name="New Name", expertise=[area.pk])
    assert response.status_code == 200
    [call] = calls
    assert call["by"] == secretariat_client.user
    assert call["data"]["full_name"] == "New Name"
    assert list(call["data"]["expertise"]) == [area]
    user.refresh_from_db()
    assert user.full_name == "New Name"
    assert list(user.expertise.all()) == [area]
    # The name and the expertise, each in the audit log by the person who changed them.
    entries = LogEntry.objects.get_for_object(user).filter(pk__gt=before)
    assert len(entries) == 2
    assert {entry.actor for entry in entries} == {secretariat_client.user}


def test_the_details_service_changes_only_details(make_user):
    user = make_user(Role.OBSERVER)
    with pytest.raises(ValidationError, match="not changed here: role"):
        services.user_update_details(user=user, data={"role": Role.NCP}, by=make_user(Role.SECRETARIAT))
    user.refresh_from_db()
    assert user.role == Role.OBSERVER
