"""The dashboard shows a member what the meetings ahead ask of their state, in the same
number of queries however many meetings and answers there are."""

import pytest
from django.urls import reverse

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
        for n in range(8):
            meeting = make_meeting(secretariat, starts_in_days=20 + n)
            services.agenda_item_propose(meeting=meeting, data={"title": "A", "purpose": "discussion"}, by=rep)
            services.delegation_register(meeting=meeting, state=demo_states["EE"], reply="not_attending", by=rep)

    client = login(rep if who == "representative" else secretariat)
    assert_constant_queries(client, reverse("dashboard"), grow=grow)
