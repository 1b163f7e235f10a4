"""Minutes (versions kept, comments per paragraph seen by the secretariat and the commenting
state only, approval), decisions and action points with one owner, the open action points
page and the overdue reminder."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import ActionPoint, MeetingStatus, MinutesComment, MinutesVersion
from members.models import Role
from notifications.models import Notification
from tests.meetings.factories import make_meeting


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT, full_name="Sanna Secretariat"),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Rep"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV", full_name="Liga Rep"),
        "observer": make_user(Role.OBSERVER, full_name="Olga Observer"),
    }


def hold(secretariat, **fields):
    meeting = make_meeting(secretariat, starts_in_days=-2, **fields)
    services.meeting_transition(meeting=meeting, step="close_agenda", by=secretariat)
    return services.meeting_transition(meeting=meeting, step="mark_held", by=secretariat)


@pytest.fixture
def held(people):
    return hold(people["secretariat"])


def circulate(meeting, secretariat, text="First paragraph.\n\nSecond paragraph."):
    services.minutes_save(meeting=meeting, text=text, by=secretariat)
    return services.minutes_circulate(
        meeting=meeting, comments_close_at=timezone.now() + timedelta(days=5), by=secretariat
    )


def test_minutes_wait_for_the_meeting_and_a_draft_changes_in_place_until_circulated(people):
    upcoming = make_meeting(people["secretariat"])
    with pytest.raises(ValidationError, match="once the meeting is held"):
        services.minutes_save(meeting=upcoming, text="Too early", by=people["secretariat"])
    meeting = hold(people["secretariat"])
    first = services.minutes_save(meeting=meeting, text="Draft one", by=people["secretariat"])
    again = services.minutes_save(meeting=meeting, text="Draft two", by=people["secretariat"])
    assert again.pk == first.pk and again.number == 1 and again.text == "Draft two"
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.minutes_save(meeting=meeting, text="Mine", by=people["ee_rep"])


def test_circulated_minutes_are_kept_and_a_change_makes_a_new_version(people, held):
    version = circulate(held, people["secretariat"])
    assert Notification.objects.filter(kind="meeting_minutes_circulated", recipient=people["lv_rep"]).exists()
    second = services.minutes_save(meeting=held, text="Corrected.", by=people["secretariat"])
    assert second.number == 2
    version.refresh_from_db()
    assert version.text == "First paragraph.\n\nSecond paragraph."
    with pytest.raises(ValidationError) as refused:
        services.minutes_circulate(
            meeting=held, comments_close_at=timezone.now() - timedelta(hours=1), by=people["secretariat"]
        )
    assert "comments_close_at" in refused.value.message_dict


def test_comments_by_paragraph_are_for_the_secretariat_and_the_commenting_state(people, held, login):
    version = circulate(held, people["secretariat"])
    services.minutes_comment(version=version, paragraph=2, text="Estonian correction", by=people["ee_rep"])
    services.minutes_comment(version=version, paragraph=None, text="Latvia agrees", by=people["lv_rep"])
    with pytest.raises(ValidationError) as refused:
        services.minutes_comment(version=version, paragraph=9, text="Nowhere", by=people["ee_rep"])
    assert "paragraph" in refused.value.message_dict
    with pytest.raises(ValidationError, match="representatives comment"):
        services.minutes_comment(version=version, paragraph=None, text="Observer", by=people["observer"])
    url = reverse("meetings:minutes", args=[held.pk])
    ee = login(people["ee_rep"]).get(url).content.decode()
    assert "Estonian correction" in ee and "Latvia agrees" not in ee
    lv = login(people["lv_rep"]).get(url).content.decode()
    assert "Latvia agrees" in lv and "Estonian correction" not in lv
    secretariat = login(people["secretariat"]).get(url).content.decode()
    assert "Latvia agrees" in secretariat and "Estonian correction" in secretariat
    observer = login(people["observer"]).get(url).content.decode()
    assert "Second paragraph." in observer and "Latvia agrees" not in observer


def test_no_comments_after_the_deadline_nor_on_an_older_version(people, held):
    version = circulate(held, people["secretariat"])
    MinutesVersion.objects.filter(pk=version.pk).update(comments_close_at=timezone.now() - timedelta(minutes=1))
    version.refresh_from_db()
    with pytest.raises(ValidationError, match="take no comments"):
        services.minutes_comment(version=version, paragraph=None, text="Late", by=people["ee_rep"])
    assert not MinutesComment.objects.exists()


def test_the_comment_form_keeps_the_text_when_refused(people, held, login):
    circulate(held, people["secretariat"])
    response = login(people["ee_rep"]).post(
        reverse("meetings:minutes", args=[held.pk]), {"paragraph": "7", "text": "Kept comment"}
    )
    assert response.status_code == 400
    assert "Kept comment" in response.content.decode()
    assert not MinutesComment.objects.exists()


def test_drafts_are_the_secretariats_until_circulated(people, held, login):
    services.minutes_save(meeting=held, text="Secret draft text", by=people["secretariat"])
    assert (
        "Secret draft text"
        not in login(people["ee_rep"]).get(reverse("meetings:minutes", args=[held.pk])).content.decode()
    )
    assert login(people["ee_rep"]).get(reverse("meetings:minutes_version", args=[held.pk, 1])).status_code == 404
    assert login(people["secretariat"]).get(reverse("meetings:minutes_version", args=[held.pk, 1])).status_code == 200


def test_approval_needs_circulated_minutes_and_then_locks_them(people, held):
    with pytest.raises(ValidationError, match="Circulate the minutes"):
        services.meeting_transition(meeting=held, step="approve_minutes", by=people["secretariat"])
    version = circulate(held, people["secretariat"])
    meeting = services.meeting_transition(meeting=held, step="approve_minutes", by=people["secretariat"])
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    version.refresh_from_db()
    assert version.approved_at and version.approved_by == people["secretariat"]
    assert Notification.objects.filter(kind="meeting_minutes_approved", recipient=people["ee_rep"]).exists()
    with pytest.raises(ValidationError, match="once the meeting is held"):
        services.minutes_save(meeting=meeting, text="After approval", by=people["secretariat"])


def test_an_action_point_has_exactly_one_owner_and_the_owner_is_told(people, held, demo_states):
    due = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        services.action_point_add(meeting=held, text="Who?", due_on=due, by=people["secretariat"])
    assert "owner" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.action_point_add(
            meeting=held,
            text="Two owners",
            due_on=due,
            owner_state=demo_states["EE"],
            owner_secretariat=True,
            by=people["secretariat"],
        )
    assert not ActionPoint.objects.exists()
    action = services.action_point_add(
        meeting=held, text="Send figures", due_on=due, owner_state=demo_states["EE"], by=people["secretariat"]
    )
    assert action.owner_label == "Estonia"
    assert Notification.objects.filter(kind="meeting_action_point", recipient=people["ee_rep"]).exists()
    assert not Notification.objects.filter(kind="meeting_action_point", recipient=people["lv_rep"]).exists()


def test_the_action_point_form_without_an_owner_keeps_what_was_typed(people, held, login):
    response = login(people["secretariat"]).post(
        reverse("meetings:action_add", args=[held.pk]), {"text": "Kept action", "owner": "", "due_on": "2027-01-10"}
    )
    assert response.status_code == 400
    assert "Kept action" in response.content.decode()
    assert not ActionPoint.objects.exists()


def test_only_the_owner_or_the_secretariat_updates_an_action_point_with_a_note(people, held, demo_states, login):
    action = services.action_point_add(
        meeting=held,
        text="Send figures",
        due_on=timezone.localdate() + timedelta(days=3),
        owner_state=demo_states["EE"],
        by=people["secretariat"],
    )
    with pytest.raises(ValidationError, match="Only the action point's owner"):
        services.action_point_update(action=action, status="done", note="Not mine", by=people["lv_rep"])
    with pytest.raises(ValidationError) as refused:
        services.action_point_update(action=action, status="done", note=" ", by=people["ee_rep"])
    assert "status_note" in refused.value.message_dict
    url = action.get_absolute_url()
    assert login(people["lv_rep"]).post(url, {"status": "done", "status_note": "x"}).status_code == 404
    response = login(people["ee_rep"]).post(url, {"status": "done", "status_note": "Sent on 1 December"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.updated_by == people["ee_rep"]


def test_overdue_action_points_remind_their_owner_once(people, held, demo_states):
    late = services.action_point_add(
        meeting=held,
        text="Late one",
        due_on=timezone.localdate() + timedelta(days=1),
        owner_secretariat=True,
        by=people["secretariat"],
    )
    ActionPoint.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    services.action_point_add(
        meeting=held,
        text="Not yet due",
        due_on=timezone.localdate() + timedelta(days=5),
        owner_state=demo_states["EE"],
        by=people["secretariat"],
    )
    call_command("run_job", "meetings.overdue_action_points")
    overdue = Notification.objects.filter(kind="meeting_action_point", text__startswith="Overdue")
    assert list(overdue.values_list("recipient", flat=True)) == [people["secretariat"].pk]
    assert services.action_points_remind_overdue()["notices"] == 0


def test_the_open_action_points_page_filters_by_state_and_status(people, held, demo_states, login):
    due = timezone.localdate() + timedelta(days=5)
    for code, text in (("EE", "Estonian task"), ("LV", "Latvian task")):
        services.action_point_add(
            meeting=held, text=text, due_on=due, owner_state=demo_states[code], by=people["secretariat"]
        )
    done = services.action_point_add(
        meeting=held, text="Finished task", due_on=due, owner_secretariat=True, by=people["secretariat"]
    )
    services.action_point_update(action=done, status="done", note="Done", by=people["secretariat"])
    client = login(people["observer"])
    page = client.get(reverse("meetings:actions")).content.decode()
    assert "Estonian task" in page and "Latvian task" in page and "Finished task" not in page
    only_ee = client.get(reverse("meetings:actions"), {"state": demo_states["EE"].pk}).content.decode()
    assert "Estonian task" in only_ee and "Latvian task" not in only_ee
    assert "Finished task" in client.get(reverse("meetings:actions"), {"status": "done"}).content.decode()
    assert client.get(reverse("meetings:actions"), {"state": "nonsense"}).status_code == 200


def test_the_minutes_and_action_pages_run_the_same_queries_however_much_they_hold(
    people, held, demo_states, login, assert_constant_queries
):
    version = circulate(held, people["secretariat"])
    due = timezone.localdate() + timedelta(days=5)
    services.action_point_add(
        meeting=held, text="A", due_on=due, owner_state=demo_states["EE"], by=people["secretariat"]
    )
    client = login(people["secretariat"])

    def grow():
        for n in range(5):
            services.minutes_comment(version=version, paragraph=1, text=f"Comment {n}", by=people["ee_rep"])
            services.decision_record(meeting=held, text=f"Decision {n}", by=people["secretariat"])
            services.action_point_add(
                meeting=held, text=f"Task {n}", due_on=due, owner_state=demo_states["LV"], by=people["secretariat"]
            )
            other = hold(people["secretariat"])
            services.action_point_add(
                meeting=other, text=f"Other {n}", due_on=due, owner_user=people["ee_rep"], by=people["secretariat"]
            )

    assert_constant_queries(client, reverse("meetings:minutes", args=[held.pk]), reverse("meetings:actions"), grow=grow)
