"""The dashboard shows a member what the meetings ahead ask of their state, in the same
number of queries however many meetings and answers there are."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from members.models import Role
from tests.meetings.factories import make_meeting


def test_a_representative_sees_the_meetings_their_state_has_not_answered(make_user, demo_states, login):
    secretariat = make_user(Role.SECRETARIAT)
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    answered = make_meeting(secretariat, title="Answered meeting")
    make_meeting(secretariat, title="Unanswered meeting", starts_in_days=40)
    services.delegation_register(meeting=answered, state=demo_states["EE"], reply="not_attending", by=rep)
    content = login(rep).get(reverse("dashboard")).content.decode()
    assert "Estonia has answered the invitation." in content
    assert "Estonia has not said who attends" in content
    assert "Agenda proposals until" in content
    assert "to decide" not in content  # the secretariat's line


def test_the_secretariat_sees_proposals_to_decide_and_answers(make_user, demo_states, login):
    secretariat = make_user(Role.SECRETARIAT)
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    meeting = make_meeting(secretariat)
    services.agenda_item_propose(meeting=meeting, data={"title": "A", "purpose": "discussion"}, by=rep)
    services.delegation_register(meeting=meeting, state=demo_states["EE"], reply="not_attending", by=rep)
    content = login(secretariat).get(reverse("dashboard")).content.decode()
    assert "1 proposal to decide · 1 state answered" in content


def test_trainers_see_no_meetings_block(make_user, login):
    make_meeting(make_user(Role.SECRETARIAT))
    content = login(make_user(Role.TRAINER)).get(reverse("dashboard")).content.decode()
    assert 'data-testid="meetings-ahead"' not in content


@pytest.mark.parametrize("who", ["representative", "secretariat"])
def test_the_block_runs_the_same_queries_with_more_meetings(
    make_user, demo_states, login, assert_constant_queries, who
):
    secretariat = make_user(Role.SECRETARIAT)
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    make_meeting(secretariat)

    def grow():
        from consultations import services as consultation_services
        from tests.consultations.factories import open_consultation

        for n in range(8):
            meeting = make_meeting(secretariat, starts_in_days=20 + n)
            services.agenda_item_propose(meeting=meeting, data={"title": "A", "purpose": "discussion"}, by=rep)
            services.delegation_register(meeting=meeting, state=demo_states["EE"], reply="not_attending", by=rep)
            vote = open_consultation(secretariat, "vote", title=f"Vote {n}")
            consultation_services.answer_give(consultation=vote, position="approve", by=rep)
            held = make_meeting(secretariat, starts_in_days=-2, title=f"Held {n}")
            services.meeting_transition(meeting=held, step="close_agenda", by=secretariat)
            services.meeting_transition(meeting=held, step="mark_held", by=secretariat)
            services.minutes_save(meeting=held, text="Minutes.", by=secretariat)
            services.minutes_circulate(
                meeting=held, comments_close_at=timezone.now() + timedelta(days=3), by=secretariat
            )
            services.action_point_add(
                meeting=held, text="Task", due_on=timezone.localdate(), owner_state=demo_states["EE"], by=secretariat
            )

    client = login(rep if who == "representative" else secretariat)
    assert_constant_queries(client, reverse("dashboard"), grow=grow)


def test_a_representative_sees_consultations_minutes_and_action_points_for_their_state(make_user, demo_states, login):
    from consultations import services as consultation_services
    from tests.consultations.factories import open_consultation

    secretariat = make_user(Role.SECRETARIAT)
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    vote = open_consultation(secretariat, "vote", title="Vote to answer")
    open_consultation(secretariat, "silence", title="Silent one")
    held = make_meeting(secretariat, starts_in_days=-2, title="Held meeting")
    services.meeting_transition(meeting=held, step="close_agenda", by=secretariat)
    services.meeting_transition(meeting=held, step="mark_held", by=secretariat)
    services.minutes_save(meeting=held, text="Minutes.", by=secretariat)
    services.minutes_circulate(meeting=held, comments_close_at=timezone.now() + timedelta(days=3), by=secretariat)
    services.action_point_add(
        meeting=held, text="Estonian task", due_on=timezone.localdate(), owner_state=demo_states["EE"], by=secretariat
    )
    services.action_point_add(
        meeting=held, text="Latvian task", due_on=timezone.localdate(), owner_state=demo_states["LV"], by=secretariat
    )
    content = login(rep).get(reverse("dashboard")).content.decode()
    assert "Waiting for Estonia" in content and "Adopted at the deadline unless a state objects." in content
    assert "Held meeting</a> · version 1" in content
    assert "Estonian task" in content and "Latvian task" not in content
    consultation_services.answer_give(consultation=vote, position="approve", by=rep)
    assert "Estonia has answered." in login(rep).get(reverse("dashboard")).content.decode()
    office = login(secretariat).get(reverse("dashboard")).content.decode()
    assert "1 state answered" in office and "Minutes to approve" in office
