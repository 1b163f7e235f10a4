"""The members' calendar feed (RFC 5545, through the icalendar library): each meeting they
may see as an event, and its two cut-offs as events of their own.

The feed's address is a secret, but it travels into calendar apps and their sync services:
so it carries what a member's calendar needs and no more. The online link stays on the
portal (the event links to the meeting's page), and nothing of a state's answers is in it.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import Meeting, MeetingStatus

# How far back the feed reaches: calendars keep what they had, the feed stays small.
PAST_DAYS = 365
MAX_MEETINGS = 200


def feed_meetings() -> list[Meeting]:
    since = timezone.localdate() - datetime.timedelta(days=PAST_DAYS)
    return list(Meeting.objects.filter(ends_on__gte=since).order_by("starts_on", "id")[:MAX_MEETINGS])


def _event(uid: str, summary: str, url: str, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstamp", stamp)
    event.add("url", url)
    event.add("description", f"Details, papers and the link to join: {url}")
    return event


def calendar_bytes(meetings: list[Meeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//CBSS TF-THB//THB Portal meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "TF-THB expert group")
    host = settings.THB_PUBLIC_BASE_URL.removesuffix("/")
    for meeting in meetings:
        url = f"{host}{meeting.get_absolute_url()}"
        stamp = meeting.updated_at
        event = _event(f"meeting-{meeting.pk}@thb-portal", meeting.title, url, stamp)
        event.add("dtstart", meeting.starts_on)
        # An all-day event ends the day after its last day (RFC 5545, DTEND is exclusive).
        event.add("dtend", meeting.ends_on + datetime.timedelta(days=1))
        if meeting.place:
            event.add("location", meeting.place)
        event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
        if meeting.status == MeetingStatus.CANCELLED:
            continue
        for key, label, moment in (
            ("proposals", "Agenda proposals close", meeting.proposals_close_at),
            ("registration", "Registration closes", meeting.registration_closes_at),
        ):
            cut_off = _event(f"meeting-{meeting.pk}-{key}@thb-portal", f"{label}: {meeting.title}", url, stamp)
            cut_off.add("dtstart", moment)
            cut_off.add("dtend", moment)
            calendar.add_component(cut_off)
    return calendar.to_ical()
