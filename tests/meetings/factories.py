"""Meetings made through the services, as the secretariat would plan them."""

from datetime import timedelta

from django.utils import timezone

from meetings import services
from meetings.models import Meeting


def make_meeting(secretariat, *, open_agenda: bool = True, starts_in_days: int = 30, **fields) -> Meeting:
    """A meeting starting in `starts_in_days`, proposals and registration closing a week before."""
    today = timezone.localdate()
    starts_on = today + timedelta(days=starts_in_days)
    cut_off = timezone.now() + timedelta(days=starts_in_days - 7)
    data = {
        "title": "Expert group meeting",
        "kind": "regular",
        "starts_on": starts_on,
        "ends_on": starts_on + timedelta(days=1),
        "place": "Stockholm",
        "chair": "The CBSS presidency",
        "proposals_close_at": cut_off,
        "registration_closes_at": cut_off,
    } | fields
    meeting = services.meeting_save(meeting=Meeting(), data=data, by=secretariat)
    if open_agenda:
        meeting = services.meeting_transition(meeting=meeting, step="open_agenda", by=secretariat)
    return meeting


def set_cut_offs(meeting: Meeting, when) -> Meeting:
    """Move both cut-offs (a test's time travel: the form refuses cut-offs in the past only
    relative to the meeting's start)."""
    Meeting.objects.filter(pk=meeting.pk).update(proposals_close_at=when, registration_closes_at=when)
    meeting.refresh_from_db()
    return meeting
