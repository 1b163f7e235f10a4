"""The members' calendar feed: a secret address kept only as a hash, reset on demand,
closed to anyone who leaves the group; meetings and cut-offs, no join link."""

import pytest
from django.core.exceptions import ValidationError
from icalendar import Calendar

from meetings import services
from meetings.models import CalendarFeed
from members.models import Role
from tests.meetings.factories import make_meeting


def _feed(client, token):
    return client.get(f"/meetings/calendar/{token}.ics")


def test_the_feed_lists_meetings_and_cut_offs_without_the_join_link(make_user, client):
    secretariat = make_user(Role.SECRETARIAT)
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    make_meeting(secretariat, title="Winter meeting", online_link="https://meet.example.net/secret-room")
    token = services.calendar_feed_reset(by=rep)
    assert not CalendarFeed.objects.filter(token_sha256=token).exists()  # only the hash is kept
    response = _feed(client, token)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    summaries = sorted(str(event["summary"]) for event in events)
    assert summaries == [
        "Agenda proposals close: Winter meeting",
        "Registration closes: Winter meeting",
        "Winter meeting",
    ]
    assert b"secret-room" not in response.content


def test_a_reset_address_and_a_member_who_left_get_404(make_user, client):
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    old = services.calendar_feed_reset(by=rep)
    new = services.calendar_feed_reset(by=rep)
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    rep.is_active = False
    rep.save(update_fields=["is_active"])
    assert _feed(client, new).status_code == 404


def test_trainers_have_no_calendar(make_user, login):
    trainer = make_user(Role.TRAINER)
    with pytest.raises(ValidationError):
        services.calendar_feed_reset(by=trainer)
    assert login(trainer).get("/meetings/calendar/").status_code == 404


def test_the_page_shows_the_address_once(make_user, login):
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    client = login(rep)
    made = client.post("/meetings/calendar/").content.decode()
    assert "/meetings/calendar/" in made and ".ics" in made
    later = client.get("/meetings/calendar/").content.decode()
    assert ".ics" not in later and "make a new one" in later
