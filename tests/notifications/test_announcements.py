import math
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from notifications import services
from notifications.models import Announcement, Delivery, Notification
from notifications.services._handover import SEND_BATCH_SIZE
from tests.members.factories import UserFactory


def make_announcement(**fields) -> Announcement:
    states = fields.pop("states", [])
    roles = fields.pop("roles", [])
    announcement = Announcement.objects.create(
        title=fields.pop("title", "Ukraine: coordinated response"), body="…", **fields
    )
    announcement.audience_states.set(states)
    announcement.audience_roles.set(Group.objects.filter(name__in=roles))
    return announcement


@pytest.fixture
def secretariat(make_user):
    return make_user(Role.SECRETARIAT)


def test_announcement_without_audience_is_refused(secretariat):
    announcement = make_announcement()
    with pytest.raises(ValidationError, match="Choose an audience"):
        services.announcement_publish(announcement=announcement, by=secretariat)
    announcement.refresh_from_db()
    assert not announcement.is_published


def test_announcement_reaches_exactly_its_audience(
    secretariat, make_user, demo_states, django_capture_on_commit_callbacks
):
    ee_ncp, ee_rep = make_user(Role.NCP, "EE"), make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    lv_ncp, observer = make_user(Role.NCP, "LV"), make_user(Role.OBSERVER)
    announcement = make_announcement(states=[demo_states["EE"], demo_states["LV"]], roles=["ncp"])
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_publish(announcement=announcement, by=secretariat)
    recipients = set(Notification.objects.filter(kind="announcement").values_list("recipient", flat=True))
    assert recipients == {ee_ncp.pk, lv_ncp.pk}
    announcement.refresh_from_db()
    assert announcement.recipient_count == 2 and announcement.fanned_out_at
    assert {m.to[0] for m in mail.outbox} == {ee_ncp.email, lv_ncp.email}
    assert ee_rep.pk not in recipients and observer.pk not in recipients


def test_announcement_to_everyone(secretariat, users_by_role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_publish(announcement=make_announcement(audience_all=True), by=secretariat)
    assert Notification.objects.filter(kind="announcement").count() == len(users_by_role) + 1


def test_publishing_twice_is_refused_and_fan_out_twice_notifies_once(secretariat, make_user):
    make_user(Role.OBSERVER)
    announcement = make_announcement(audience_all=True)
    services.announcement_publish(announcement=announcement, by=secretariat)
    with pytest.raises(ValidationError, match="already published"):
        services.announcement_publish(announcement=announcement, by=secretariat)
    Announcement.objects.filter(pk=announcement.pk).update(fanned_out_at=None)  # as if the first run died
    services.announcement_fan_out(announcement_id=announcement.pk)
    assert Notification.objects.filter(kind="announcement").count() == 2


def test_dashboard_shows_current_announcements_to_their_audience_only(
    client, secretariat, make_user, demo_states, django_capture_on_commit_callbacks
):
    ee_rep, lv_rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE"), make_user(Role.NATIONAL_REPRESENTATIVE, "LV")
    announcement = make_announcement(title="Estonian alert", severity="alert", states=[demo_states["EE"]])
    services.announcement_publish(announcement=announcement, by=secretariat)
    client.force_login(ee_rep)
    assert "Estonian alert" in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("notifications:announcement", args=[announcement.pk])).status_code == 200
    client.force_login(lv_rep)
    assert "Estonian alert" not in client.get(reverse("dashboard")).content.decode()
    assert client.get(reverse("notifications:announcement", args=[announcement.pk])).status_code == 404


def test_unpublished_and_expired_announcements_are_not_on_the_dashboard(client, secretariat, make_user):
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    make_announcement(title="Draft only", audience_all=True)
    expired = make_announcement(title="Old news", audience_all=True, expires_at=timezone.now() - timedelta(days=1))
    services.announcement_publish(announcement=expired, by=secretariat)
    client.force_login(rep)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Draft only" not in content and "Old news" not in content


def test_admin_publish_action_and_audience_validation(
    client, secretariat, mfa_user, make_user, demo_states, django_capture_on_commit_callbacks
):
    mfa_user(secretariat)
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:notifications_announcement_add"), {"title": "No audience", "body": "x", "severity": "info"}
    )
    assert response.status_code == 200
    assert b"Choose an audience" in response.content
    make_user(Role.OBSERVER)
    response = client.post(
        reverse("admin:notifications_announcement_add"),
        {"title": "To all", "body": "x", "severity": "info", "audience_all": "on"},
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get(title="To all")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_announcement_changelist"),
            {"action": "publish", "_selected_action": [announcement.pk]},
            follow=True,
        )
    assert "Published “To all”" in response.content.decode()
    assert Notification.objects.filter(kind="announcement").exists()


