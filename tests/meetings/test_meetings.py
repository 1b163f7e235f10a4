"""Meetings of the expert group: the rules the services keep (cut-offs, who answers for
which state, decisions with reasons), papers through the checked upload, the reminder job,
the pages' forms keeping what was typed, and query counts that do not grow with the data."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.access import access_meeting, access_paper, is_member
from meetings.models import AgendaItem, Attendee, Delegation, ItemStatus, Meeting, MeetingStatus, Paper
from members.models import MemberState, Role
from notifications.models import Notification
from tests.cases.factories import pdf_upload
from tests.meetings.factories import make_meeting, set_cut_offs


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT, full_name="Sanna Secretariat"),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE", full_name="Rein Rep"),
        "ee_ncp": make_user(Role.NCP, "EE", full_name="Eeva Ncp"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV", full_name="Liga Rep"),
        "observer": make_user(Role.OBSERVER, full_name="Olga Observer"),
        "trainer": make_user(Role.TRAINER, full_name="Tiina Trainer"),
    }


@pytest.fixture
def meeting(people):
    return make_meeting(people["secretariat"])


def propose(meeting, by, title="Labour exploitation", **data):
    return services.agenda_item_propose(meeting=meeting, data={"title": title, "purpose": "discussion", **data}, by=by)


# Who is in the group -------------------------------------------------------------------


def test_the_group_is_the_secretariat_observers_and_the_member_states_not_trainers_or_partners(
    people, make_user, demo_states
):
    assert all(is_member(people[key]) for key in ("secretariat", "ee_rep", "ee_ncp", "observer"))
    assert not is_member(people["trainer"])
    partner = next(code for code, state in demo_states.items() if state.kind == "trm_partner")
    assert not is_member(make_user(Role.NCP, partner))


def test_a_trainer_gets_404_for_a_meeting_and_its_list(people, meeting, login):
    client = login(people["trainer"])
    assert client.get(reverse("meetings:list")).status_code == 404
    assert client.get(meeting.get_absolute_url()).status_code == 404
    with pytest.raises(Http404):
        access_meeting(people["trainer"], meeting.pk)


# The meeting's steps -------------------------------------------------------------------


def test_opening_the_agenda_tells_the_members_and_no_trainer(people):
    meeting = make_meeting(people["secretariat"], open_agenda=False)
    assert meeting.status == MeetingStatus.PLANNED
    services.meeting_transition(meeting=meeting, step="open_agenda", by=people["secretariat"])
    told = set(Notification.objects.filter(kind="meeting_agenda_open").values_list("recipient_id", flat=True))
    assert {people["ee_rep"].pk, people["lv_rep"].pk, people["observer"].pk} <= told
    assert people["trainer"].pk not in told


def test_the_agenda_cannot_close_while_a_proposal_waits(people, meeting):
    item = propose(meeting, people["ee_rep"])
    with pytest.raises(ValidationError, match="Decide every proposed item"):
        services.meeting_transition(meeting=meeting, step="close_agenda", by=people["secretariat"])
    services.agenda_item_decide(item=item, step="accept", by=people["secretariat"])
    meeting = services.meeting_transition(meeting=meeting, step="close_agenda", by=people["secretariat"])
    assert meeting.status == MeetingStatus.AGENDA_CLOSED


def test_a_meeting_is_held_only_once_it_has_started(people, meeting):
    services.meeting_transition(meeting=meeting, step="close_agenda", by=people["secretariat"])
    with pytest.raises(ValidationError, match="not started"):
        services.meeting_transition(meeting=meeting, step="mark_held", by=people["secretariat"])
    Meeting.objects.filter(pk=meeting.pk).update(starts_on=timezone.localdate(), ends_on=timezone.localdate())
    assert services.meeting_transition(meeting=meeting, step="mark_held", by=people["secretariat"]).status == "held"


def test_cancelling_needs_a_reason_is_final_and_only_the_secretariats(people, meeting):
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.meeting_transition(meeting=meeting, step="cancel", by=people["ee_rep"], data={"reason": "x"})
    with pytest.raises(ValidationError) as refused:
        services.meeting_transition(meeting=meeting, step="cancel", by=people["secretariat"], data={"reason": " "})
    assert "reason" in refused.value.message_dict
    services.meeting_transition(meeting=meeting, step="cancel", by=people["secretariat"], data={"reason": "Snow."})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason == "Snow."
    with pytest.raises(ValidationError, match="not possible"):
        services.meeting_transition(meeting=meeting, step="open_agenda", by=people["secretariat"])
    assert Notification.objects.filter(kind="meeting_cancelled", recipient=people["ee_rep"]).exists()


def test_the_form_cannot_set_the_status_and_a_cut_off_after_the_start_is_refused(people, meeting):
    with pytest.raises(ValidationError, match="through its steps"):
        services.meeting_save(meeting=meeting, data={"status": "held"}, by=people["secretariat"])
    with pytest.raises(ValidationError) as refused:
        services.meeting_save(
            meeting=meeting,
            data={"registration_closes_at": timezone.now() + timedelta(days=90)},
            by=people["secretariat"],
        )
    assert "registration_closes_at" in refused.value.message_dict
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.meeting_save(meeting=meeting, data={"title": "Mine"}, by=people["ee_rep"])


# The agenda ----------------------------------------------------------------------------


def test_a_state_proposes_before_the_cut_off_and_not_after(people, meeting):
    item = propose(meeting, people["ee_rep"], note="Why it matters")
    assert item.status == ItemStatus.PROPOSED and item.proposing_state.code == "EE"
    assert Notification.objects.filter(kind="meeting_item_proposed", recipient=people["secretariat"]).exists()
    set_cut_offs(meeting, timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="cut-off"):
        propose(meeting, people["ee_ncp"])
    # The secretariat may still add its own item: it goes straight on the agenda.
    late = propose(meeting, people["secretariat"], title="Any other business")
    assert late.status == ItemStatus.ACCEPTED and late.proposing_state is None


def test_observers_do_not_propose_and_a_closed_agenda_takes_nothing(people, meeting):
    with pytest.raises(ValidationError, match="Only a member state"):
        propose(meeting, people["observer"])
    planned = make_meeting(people["secretariat"], open_agenda=False)
    with pytest.raises(ValidationError, match="not open for proposals"):
        propose(planned, people["ee_rep"])


def test_decisions_accept_in_order_merge_into_an_agenda_item_and_decline_with_a_reason(people, meeting):
    secretariat = people["secretariat"]
    first, second, third, fourth = (propose(meeting, people["ee_rep"], title=f"Item {n}") for n in range(1, 5))
    services.agenda_item_decide(item=first, step="accept", by=secretariat, data={"rapporteur": "Estonia"})
    services.agenda_item_decide(item=second, step="accept", by=secretariat)
    assert list(AgendaItem.objects.filter(status="accepted").values_list("title", "position")) == [
        ("Item 1", 1),
        ("Item 2", 2),
    ]
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_decide(item=third, step="merge", by=secretariat, data={"reason": "Same topic"})
    assert "merged_into" in refused.value.message_dict
    with pytest.raises(ValidationError, match="this meeting's agenda"):
        services.agenda_item_decide(
            item=third, step="merge", by=secretariat, data={"reason": "Same", "merged_into": fourth}
        )
    services.agenda_item_decide(item=third, step="merge", by=secretariat, data={"reason": "Same", "merged_into": first})
    with pytest.raises(ValidationError) as refused:
        services.agenda_item_decide(item=fourth, step="decline", by=secretariat, data={"reason": ""})
    assert "reason" in refused.value.message_dict
    services.agenda_item_decide(item=fourth, step="decline", by=secretariat, data={"reason": "Out of scope"})
    with pytest.raises(ValidationError, match="not possible"):
        services.agenda_item_decide(item=fourth, step="accept", by=secretariat)
    told = Notification.objects.filter(kind="meeting_item_decided", recipient=people["ee_ncp"])
    assert told.count() == 4
    assert told.filter(text__contains="Out of scope").exists()
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.agenda_item_decide(item=first, step="decline", by=people["ee_rep"], data={"reason": "x"})


def test_moving_an_item_swaps_it_with_its_neighbour(people, meeting):
    secretariat = people["secretariat"]
    a, b, c = (propose(meeting, secretariat, title=title) for title in "ABC")
    services.agenda_item_move(item=c, direction="up", by=secretariat)
    services.agenda_item_move(item=a, direction="up", by=secretariat)  # already first: nothing moves
    order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("title", flat=True))
    assert order == ["A", "C", "B"]
    with pytest.raises(ValidationError):
        services.agenda_item_move(item=b, direction="sideways", by=secretariat)


def test_the_agenda_page_moves_an_item_and_a_bad_move_is_a_message_not_an_error(people, meeting, login):
    secretariat = people["secretariat"]
    _alpha, b = (propose(meeting, secretariat, title=title) for title in ("Alpha item", "Beta item"))
    client = login(secretariat)
    url = reverse("meetings:item_move", args=[meeting.pk, b.pk])
    response = client.post(url, {"direction": "up"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Beta item") < page.index("Alpha item")
    response = client.post(url, {"direction": "sideways"}, follow=True)
    assert response.status_code == 200 and "Move an item up or down." in response.content.decode()
    order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position").values_list("title", flat=True))
    assert order == ["Beta item", "Alpha item"]
    # A member cannot reorder the agenda: the page does not exist for them.
    assert login(people["ee_rep"]).post(url, {"direction": "down"}).status_code == 404


def test_other_states_see_a_proposal_only_once_it_is_on_the_agenda(people, meeting, login):
    item = propose(meeting, people["ee_rep"], note="Estonia's reasons")
    lv = login(people["lv_rep"])
    assert lv.get(item.get_absolute_url()).status_code == 404
    assert "Estonia's reasons" not in lv.get(meeting.get_absolute_url()).content.decode()
    assert login(people["ee_ncp"]).get(item.get_absolute_url()).status_code == 200
    services.agenda_item_decide(item=item, step="accept", by=people["secretariat"])
    assert login(people["lv_rep"]).get(item.get_absolute_url()).status_code == 200


# Papers --------------------------------------------------------------------------------


def test_a_paper_must_be_a_document_of_an_allowed_type_and_nothing_is_kept_when_refused(people, meeting):
    fake = SimpleUploadedFile("agenda.pdf", b"#!/bin/sh\necho not a pdf\n", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.paper_add(meeting=meeting, upload=fake, title="Agenda", language="en", by=people["secretariat"])
    assert not Paper.objects.exists()
    with pytest.raises(ValidationError, match="Only the secretariat"):
        services.paper_add(meeting=meeting, upload=pdf_upload(), title="Agenda", language="en", by=people["ee_rep"])


def test_a_restricted_paper_is_hidden_from_observers_and_they_are_not_told_of_it(people, meeting, login):
    paper = services.paper_add(
        meeting=meeting,
        upload=pdf_upload("restricted.pdf"),
        title="Draft position",
        language="en",
        restricted=True,
        by=people["secretariat"],
    )
    assert paper.file.name.endswith(".pdf") and "restricted" not in paper.file.name
    with pytest.raises(Http404):
        access_paper(people["observer"], meeting.pk, paper.pk)
    assert access_paper(people["lv_rep"], meeting.pk, paper.pk) == paper
    assert not Notification.objects.filter(kind="meeting_papers_added", recipient=people["observer"]).exists()
    assert Notification.objects.filter(kind="meeting_papers_added", recipient=people["lv_rep"]).exists()
    response = login(people["lv_rep"]).get(paper.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_wrong_upload_on_the_page_answers_400_and_keeps_the_title(people, meeting, login):
    client = login(people["secretariat"])
    fake = SimpleUploadedFile("notes.pdf", b"plain text, not a PDF", content_type="application/pdf")
    response = client.post(
        reverse("meetings:paper_add", args=[meeting.pk]), {"title": "Kept title", "language": "en", "file": fake}
    )
    assert response.status_code == 400
    assert 'value="Kept title"' in response.content.decode()
    assert not Paper.objects.exists()


# Delegations ---------------------------------------------------------------------------


def test_any_of_a_states_members_answers_for_it_and_the_last_answer_counts(people, meeting, demo_states):
    ee = demo_states["EE"]
    services.delegation_register(
        meeting=meeting,
        state=ee,
        reply="attending",
        members=[(people["ee_rep"], "in_person")],
        guests=[("Mari Guest", "Ministry of Social Affairs", "online")],
        by=people["ee_rep"],
    )
    delegation = services.delegation_register(
        meeting=meeting, state=ee, reply="attending", members=[(people["ee_ncp"], "online")], by=people["ee_ncp"]
    )
    assert Delegation.objects.filter(meeting=meeting).count() == 1
    assert delegation.answered_by == people["ee_ncp"]
    assert [a.name for a in delegation.attendees.all()] == ["Eeva Ncp"]
    services.delegation_register(meeting=meeting, state=ee, reply="not_attending", by=people["ee_rep"])
    assert not Attendee.objects.filter(meeting=meeting).exists()


def test_a_state_cannot_answer_for_another_nor_name_anothers_people(people, meeting, demo_states):
    with pytest.raises(ValidationError, match="only for your own state"):
        services.delegation_register(
            meeting=meeting, state=demo_states["LV"], reply="not_attending", by=people["ee_rep"]
        )
    with pytest.raises(ValidationError) as refused:
        services.delegation_register(
            meeting=meeting,
            state=demo_states["EE"],
            reply="attending",
            members=[(people["lv_rep"], "online")],
            by=people["ee_rep"],
        )
    assert "members" in refused.value.message_dict
    with pytest.raises(ValidationError, match="at least one delegate"):
        services.delegation_register(meeting=meeting, state=demo_states["EE"], reply="attending", by=people["ee_rep"])
    assert not Delegation.objects.exists()


def test_after_the_cut_off_only_the_secretariat_records_a_delegation(people, meeting, demo_states):
    set_cut_offs(meeting, timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="Registration has closed"):
        services.delegation_register(
            meeting=meeting, state=demo_states["EE"], reply="not_attending", by=people["ee_rep"]
        )
    delegation = services.delegation_register(
        meeting=meeting, state=demo_states["EE"], reply="not_attending", by=people["secretariat"]
    )
    assert delegation.answered_by == people["secretariat"]


def test_observers_register_themselves(people, meeting):
    attendee = services.observer_register(meeting=meeting, attending=True, mode="online", by=people["observer"])
    assert attendee.delegation is None and attendee.user == people["observer"]
    services.observer_register(meeting=meeting, attending=False, mode="online", by=people["observer"])
    assert not Attendee.objects.exists()
    with pytest.raises(ValidationError, match="Observers register themselves"):
        services.observer_register(meeting=meeting, attending=True, mode="online", by=people["ee_rep"])


def test_the_delegation_page_saves_the_answer_and_a_bad_one_keeps_what_was_typed(people, meeting, login):
    client = login(people["ee_rep"])
    url = reverse("meetings:registration", args=[meeting.pk])
    refused = client.post(url, {"reply": "attending", "guest_0_organisation": "Police Board"})
    assert refused.status_code == 400
    assert "Give the guest" in refused.content.decode() and 'value="Police Board"' in refused.content.decode()
    saved = client.post(
        url,
        {
            "reply": "attending",
            f"member_{people['ee_ncp'].pk}": "online",
            "guest_0_name": "Mari Guest",
            "guest_0_organisation": "Police Board",
            "guest_0_mode": "in_person",
        },
    )
    assert saved.status_code == 302
    delegation = Delegation.objects.get(meeting=meeting)
    assert sorted(a.name for a in delegation.attendees.all()) == ["Eeva Ncp", "Mari Guest"]
    board = login(people["secretariat"]).get(reverse("meetings:delegations", args=[meeting.pk])).content.decode()
    assert "Mari Guest" in board and "Rein Rep" in board  # who answered
    assert "No reply" in board  # Latvia, among others


# Attendance ----------------------------------------------------------------------------


def test_attendance_is_recorded_once_the_meeting_has_started(people, meeting, demo_states):
    delegation = services.delegation_register(
        meeting=meeting,
        state=demo_states["EE"],
        reply="attending",
        members=[(people["ee_rep"], "in_person"), (people["ee_ncp"], "online")],
        by=people["ee_rep"],
    )
    rep, ncp = delegation.attendees.order_by("id")
    with pytest.raises(ValidationError, match="once the meeting has started"):
        services.attendance_record(meeting=meeting, present=[rep.pk], by=people["secretariat"])
    Meeting.objects.filter(pk=meeting.pk).update(starts_on=timezone.localdate())
    meeting.refresh_from_db()
    assert services.attendance_record(meeting=meeting, present=[rep.pk], by=people["secretariat"]) == 1
    rep.refresh_from_db(), ncp.refresh_from_db()
    assert rep.present is True and ncp.present is False
    with pytest.raises(ValidationError, match="not registered"):
        services.attendance_record(meeting=meeting, present=[999_999], by=people["secretariat"])


# The reminder job ----------------------------------------------------------------------


def test_states_with_no_reply_are_reminded_once_a_few_days_before_registration_closes(
    people, meeting, demo_states, settings
):
    settings.THB_MEETING_REMINDER_DAYS = 3
    services.delegation_register(meeting=meeting, state=demo_states["EE"], reply="not_attending", by=people["ee_rep"])
    assert services.registration_reminders_send()["notices"] == 0  # closes in 23 days: too early
    set_cut_offs(meeting, timezone.now() + timedelta(days=2))
    call_command("run_job", "meetings.registration_reminders")
    reminded = Notification.objects.filter(kind="meeting_registration_reminder")
    assert reminded.filter(recipient=people["lv_rep"]).count() == 1
    assert not reminded.filter(recipient__in=[people["ee_rep"], people["ee_ncp"]]).exists()  # Estonia answered
    assert not reminded.filter(recipient__in=[people["observer"], people["secretariat"]]).exists()
    again = services.registration_reminders_send()
    assert again["notices"] == 0 and reminded.filter(recipient=people["lv_rep"]).count() == 1


# Pages and queries ---------------------------------------------------------------------


def test_the_proposal_page_refuses_after_the_cut_off_and_keeps_the_text(people, meeting, login):
    set_cut_offs(meeting, timezone.now() - timedelta(minutes=5))
    response = login(people["ee_rep"]).post(
        reverse("meetings:propose", args=[meeting.pk]),
        {"title": "Kept proposal", "purpose": "decision", "note": "Kept note"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "cut-off" in content and 'value="Kept proposal"' in content and "Kept note" in content
    assert not AgendaItem.objects.exists()


def test_the_step_page_asks_first_and_an_unknown_step_is_404(people, meeting, login):
    client = login(people["secretariat"])
    asked = client.get(reverse("meetings:step", args=[meeting.pk, "cancel"]))
    assert asked.status_code == 200 and "cannot be undone" in asked.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.AGENDA_OPEN
    assert client.get(reverse("meetings:step", args=[meeting.pk, "explode"])).status_code == 404
    refused = client.post(reverse("meetings:step", args=[meeting.pk, "cancel"]), {"reason": ""})
    assert refused.status_code == 400


def _grow_meetings(people, demo_states, n):
    """n more meetings, each with agenda items, papers, delegations and observers."""
    for _ in range(n):
        meeting = make_meeting(people["secretariat"])
        propose(meeting, people["secretariat"], title="Tour de table")
        propose(meeting, people["ee_rep"], title="Estonia's item")
        services.paper_add(
            meeting=meeting, upload=pdf_upload(), title="Agenda", language="en", by=people["secretariat"]
        )
        services.delegation_register(
            meeting=meeting,
            state=demo_states["EE"],
            reply="attending",
            members=[(people["ee_ncp"], "online")],
            guests=[("A Guest", "Ministry", "online")],
            by=people["ee_rep"],
        )
        services.observer_register(meeting=meeting, attending=True, mode="online", by=people["observer"])
    return meeting


@pytest.mark.parametrize("who", ["secretariat", "ee_rep", "observer"])
def test_the_meeting_pages_run_the_same_queries_however_much_they_hold(
    people, demo_states, login, assert_constant_queries, who
):
    meeting = _grow_meetings(people, demo_states, 1)
    client = login(people[who])
    urls = [reverse("meetings:list"), meeting.get_absolute_url()]
    if who == "secretariat":
        urls += [reverse("meetings:delegations", args=[meeting.pk]), reverse("meetings:attendance", args=[meeting.pk])]

    def grow():
        _grow_meetings(people, demo_states, 3)
        for n in range(6):
            propose(meeting, people["secretariat"], title=f"More {n}")
            services.paper_add(
                meeting=meeting, upload=pdf_upload(), title=f"Paper {n}", language="en", by=people["secretariat"]
            )
            propose(meeting, people["ee_rep"], title=f"Estonia {n}")
        lv = MemberState.objects.get(code="LV")
        services.delegation_register(
            meeting=meeting,
            state=lv,
            reply="attending",
            guests=[("B Guest", "Police", "in_person")],
            by=people["lv_rep"],
        )

    assert_constant_queries(client, *urls, grow=grow)


def test_the_list_filters_by_status_and_kind_and_ignores_nonsense(people, login):
    make_meeting(people["secretariat"], title="Open agenda meeting")
    make_meeting(
        people["secretariat"], open_agenda=False, title="Planned online", kind="online", online_link="https://x.example"
    )
    client = login(people["ee_rep"])
    planned = client.get(reverse("meetings:list"), {"status": "planned"}).content.decode()
    assert "Planned online" in planned and "Open agenda meeting" not in planned
    online = client.get(reverse("meetings:list"), {"kind": "online"}).content.decode()
    assert "Planned online" in online and "Open agenda meeting" not in online
    assert client.get(reverse("meetings:list"), {"status": "nonsense"}).status_code == 200
