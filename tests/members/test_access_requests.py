"""Four-eyes on case access: a change that would open case data waits for a second person."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import AccessRequest, AccessRequestKind, AccessRequestStatus, Role, User
from notifications.models import Notification
from tests.cases.factories import make_case


def change_form_data(client, user, **changes) -> dict:
    """The admin change form of `user` as the browser would send it, with `changes`."""
    form = client.get(reverse("admin:members_user_change", args=[user.pk])).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["expertise"] = list(data.get("expertise") or [])
    for flag in ("is_active", "is_superuser"):
        if flag in data:
            data[flag] = "on" if data[flag] else ""
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def admin_change(client, user, **changes):
    return client.post(
        reverse("admin:members_user_change", args=[user.pk]), change_form_data(client, user, **changes), follow=True
    )


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE", full_name="Eve Estonian")


@pytest.fixture
def rep(make_user):
    return make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Representative")


def make_ncp_request(*, subject, by, demo_states, state="EE") -> AccessRequest:
    access_request = services.user_reassign(
        user=subject, role=Role.NCP, member_state=demo_states[state], organisation=None, by=by
    )
    assert isinstance(access_request, AccessRequest)
    return access_request


# Self-promotion ----------------------------------------------------------------------


def test_self_promotion_in_the_admin_does_nothing_and_says_why(secretariat_client, demo_states, ee_ncp):
    me = secretariat_client.user
    make_case(ee_ncp)
    url = reverse("admin:members_user_change", args=[me.pk])
    page = secretariat_client.get(url).content.decode()
    assert "You cannot change your own role" in page
    response = admin_change(secretariat_client, me, role=Role.NCP, member_state=demo_states["EE"].pk, is_superuser="on")
    assert response.status_code == 200
    me.refresh_from_db()
    assert (me.role, me.member_state, me.is_superuser) == (Role.SECRETARIAT, None, False)
    assert not me.groups.filter(name="EE · ncp").exists()
    assert not AccessRequest.objects.filter(subject=me).exists()
    assert secretariat_client.get(reverse("cases:list")).status_code in (403, 404)


@pytest.mark.parametrize(
    "change",
    [
        lambda me, states: services.user_reassign(
            user=me, role=Role.NCP, member_state=states["EE"], organisation=None, by=me
        ),
        lambda me, states: services.user_set_superuser(user=me, is_superuser=True, by=me),
        lambda me, states: services.user_deactivate(user=me, by=me),
        lambda me, states: services.user_reactivate(user=me, by=me),
    ],
)
def test_the_services_refuse_a_change_to_ones_own_account(make_user, demo_states, change):
    me = make_user(Role.SECRETARIAT)
    with pytest.raises(ValidationError, match="cannot change your own"):
        change(me, demo_states)
    me.refresh_from_db()
    assert (me.role, me.is_superuser, me.is_active) == (Role.SECRETARIAT, False, True)
    assert not AccessRequest.objects.exists()


# Requests and their confirmation ---------------------------------------------------------


def test_a_secretariat_request_to_make_someone_ee_ncp_does_nothing_until_an_ee_ncp_confirms(
    secretariat_client, client, login, demo_states, rep, ee_ncp, mfa_user
):
    case = make_case(ee_ncp)
    response = admin_change(secretariat_client, rep, role=Role.NCP)
    content = response.content.decode()
    assert "waits for confirmation by a national contact point of Estonia or another member of the secretariat" in (
        content
    )
    rep.refresh_from_db()
    assert rep.role == Role.NATIONAL_REPRESENTATIVE
    assert not rep.groups.filter(name="EE · ncp").exists()
    access_request = AccessRequest.objects.get(subject=rep)
    assert (access_request.status, access_request.role, access_request.member_state.code) == ("pending", "ncp", "EE")
    assert access_request.requested_by == secretariat_client.user
    # The EE team is told, and so is the requester.
    notified = set(
        Notification.objects.filter(kind="access_request_made", target_id=access_request.pk).values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {ee_ncp.pk, secretariat_client.user.pk}

    mfa_user(ee_ncp)
    client.force_login(ee_ncp)
    assert b"Decide" in client.get(reverse("members:access_requests")).content
    detail = client.get(access_request.get_absolute_url())
    assert b"Confirm" in detail.content
    response = client.post(reverse("members:access_request_confirm", args=[access_request.pk]), follow=True)
    assert "Confirmed" in response.content.decode()
    rep.refresh_from_db()
    access_request.refresh_from_db()
    assert rep.role == Role.NCP and rep.member_state.code == "EE"
    assert rep.groups.filter(name="EE · ncp").exists()
    assert (access_request.status, access_request.decided_by) == (AccessRequestStatus.CONFIRMED, ee_ncp)
    decided = Notification.objects.filter(kind="access_request_decided", target_id=access_request.pk)
    assert set(decided.values_list("recipient_id", flat=True)) == {rep.pk, secretariat_client.user.pk}
    assert Notification.objects.filter(kind="role_changed", recipient=rep).exists()
    assert login(rep).get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_the_request_and_the_decision_are_in_the_audit_trail(make_user, demo_states, rep, ee_ncp):
    secretariat = make_user(Role.SECRETARIAT)
    access_request = make_ncp_request(subject=rep, by=secretariat, demo_states=demo_states)
    services.access_request_confirm(access_request=access_request, by=ee_ncp)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AccessRequest), object_id=access_request.pk
    ).order_by("timestamp", "pk")
    assert [(entry.actor, entry.additional_data["what"]) for entry in entries] == [
        (secretariat, "access request made"),
        (ee_ncp, "access request confirmed"),
    ]
    role_entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=rep.pk, actor=ee_ncp
    ).first()
    assert role_entry is not None and "role changed" in role_entry.additional_data["what"]


def test_the_requester_cannot_confirm_their_own_request(secretariat_client, demo_states, rep):
    access_request = make_ncp_request(subject=rep, by=secretariat_client.user, demo_states=demo_states)
    detail = secretariat_client.get(access_request.get_absolute_url()).content.decode()
    assert "You made this request" in detail
    response = secretariat_client.post(reverse("members:access_request_confirm", args=[access_request.pk]), follow=True)
    assert "You made this request; a different person must confirm or decline it." in response.content.decode()
    rep.refresh_from_db()
    access_request.refresh_from_db()
    assert rep.role == Role.NATIONAL_REPRESENTATIVE
    assert access_request.status == AccessRequestStatus.PENDING


def test_the_subject_cannot_confirm_a_request_about_themselves(make_user, login, demo_states):
    requester, subject = make_user(Role.SECRETARIAT), make_user(Role.SECRETARIAT)
    access_request = services.user_set_superuser(user=subject, is_superuser=True, by=requester)
    client = login(subject)
    response = client.post(reverse("members:access_request_confirm", args=[access_request.pk]), follow=True)
    assert "This request concerns you" in response.content.decode()
    subject.refresh_from_db()
    assert not subject.is_superuser
    with pytest.raises(ValidationError, match="concerns you"):
        services.access_request_confirm(access_request=access_request, by=subject)


def test_a_latvian_ncp_can_neither_see_nor_confirm_an_estonian_request(make_user, login, demo_states, rep):
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    client = login(make_user(Role.NCP, "LV"))
    assert client.get(access_request.get_absolute_url()).status_code == 404
    assert client.post(reverse("members:access_request_confirm", args=[access_request.pk])).status_code == 404
    assert f"#{access_request.pk}" not in client.get(reverse("members:access_requests")).content.decode()
    rep.refresh_from_db()
    assert rep.role == Role.NATIONAL_REPRESENTATIVE


def test_an_expired_request_cannot_be_confirmed(make_user, login, demo_states, rep, ee_ncp, settings):
    settings.THB_ACCESS_REQUEST_MAX_AGE_HOURS = 1
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    assert access_request.expires_at - access_request.created_at == timedelta(hours=1)
    AccessRequest.objects.filter(pk=access_request.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client = login(ee_ncp)
    response = client.post(reverse("members:access_request_confirm", args=[access_request.pk]), follow=True)
    assert "This request expired on" in response.content.decode()
    assert "nothing was changed" in response.content.decode()
    rep.refresh_from_db()
    assert rep.role == Role.NATIONAL_REPRESENTATIVE
    assert not AccessRequest.objects.pending().exists()


def test_a_second_secretariat_member_can_confirm(make_user, login, demo_states, rep):
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    client = login(make_user(Role.SECRETARIAT))
    client.post(reverse("members:access_request_confirm", args=[access_request.pk]))
    rep.refresh_from_db()
    assert (rep.role, rep.member_state.code) == (Role.NCP, "EE")


def test_a_superuser_request_needs_a_second_secretariat_member_not_an_ncp(make_user, login, demo_states, ee_ncp):
    requester, subject = make_user(Role.SECRETARIAT), make_user(Role.SECRETARIAT)
    access_request = services.user_set_superuser(user=subject, is_superuser=True, by=requester)
    assert access_request.kind == AccessRequestKind.SUPERUSER
    assert login(ee_ncp).get(access_request.get_absolute_url()).status_code == 404
    services.access_request_confirm(access_request=access_request, by=make_user(Role.SECRETARIAT))
    subject.refresh_from_db()
    assert subject.is_superuser


def test_declining_needs_a_reason_and_changes_nothing(make_user, login, demo_states, rep, ee_ncp):
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    client = login(ee_ncp)
    url = reverse("members:access_request_decline", args=[access_request.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    response = client.post(url, {"reason": "Not on our team"}, follow=True)
    assert "Declined" in response.content.decode()
    access_request.refresh_from_db()
    rep.refresh_from_db()
    assert (access_request.status, access_request.reason) == (AccessRequestStatus.DECLINED, "Not on our team")
    assert rep.role == Role.NATIONAL_REPRESENTATIVE
    response = client.post(reverse("members:access_request_confirm", args=[access_request.pk]), follow=True)
    assert "already declined" in response.content.decode()


def test_decision_pages_are_post_only(make_user, login, demo_states, rep, ee_ncp):
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    client = login(ee_ncp)
    assert client.get(reverse("members:access_request_confirm", args=[access_request.pk])).status_code == 405
    rep.refresh_from_db()
    assert rep.role == Role.NATIONAL_REPRESENTATIVE


def test_access_request_pages_are_for_ncps_and_the_secretariat(client, make_user, login, demo_states, rep):
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    list_url = reverse("members:access_requests")
    assert client.get(list_url).status_code == 302  # to sign-in
    for role in (Role.OBSERVER, Role.TRAINER):
        other = login(make_user(role))
        assert other.get(list_url).status_code == 403
        assert other.get(access_request.get_absolute_url()).status_code == 404
        confirm = reverse("members:access_request_confirm", args=[access_request.pk])
        assert other.post(confirm).status_code == 404
    assert login(make_user(Role.NCP, "EE")).get(list_url).status_code == 200
    assert login(make_user(Role.SECRETARIAT)).get(list_url).status_code == 200


def test_the_access_request_list_runs_the_same_queries_for_many_requests(
    make_user, login, demo_states, assert_constant_queries
):
    secretariat = make_user(Role.SECRETARIAT)
    client = login(make_user(Role.SECRETARIAT))
    make_ncp_request(subject=make_user(Role.OBSERVER), by=secretariat, demo_states=demo_states)

    def grow():
        for _ in range(15):
            make_ncp_request(subject=make_user(Role.OBSERVER), by=secretariat, demo_states=demo_states)

    assert_constant_queries(client, reverse("members:access_requests"), grow=grow)


def test_a_newer_request_supersedes_an_open_one(make_user, demo_states, rep):
    secretariat = make_user(Role.SECRETARIAT)
    first = make_ncp_request(subject=rep, by=secretariat, demo_states=demo_states)
    second = make_ncp_request(subject=rep, by=secretariat, demo_states=demo_states, state="LV")
    first.refresh_from_db()
    assert first.status == AccessRequestStatus.CANCELLED
    assert second.is_open


# Invitations ------------------------------------------------------------------------


def test_inviting_an_ncp_in_the_admin_creates_a_pending_request_not_access(secretariat_client, demo_states):
    response = secretariat_client.post(
        reverse("admin:members_user_add"),
        {"email": "liis@example.org", "full_name": "Liis Lepp", "role": Role.NCP, "member_state": demo_states["EE"].pk},
        follow=True,
    )
    assert "waits for confirmation by" in response.content.decode()
    user = User.objects.get(email="liis@example.org")
    assert (user.role, user.member_state) == ("", None)
    assert not user.groups.exists()
    assert AccessRequest.objects.pending().get(subject=user).member_state.code == "EE"


def test_csv_invite_of_an_ncp_creates_a_pending_request_not_access(secretariat_client, demo_states):
    rows = b"email,full_name,role,member_state\nncp@example.org,New Ncp,ncp,EE\nobs@example.org,O,observer,\n"
    upload = SimpleUploadedFile("people.csv", rows)
    response = secretariat_client.post(reverse("admin:members_user_invite_csv"), {"file": upload}, follow=True)
    assert "waits for confirmation by a national contact point of Estonia" in response.content.decode()
    ncp = User.objects.get(email="ncp@example.org")
    assert ncp.role == "" and not ncp.groups.filter(name="EE · ncp").exists()
    assert AccessRequest.objects.pending().filter(subject=ncp, role=Role.NCP).exists()
    assert User.objects.get(email="obs@example.org").role == Role.OBSERVER  # no case access: at once


# Changes that open no case data, and the notice ---------------------------------------------


def test_the_role_change_notice_is_sent_when_the_admin_changes_a_role(secretariat_client, make_user):
    user = make_user(Role.OBSERVER)
    admin_change(secretariat_client, user, role=Role.TRAINER)
    user.refresh_from_db()
    assert user.role == Role.TRAINER
    notice = Notification.objects.get(kind="role_changed", recipient=user)
    assert notice.text == "Your role in the THB Portal is now Trainer"
    assert notice.actor == secretariat_client.user


def test_an_ncp_changing_organisation_within_the_state_applies_at_once(make_user, demo_states, ee_ncp):
    from tests.members.factories import OrganisationFactory

    organisation = OrganisationFactory(member_state=demo_states["EE"])
    by = make_user(Role.SECRETARIAT)
    result = services.user_reassign(
        user=ee_ncp, role=Role.NCP, member_state=demo_states["EE"], organisation=organisation, by=by
    )
    assert result is None
    ee_ncp.refresh_from_db()
    assert ee_ncp.organisation == organisation


def test_reactivating_a_deactivated_ncp_is_a_request(secretariat_client, make_user, ee_ncp, demo_states):
    services.user_deactivate(user=ee_ncp, by=secretariat_client.user)
    ee_ncp.refresh_from_db()
    assert not ee_ncp.groups.filter(name="EE · ncp").exists()
    response = admin_change(secretariat_client, ee_ncp, is_active="on")
    assert "waits for confirmation" in response.content.decode()
    ee_ncp.refresh_from_db()
    assert not ee_ncp.is_active
    access_request = AccessRequest.objects.pending().get(subject=ee_ncp, kind=AccessRequestKind.REACTIVATION)
    services.access_request_confirm(access_request=access_request, by=make_user(Role.NCP, "EE"))
    ee_ncp.refresh_from_db()
    assert ee_ncp.is_active and ee_ncp.groups.filter(name="EE · ncp").exists()


def test_making_someone_superuser_in_the_admin_is_a_request(secretariat_client, make_user):
    other = make_user(Role.SECRETARIAT)
    response = admin_change(secretariat_client, other, is_superuser="on")
    assert "waits for confirmation by another member of the secretariat" in response.content.decode()
    other.refresh_from_db()
    assert not other.is_superuser


def test_the_admin_lists_access_requests_read_only(secretariat_client, make_user, demo_states, rep):
    access_request = make_ncp_request(subject=rep, by=make_user(Role.SECRETARIAT), demo_states=demo_states)
    response = secretariat_client.get(reverse("admin:members_accessrequest_changelist"))
    assert response.status_code == 200
    assert rep.full_name in response.content.decode()
    assert secretariat_client.get(reverse("admin:members_accessrequest_add")).status_code == 403
    change = secretariat_client.post(reverse("admin:members_accessrequest_change", args=[access_request.pk]), {})
    assert change.status_code == 403
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING


# Names are one line ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Mari\nTamm", "Mari\r\nBcc: x@example.org", "Mari\tTamm", "Mari\u2028Tamm"])
def test_a_name_with_a_line_break_or_control_character_is_refused(client, make_user, secretariat_client, name):
    user = make_user(Role.OBSERVER, full_name="Mari Tamm")
    response = admin_change(secretariat_client, user, full_name=name)
    assert "Use one line of text" in response.content.decode()
    client.force_login(user)
    response = client.post(
        reverse("members:profile"), {"full_name": name, "position": "", "phone": "", "languages": ""}
    )
    assert "Use one line of text" in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Mari Tamm"


def test_a_name_with_letters_of_the_region_is_accepted(make_user):
    user = make_user(Role.OBSERVER, full_name="Žydrūnė Ąžuolaitė-Łukasz Олена")
    user.full_clean(exclude=["password"])


def test_the_expiry_job_marks_open_requests_expired_and_tells_the_requester(make_user, demo_states, rep):
    from django.core.management import call_command

    secretariat = make_user(Role.SECRETARIAT)
    old = make_ncp_request(subject=rep, by=secretariat, demo_states=demo_states)
    fresh = make_ncp_request(subject=make_user(Role.OBSERVER), by=secretariat, demo_states=demo_states)
    AccessRequest.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("run_job", "members.access_requests_expire")
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (AccessRequestStatus.EXPIRED, AccessRequestStatus.PENDING)
    notice = Notification.objects.get(kind="access_request_decided", target_id=old.pk)
    assert notice.recipient == secretariat and "expired unconfirmed" in notice.text
    rep.refresh_from_db()
    assert rep.role == Role.NATIONAL_REPRESENTATIVE


# The login email in the admin ---------------------------------------------------------------


def test_the_admin_cannot_change_the_email_of_a_user_with_case_access(secretariat_client, ee_ncp):
    form = secretariat_client.get(reverse("admin:members_user_change", args=[ee_ncp.pk])).context["adminform"].form
    assert "email" not in form.fields
    admin_change(secretariat_client, ee_ncp, email="mine@example.org")
    ee_ncp.refresh_from_db()
    assert ee_ncp.email != "mine@example.org"


def test_an_email_change_in_the_admin_waits_for_the_new_address_to_confirm(
    secretariat_client, make_user, django_capture_on_commit_callbacks
):
    user = make_user(Role.OBSERVER, email="old@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_change(secretariat_client, user, email="new@example.org")
    assert "A confirmation was sent to new@example.org; the address changes once it is confirmed" in (
        response.content.decode()
    )
    user.refresh_from_db()
    assert user.email == "old@example.org"


def test_the_admin_history_does_not_claim_a_change_that_waits(secretariat_client, rep):
    from django.contrib.admin.models import LogEntry as AdminLogEntry

    admin_change(secretariat_client, rep, role=Role.NCP, position="Case worker")
    entry = AdminLogEntry.objects.filter(object_id=str(rep.pk)).latest("action_time")
    assert "Position" in entry.get_change_message()
    assert "Role" not in entry.get_change_message()


def test_the_access_request_changelist_runs_the_same_queries_for_many_requests(
    secretariat_client, make_user, demo_states, assert_constant_queries
):
    secretariat = make_user(Role.SECRETARIAT)
    make_ncp_request(subject=make_user(Role.OBSERVER), by=secretariat, demo_states=demo_states)

    def grow():
        for _ in range(15):
            make_ncp_request(subject=make_user(Role.OBSERVER), by=secretariat, demo_states=demo_states)

    assert_constant_queries(secretariat_client, reverse("admin:members_accessrequest_changelist"), grow=grow)


def test_making_someone_secretariat_waits_for_another_secretariat_member(make_user, login, demo_states):
    """Were it immediate, one secretariat member could make a second account of their own that
    then confirms their requests."""
    requester = make_user(Role.SECRETARIAT)
    applicant = make_user(Role.OBSERVER)
    access_request = services.user_reassign(
        user=applicant, role=Role.SECRETARIAT, member_state=None, organisation=None, by=requester
    )
    applicant.refresh_from_db()
    assert (applicant.role, applicant.is_staff) == (Role.OBSERVER, False)
    assert login(make_user(Role.NCP, "EE")).get(access_request.get_absolute_url()).status_code == 404
    services.access_request_confirm(access_request=access_request, by=make_user(Role.SECRETARIAT))
    applicant.refresh_from_db()
    assert (applicant.role, applicant.is_staff) == (Role.SECRETARIAT, True)


def test_the_admin_cannot_change_the_email_of_a_user_waiting_for_case_access(secretariat_client, demo_states, rep):
    make_ncp_request(subject=rep, by=secretariat_client.user, demo_states=demo_states)
    form = secretariat_client.get(reverse("admin:members_user_change", args=[rep.pk])).context["adminform"].form
    assert "email" not in form.fields
