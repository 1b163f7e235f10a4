import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Role
from notifications import services
from notifications.models import Notification, NotificationPreference


@pytest.fixture
def expert(client, make_user):
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    client.force_login(user)
    client.get(reverse("dashboard"))  # the session's first request records it; measure after
    return user


def notify(user, count=1, **kwargs):
    for n in range(count):
        services.notify(recipients=[user], kind="announcement", text=f"Notice {n}", **kwargs)


NOTIFICATION_URLS = ["notifications:list", "notifications:badge", "notifications:preferences"]


@pytest.mark.parametrize("url_name", NOTIFICATION_URLS)
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_notification_centre(client, users_by_role, mfa_user, role):
    user = users_by_role[role]
    mfa_user(user)
    client.force_login(user)
    for url_name in NOTIFICATION_URLS:
        assert client.get(reverse(url_name)).status_code == 200


def test_centre_lists_own_notices_newest_first_with_an_empty_state(client, expert, make_user):
    assert b"You have no notifications" in client.get(reverse("notifications:list")).content
    notify(expert, 2)
    notify(make_user(Role.OBSERVER))  # someone else's
    page = client.get(reverse("notifications:list")).context["page"]
    assert [n.recipient for n in page.object_list] == [expert, expert]
    assert [n.text for n in page.object_list] == ["Notice 1", "Notice 0"]


def test_badge_counts_unread_and_mark_read_clears_it(client, expert):
    notify(expert, 3)
    assert b">3<" in client.get(reverse("notifications:badge")).content
    first = Notification.objects.filter(recipient=expert).first()
    response = client.post(reverse("notifications:mark_read", args=[first.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"Read" in response.content and b"<html" not in response.content
    assert b">2<" in client.get(reverse("notifications:badge")).content
    client.post(reverse("notifications:mark_all_read"))
    assert b"badge rounded-pill" not in client.get(reverse("notifications:badge")).content


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_the_list_opens_a_notice_by_a_post_that_marks_it_read_and_follows_its_link(client, expert):
    notify(expert, link="/members/directory/")
    notice = Notification.objects.get(recipient=expert)
    open_url = reverse("notifications:open", args=[notice.pk])
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'<form method="post" action="{open_url}">' in page
    assert f'href="{open_url}"' not in page
    response = client.post(open_url)
    assert response.status_code == 303
    assert response.url == "/members/directory/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_email_link_writes_nothing_but_still_leads_on_and_marks_the_notice_read(client, expert):
    notify(expert, link="/members/directory/")
    notice = Notification.objects.get(recipient=expert)
    open_url = reverse("notifications:open", args=[notice.pk])
    for method in (client.get, client.head):
        with CaptureQueriesContext(connection) as queries:
            response = method(open_url)
        assert response.status_code == 200
        assert _writes(queries.captured_queries) == []
    notice.refresh_from_db()
    assert notice.read_at is None
    # The page posts once loaded (htmx), and has a button for a browser without JavaScript.
    page = client.get(open_url).content.decode()
    assert f'hx-post="{open_url}" hx-trigger="load"' in page
    assert f'<form method="post" action="{open_url}"' in page and "Mark as read and continue" in page
    response = client.post(open_url, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/members/directory/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # Once read, the link goes straight on, still writing nothing.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(open_url)
    assert (response.status_code, response.url) == (302, "/members/directory/")
    assert _writes(queries.captured_queries) == []


def test_opening_a_notice_twice_keeps_the_first_read_time(client, expert):
    notify(expert)
    notice = Notification.objects.get(recipient=expert)
    client.post(reverse("notifications:open", args=[notice.pk]))
    notice.refresh_from_db()
    first = notice.read_at
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.url == reverse("notifications:list")  # no link: the list
    notice.refresh_from_db()
    assert notice.read_at == first


def test_a_link_to_another_site_is_not_followed(client, expert):
    notify(expert, link="https://evil.example.com/")
    notice = Notification.objects.get(recipient=expert)
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response.url == reverse("notifications:list")
    assert client.get(reverse("notifications:open", args=[notice.pk])).url == reverse("notifications:list")


def test_someone_elses_notice_is_not_found(client, expert, make_user):
    other = make_user(Role.OBSERVER)
    notify(other)
    notice = Notification.objects.get(recipient=other)
    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.post(reverse("notifications:mark_read", args=[notice.pk])).status_code == 404
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_needs_post(client, expert):
    notify(expert)
    notice = Notification.objects.get(recipient=expert)
    assert client.get(reverse("notifications:mark_read", args=[notice.pk])).status_code == 405


def test_preferences_page_saves_choices(client, expert):
    response = client.get(reverse("notifications:preferences"))
    assert "email_announcement" in response.context["form"].fields
    assert "email_invitation_accepted" not in response.context["form"].fields  # secretariat only
    # As a browser sends it: every choice, the two changed ones among them.
    chosen = {name: field.initial for name, field in response.context["form"].fields.items()}
    response = client.post(
        reverse("notifications:preferences"), chosen | {"email_announcement": "digest", "email_role_changed": "none"}
    )
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=expert, kind="announcement").email == "digest"


def test_preferences_page_refuses_a_kind_the_user_may_not_receive(client, expert):
    response = client.post(
        reverse("notifications:preferences"),
        {"email_announcement": "digest", "email_role_changed": "none", "email_invitation_accepted": "none"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    # By its label, never the code.
    assert "You cannot set email preferences for “Invitation accepted”: you do not receive them." in content
    assert "invitation_accepted" not in content
    assert not NotificationPreference.objects.exists()


def test_preferences_page_refuses_an_unknown_choice(client, expert):
    response = client.post(
        reverse("notifications:preferences"), {"email_announcement": "fax", "email_role_changed": "none"}
    )
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not NotificationPreference.objects.exists()


def test_centre_query_count_does_not_grow_with_notices(client, expert, assert_constant_queries):
    notify(expert, 10, actor=expert)
    assert_constant_queries(client, reverse("notifications:list"), grow=lambda: notify(expert, 300, actor=expert))
