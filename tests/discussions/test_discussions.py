"""Discussions: members-only threads under topics; following and the notices of new posts;
urgent alerts to everyone; the author's edit window; hiding with a reason; checked
attachments; what is unread; and the pages' query counts at two sizes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from discussions import services
from discussions.models import Attachment, Follow, Post, Thread, Topic
from members.models import Role
from notifications.kinds import EmailMode
from notifications.models import Delivery, DeliveryChannel, Notification
from notifications.services import preference_set
from tests.cases.factories import pdf_upload
from tests.discussions.factories import age_post, make_topic, start_thread


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT, full_name="Sara Secretariat"),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Eero Estonia"),
        "ee_ncp": make_user(Role.NCP, "EE"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV", full_name="Liga Latvia"),
        "lt_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LT"),
        "observer": make_user(Role.OBSERVER, full_name="Olga Observer"),
        "trainer": make_user(Role.TRAINER),
    }


@pytest.fixture
def topic(people):
    return make_topic(people["secretariat"])


def _told(kind, user):
    return Notification.objects.filter(kind=kind, recipient=user)


def test_only_the_secretariat_opens_topics_and_a_title_is_taken_once(people):
    with pytest.raises(ValidationError, match="Only the secretariat"):
        make_topic(people["ee_rep"])
    make_topic(people["secretariat"], "Data collection")
    with pytest.raises(ValidationError) as refused:
        make_topic(people["secretariat"], "data collection")
    assert "title" in refused.value.message_dict
    assert Topic.objects.count() == 1


def test_trainers_take_no_part(people, topic):
    with pytest.raises(ValidationError, match="Only members"):
        start_thread(topic, people["trainer"])
    assert not Thread.objects.exists()


def test_new_posts_reach_the_followers_of_the_thread_and_of_its_topic_not_the_author(people, topic):
    services.follow_set(by=people["lv_rep"], topic=topic, following=True)
    thread = start_thread(topic, people["ee_rep"])
    # The author follows what they start; the topic's follower is told; nobody else.
    assert Follow.objects.filter(user=people["ee_rep"], thread=thread).exists()
    assert _told("discussion_post", people["lv_rep"]).count() == 1
    assert not _told("discussion_post", people["ee_rep"]).exists()
    assert not _told("discussion_post", people["lt_rep"]).exists()

    services.follow_set(by=people["observer"], thread=thread, following=True)
    post = services.post_add(thread=thread, body="Latvia joins.", by=people["lv_rep"])
    assert _told("discussion_post", people["ee_rep"]).get().link == post.get_absolute_url()
    assert _told("discussion_post", people["observer"]).count() == 1
    assert _told("discussion_post", people["lv_rep"]).count() == 1  # not for their own post
    thread.refresh_from_db()
    assert thread.post_count == 2 and thread.last_post_at == post.created_at

    services.follow_set(by=people["observer"], thread=thread, following=False)
    services.post_add(thread=thread, body="Lithuania too.", by=people["lt_rep"])
    assert _told("discussion_post", people["observer"]).count() == 1


def test_an_urgent_post_reaches_every_member_at_once_whatever_their_email_preference(people, topic):
    preference_set(user=people["lv_rep"], kind="discussion_post", email=EmailMode.NONE)
    thread = start_thread(topic, people["ee_rep"])
    services.post_add(thread=thread, body="Recruiters at the border crossing today.", urgent=True, by=people["ee_ncp"])
    for member in ("secretariat", "ee_rep", "lv_rep", "lt_rep", "observer"):
        notice = _told("discussion_urgent", people[member]).get()
        # An email at once for each, not a digest item, not nothing.
        assert Delivery.objects.filter(notification=notice, channel=DeliveryChannel.EMAIL).exists()
    assert not _told("discussion_urgent", people["trainer"]).exists()
    assert not _told("discussion_urgent", people["ee_ncp"]).exists()


def test_observers_do_not_send_urgent_alerts(people, topic, login):
    thread = start_thread(topic, people["ee_rep"])
    with pytest.raises(ValidationError) as refused:
        services.post_add(thread=thread, body="Alert", urgent=True, by=people["observer"])
    assert "urgent" in refused.value.message_dict
    assert Post.objects.count() == 1
    page = login(people["observer"]).get(thread.get_absolute_url())
    assert b'name="urgent"' not in page.content
    page = login(people["ee_rep"]).get(thread.get_absolute_url())
    assert b'name="urgent"' in page.content


def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_is_posted(people, topic, login):
    client = login(people["ee_rep"])
    fake = SimpleUploadedFile("note.pdf", b"MZ this is not a PDF", content_type="application/pdf")
    response = client.post(
        reverse("discussions:thread_start", args=[topic.pk]),
        {"title": "Seasonal work", "body": "See the note.", "attachment": fake},
    )
    assert response.status_code == 400
    assert "was not accepted" in response.content.decode() or "not" in response.content.decode()
    # What was typed is kept.
    assert b"Seasonal work" in response.content and b"See the note." in response.content
    assert not Thread.objects.exists() and not Post.objects.exists() and not Attachment.objects.exists()


def test_an_attachment_is_stored_under_a_generated_name_and_downloaded_by_members_only(people, topic, login):
    thread = start_thread(topic, people["ee_rep"], upload=pdf_upload("national-note.pdf"))
    attachment = Attachment.objects.get()
    assert "national-note" not in attachment.file.name and attachment.post.thread == thread
    url = attachment.get_absolute_url()
    response = login(people["observer"]).get(url)
    assert response.status_code == 200 and "national-note.pdf" in response["Content-Disposition"]
    assert login(people["trainer"]).get(url).status_code == 404


def test_the_author_edits_within_the_window_and_the_edit_is_shown(people, topic, login, settings):
    settings.THB_DISCUSSION_EDIT_MINUTES = 15
    thread = start_thread(topic, people["ee_rep"], body="Fist draft")
    post = thread.posts.get()
    with pytest.raises(ValidationError, match="no longer be edited"):
        services.post_edit(post=post, body="Someone else's change", by=people["lv_rep"])
    client = login(people["ee_rep"])
    response = client.post(reverse("discussions:post_edit", args=[post.pk]), {"body": "First draft"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "First draft" and post.edited_at is not None
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "First draft" in page and 'data-testid="edited"' in page

    age_post(post, 16)
    response = client.post(reverse("discussions:post_edit", args=[post.pk]), {"body": "Too late"})
    assert response.status_code == 400 and "no longer be edited" in response.content.decode()
    assert Post.objects.get(pk=post.pk).body == "First draft"
    assert 'data-testid="edit-closed"' in client.get(reverse("discussions:post_edit", args=[post.pk])).content.decode()
    # Another member has no edit page for it at all.
    assert login(people["lv_rep"]).get(reverse("discussions:post_edit", args=[post.pk])).status_code == 404


def test_the_secretariat_hides_a_post_with_a_reason_its_text_and_files_are_then_its_alone(people, topic, login):
    thread = start_thread(topic, people["lv_rep"], body="Names of the suspects: Probe-Hidden", upload=pdf_upload())
    post = thread.posts.get()
    attachment = post.attachments.get()
    client = login(people["secretariat"])
    response = client.post(reverse("discussions:post_hide", args=[post.pk]), {"reason": ""})
    assert response.status_code == 400 and Post.objects.get(pk=post.pk).hidden_at is None
    response = client.post(reverse("discussions:post_hide", args=[post.pk]), {"reason": "Personal data of suspects"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_by == people["secretariat"] and post.hidden_reason == "Personal data of suspects"
    assert "Probe-Hidden" in client.get(thread.get_absolute_url()).content.decode()

    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(post).order_by("-pk").first()
    assert entry.actor == people["secretariat"] and "hidden_reason" in entry.changes_dict

    for member in ("lv_rep", "ee_rep", "observer"):
        member_client = login(people[member])
        page = member_client.get(thread.get_absolute_url()).content.decode()
        assert "Probe-Hidden" not in page and "Personal data of suspects" in page
        assert member_client.get(attachment.get_absolute_url()).status_code == 404
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.post_hide(post=post, reason="Again", by=people["ee_rep"])


def test_unread_posts_in_what_a_member_follows_until_they_read_the_thread(people, topic, login):
    services.follow_set(by=people["ee_rep"], topic=topic, following=True)
    thread = start_thread(topic, people["lv_rep"], title="Berry season")
    services.post_add(thread=thread, body="Second", by=people["lt_rep"])
    other = make_topic(people["secretariat"], "Data collection")
    start_thread(other, people["lv_rep"], title="Not followed")

    client = login(people["ee_rep"])
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Berry season" in dashboard and "2 new posts" in dashboard and "Not followed" not in dashboard
    # Reading the page writes nothing; its script posts the read mark once loaded.
    client.get(thread.get_absolute_url())
    assert "Berry season" in client.get(reverse("dashboard")).content.decode()
    assert client.post(reverse("discussions:thread_read", args=[thread.pk])).status_code == 204
    assert "Berry season" not in client.get(reverse("dashboard")).content.decode()
    # A new post after the read is unread again; posting in the thread reads it up to then.
    services.post_add(thread=thread, body="Third", by=people["lv_rep"])
    assert "1 new post" in client.get(reverse("dashboard")).content.decode()
    services.post_add(thread=thread, body="Mine", by=people["ee_rep"])
    assert "Berry season" not in client.get(reverse("dashboard")).content.decode()


def test_a_posts_address_opens_its_thread_at_the_page_that_holds_it(people, topic, login, settings):
    settings.PAGE_SIZE = 2
    thread = start_thread(topic, people["ee_rep"])
    posts = [services.post_add(thread=thread, body=f"Reply {n}", by=people["lv_rep"]) for n in range(3)]
    client = login(people["lv_rep"])
    response = client.get(posts[-1].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{posts[-1].pk}"
    assert client.get(posts[0].get_absolute_url())["Location"] == f"{thread.get_absolute_url()}#post-{posts[0].pk}"


def test_reply_and_follow_pages(people, topic, login):
    thread = start_thread(topic, people["ee_rep"])
    client = login(people["lv_rep"])
    response = client.post(reverse("discussions:reply", args=[thread.pk]), {"body": ""})
    assert response.status_code == 400 and thread.posts.count() == 1
    response = client.post(reverse("discussions:reply", args=[thread.pk]), {"body": "Latvia joins."}, follow=True)
    assert response.status_code == 200 and "Latvia joins." in response.content.decode()
    assert Follow.objects.filter(user=people["lv_rep"], thread=thread).exists()
    client.post(reverse("discussions:thread_follow", args=[thread.pk]), {"follow": "0"})
    assert not Follow.objects.filter(user=people["lv_rep"], thread=thread).exists()
    client.post(reverse("discussions:topic_follow", args=[topic.pk]), {"follow": "1"})
    client.post(reverse("discussions:topic_follow", args=[topic.pk]), {"follow": "1"})
    assert Follow.objects.filter(user=people["lv_rep"], topic=topic).count() == 1
    page = client.get(topic.get_absolute_url() + "?q=joint").content.decode()
    assert thread.title in page
    assert "No threads match" in client.get(topic.get_absolute_url() + "?q=nothing-like-it").content.decode()


def test_the_admin_corrects_a_topic_through_the_service(people, topic, login, service_calls):
    from discussions import admin as discussions_admin

    calls = service_calls(discussions_admin.services, "topic_update")
    make_topic(people["secretariat"], "Data collection")
    client = login(people["secretariat"])
    url = reverse("admin:discussions_topic_change", args=[topic.pk])
    response = client.post(url, {"title": "data COLLECTION", "description": ""})
    assert response.status_code == 200 and "There is a topic of that name already." in response.content.decode()
    response = client.post(url, {"title": "Labour exploitation and forced labour", "description": "Corrected"})
    assert response.status_code == 302
    assert calls and calls[0]["by"] == people["secretariat"]
    assert Topic.objects.get(pk=topic.pk).title == "Labour exploitation and forced labour"


@pytest.mark.parametrize("who", ["ee_rep", "secretariat", "observer"])
def test_the_lists_cost_the_same_at_two_sizes(people, topic, login, assert_constant_queries, who):
    thread = start_thread(topic, people["ee_rep"], upload=pdf_upload())
    services.follow_set(by=people[who], topic=topic, following=True) if who != "ee_rep" else None

    def grow():
        for n in range(3):
            extra = make_topic(people["secretariat"], f"Topic {n}")
            services.follow_set(by=people[who], topic=extra, following=True)
            start_thread(extra, people["lv_rep"], title=f"Thread {n}", upload=pdf_upload())
            start_thread(topic, people["lt_rep"], title=f"More {n}")
            services.post_add(thread=thread, body=f"Reply {n}", upload=pdf_upload(), by=people["lv_rep"])
        services.post_add(thread=thread, body="Hidden", by=people["lt_rep"])
        services.post_hide(post=thread.posts.last(), reason="Off topic", by=people["secretariat"])

    client = login(people[who])
    assert_constant_queries(
        client,
        reverse("discussions:list"),
        topic.get_absolute_url(),
        thread.get_absolute_url(),
        reverse("dashboard"),
        grow=grow,
    )


def test_the_dashboard_counts_unread_threads_only_so_far(people, topic, login, monkeypatch):
    from thb_portal import views as dashboard_views  # the limit is the dashboard's own

    monkeypatch.setattr(dashboard_views, "UNREAD_COUNT_LIMIT", 7)
    services.follow_set(by=people["ee_rep"], topic=topic, following=True)
    for n in range(6):
        start_thread(topic, people["lv_rep"], title=f"Thread {n}")
    client = login(people["ee_rep"])
    assert "6 threads have unread posts; the latest 5 are shown" in client.get(reverse("dashboard")).content.decode()
    for n in range(6, 9):
        start_thread(topic, people["lv_rep"], title=f"Thread {n}")
    page = client.get(reverse("dashboard")).content.decode()
    block = page[page.index('data-testid="unread-threads"') :][:3000]
    assert "At least 7 threads have unread posts; the latest 5 are shown" in block and "Thread 8" in block


def test_reading_marks_up_to_the_newest_post_shown_and_later_posts_stay_unread(people, topic, login, settings):
    settings.PAGE_SIZE = 2
    services.follow_set(by=people["ee_rep"], topic=topic, following=True)
    thread = start_thread(topic, people["lv_rep"], title="Berry season")
    for n in range(3):
        services.post_add(thread=thread, body=f"Reply {n}", by=people["lt_rep"])
    client = login(people["ee_rep"])
    # The first page shows two of the four posts: reading it leaves the other two unread.
    page = client.get(thread.get_absolute_url())
    up_to = page.context["read_up_to"]
    assert up_to and f'"up_to": "{up_to}"' in page.content.decode()
    client.post(reverse("discussions:thread_read", args=[thread.pk]), {"up_to": up_to})
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "2 new posts" in dashboard
    # The dashboard's link opens the first unread post, on the page that holds it.
    first_unread = thread.posts.order_by("created_at")[2]
    assert reverse("discussions:post", args=[first_unread.pk]) in dashboard
    # A mark never moves back; an address from the future counts as now.
    client.post(reverse("discussions:thread_read", args=[thread.pk]), {"up_to": "2000-01-01T00:00:00+00:00"})
    assert "2 new posts" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("discussions:thread_read", args=[thread.pk]), {"up_to": "2999-01-01T00:00:00+00:00"})
    assert "Berry season" not in client.get(reverse("dashboard")).content.decode()


def test_nothing_is_unread_in_a_thread_no_longer_followed(people, topic, login):
    thread = start_thread(topic, people["ee_rep"], title="Berry season")
    services.post_add(thread=thread, body="Reply", by=people["lv_rep"])
    client = login(people["ee_rep"])
    assert "1 new post" in client.get(reverse("dashboard")).content.decode()
    services.follow_set(by=people["ee_rep"], thread=thread, following=False)
    assert "Berry season" not in client.get(reverse("dashboard")).content.decode()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "new</span>" not in page


def test_a_bad_filter_is_said_and_the_list_shown_unfiltered(people, topic, login):
    start_thread(topic, people["ee_rep"], title="Berry season")
    response = login(people["ee_rep"]).get(topic.get_absolute_url() + "?q=" + "x" * 101)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Title contains:" in page and "Berry season" in page


def test_a_missing_file_is_a_404_not_an_error(people, topic, login):
    start_thread(topic, people["ee_rep"], upload=pdf_upload())
    attachment = Attachment.objects.get()
    attachment.file.delete(save=False)
    assert login(people["lv_rep"]).get(attachment.get_absolute_url()).status_code == 404


def test_the_admin_renames_a_thread_through_the_service(people, topic, login, service_calls):
    from discussions import admin as discussions_admin

    calls = service_calls(discussions_admin.services, "thread_retitle")
    thread = start_thread(topic, people["ee_rep"], title="Names in the title")
    response = login(people["secretariat"]).post(
        reverse("admin:discussions_thread_change", args=[thread.pk]), {"title": "Joint inspections"}
    )
    assert response.status_code == 302 and calls[0]["by"] == people["secretariat"]
    assert Thread.objects.get(pk=thread.pk).title == "Joint inspections"
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.thread_retitle(thread=thread, title="x", by=people["ee_rep"])


def test_the_database_keeps_topic_titles_unique_in_any_case(people, topic):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(title=topic.title.upper(), created_by=people["secretariat"])


def test_the_topic_list_filters_by_title_and_by_what_the_member_follows(people, topic, login):
    make_topic(people["secretariat"], "Data collection")
    services.follow_set(by=people["ee_rep"], topic=topic, following=True)
    client = login(people["ee_rep"])
    page = client.get(reverse("discussions:list") + "?q=data").content.decode()
    assert "Data collection" in page and topic.title not in page
    page = client.get(reverse("discussions:list") + "?followed=on").content.decode()
    assert topic.title in page and "Data collection" not in page
    assert "No topics match" in client.get(reverse("discussions:list") + "?q=nothing-like-it").content.decode()
    assert client.get(reverse("discussions:list") + "?q=" + "x" * 101).status_code == 400