def test_the_admin_saves_announcements_through_the_service_as_its_user(
    client, secretariat, mfa_user, demo_states, service_calls
):
    calls = service_calls(services, "announcement_save")
    mfa_user(secretariat)
    client.force_login(secretariat)
    response = client.post(
        reverse("admin:notifications_announcement_add"),
        {"title": "To Estonia", "body": "x", "severity": "info", "audience_states": [demo_states["EE"].pk]},
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get(title="To Estonia")
    assert announcement.created_by == secretariat
    assert list(announcement.audience_states.all()) == [demo_states["EE"]]
    response = client.post(
        reverse("admin:notifications_announcement_change", args=[announcement.pk]),
        {
            "title": "To Estonia and Latvia",
            "body": "x",
            "severity": "info",
            "audience_states": [demo_states["EE"].pk, demo_states["LV"].pk],
        },
    )
    assert response.status_code == 302
    announcement.refresh_from_db()
    assert announcement.title == "To Estonia and Latvia" and announcement.audience_states.count() == 2
    assert [(call["by"], call["announcement"].pk) for call in calls] == [(secretariat, announcement.pk)] * 2
    # On a change the service gets what changed, not the whole form.
    assert calls[1]["data"] == {"title": "To Estonia and Latvia"}
    assert set(calls[1]["m2m"]) == {"audience_states"}


def test_a_published_announcement_may_only_get_another_end_date(secretariat, make_user):
    make_user(Role.OBSERVER)
    announcement = make_announcement(title="Sent", audience_all=True)
    services.announcement_publish(announcement=announcement, by=secretariat)
    with pytest.raises(ValidationError, match="was published: only its end date can change"):
        services.announcement_save(announcement=announcement, data={"title": "Rewritten"}, by=secretariat)
    with pytest.raises(ValidationError, match="was published"):
        services.announcement_save(announcement=announcement, data={}, m2m={"audience_roles": []}, by=secretariat)
    until = timezone.now() + timedelta(days=3)
    services.announcement_save(announcement=announcement, data={"expires_at": until}, by=secretariat)
    announcement.refresh_from_db()
    assert (announcement.title, announcement.expires_at) == ("Sent", until)


def test_an_announcement_is_not_saved_without_an_audience(secretariat, demo_states):
    with pytest.raises(ValidationError, match="Choose an audience"):
        services.announcement_save(announcement=Announcement(), data={"title": "T", "body": "x"}, by=secretariat)
    assert not Announcement.objects.exists()
    announcement = services.announcement_save(
        announcement=Announcement(),
        data={"title": "T", "body": "x"},
        m2m={"audience_states": [demo_states["EE"]]},
        by=secretariat,
    )
    with pytest.raises(ValidationError, match="Choose an audience"):
        services.announcement_save(announcement=announcement, data={}, m2m={"audience_states": []}, by=secretariat)
    assert list(announcement.audience_states.all()) == [demo_states["EE"]]


@pytest.mark.worker
def test_announcement_to_500_users_is_batched(
    secretariat, demo_states, broker, celery_not_eager, django_capture_on_commit_callbacks
):
    from django.contrib.auth.hashers import make_password

    password = make_password("x")
    UserFactory.create_batch(
        50, role_name=Role.NATIONAL_REPRESENTATIVE, member_state=demo_states["EE"], password=password
    )
    small = make_announcement(audience_all=True)
    services.announcement_publish(announcement=small, by=secretariat)
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as small_queries:
        services.announcement_fan_out(announcement_id=small.pk)
    redis = broker.client()
    small_tasks = redis.llen("celery")

    UserFactory.create_batch(
        450, role_name=Role.NATIONAL_REPRESENTATIVE, member_state=demo_states["LV"], password=password
    )
    large = make_announcement(audience_all=True)
    services.announcement_publish(announcement=large, by=secretariat)
    redis.flushdb()
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as large_queries:
        services.announcement_fan_out(announcement_id=large.pk)
    large_tasks = redis.llen("celery")

    assert Notification.objects.filter(target_id=large.pk).count() == 501
    assert Delivery.objects.filter(notification__target_id=large.pk).count() == 501
    # One batch of users is a fixed number of queries; each send task carries many emails.
    assert len(large_queries) <= len(small_queries) + 8
    assert len(large_queries) <= 30
    assert small_tasks == math.ceil(51 / SEND_BATCH_SIZE)
    assert large_tasks == math.ceil(501 / SEND_BATCH_SIZE)
