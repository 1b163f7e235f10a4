"""Emails to participants, through the notifications outbox: participants are not portal users,
so they get no notices, only these emails (notify_address), each once per key."""

from django.template.loader import render_to_string

from notifications.models import Delivery
from notifications.services import notify_address
from trainings.models import Registration

EMAIL_SUBJECTS = {
    "confirmation": "Your place is confirmed: {title}",
    "waitlisted": "You are on the waiting list: {title}",
    "waitlist_promoted": "A place is free for you: {title}",
    "reminder": "Reminder: {title} starts soon",
    "training_cancelled": "Cancelled: {title}",
}


def queue_participant_email(registration: Registration, *, kind: str, key: str) -> Delivery | None:
    """Email a participant through the notifications outbox, once per key. Participants are
    not portal users, so this is notify_address, not notify."""
    training = registration.training
    context = {"registration": registration, "training": training, "kind": kind, "first_session": training.starts_on}
    return notify_address(
        to=registration.email,
        subject=EMAIL_SUBJECTS[kind].format(title=training.title),
        body=render_to_string(f"trainings/email/{kind}.txt", context),
        key=f"training-{key}",
        about=registration,
    )
