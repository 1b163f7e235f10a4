"""Demo meetings for `manage.py seed_demo` (thb_portal.demo), made through the services:
a past meeting that was held, with its attendance, approved minutes (two versions), a decision
and action points open and done; an upcoming one with the agenda open,
proposals waiting and some delegations registered; an online meeting still being planned.
Idempotent: a meeting whose title exists is left as it is."""

from datetime import datetime, timedelta

from django.utils import timezone

from core.demo import placeholder_pdf
from meetings import services
from meetings.models import Meeting
from members.demo import SECRETARIAT_EMAIL
from members.models import MemberState, User

PAST = "Expert group meeting, spring"
UPCOMING = "Expert group meeting, winter"
ONLINE = "Online meeting: Ukraine response"


def _paper(meeting: Meeting, title: str, by: User, **fields) -> None:
    upload = placeholder_pdf(title.lower().replace(" ", "-"))
    services.paper_add(meeting=meeting, upload=upload, title=title, language="en", by=by, **fields)


def _at(day, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=hour))


MINUTES = """The chair, Lithuania, opened the meeting and welcomed the delegations.

Tour de table: each delegation reported the main developments since the last meeting.

The expert group discussed the draft work plan 2027 and adopted it with Latvia's amendment on data collection.

The secretariat will circulate a template for the national figures before the summer."""


def _minutes_decisions_and_actions(meeting: Meeting, secretariat: User, states, rep) -> None:
    """The held meeting's minutes, circulated, commented on by Latvia and approved; its
    decision; and action points for Estonia (open), Sweden (done) and the secretariat."""
    services.minutes_save(meeting=meeting, text=MINUTES, by=secretariat)
    version = services.minutes_circulate(
        meeting=meeting, comments_close_at=timezone.now() + timedelta(days=1), by=secretariat
    )
    services.minutes_comment(
        version=version,
        paragraph=3,
        text="Please name the amendment: indicators by form of exploitation.",
        by=rep["LV"],
    )
    services.minutes_save(
        meeting=meeting,
        text=MINUTES.replace("Latvia's amendment", "Latvia's amendment (indicators by form of exploitation)"),
        by=secretariat,
    )
    services.minutes_circulate(meeting=meeting, comments_close_at=timezone.now() + timedelta(days=1), by=secretariat)
    work_plan = meeting.items.get(title="Work plan 2027")
    services.decision_record(
        meeting=meeting, item=work_plan, text="The work plan 2027 is adopted as amended.", by=secretariat
    )
    today = timezone.localdate()
    services.action_point_add(
        meeting=meeting,
        item=work_plan,
        text="Share the national guidelines on identifying labour exploitation",
        due_on=today + timedelta(days=20),
        owner_state=states["EE"],
        by=secretariat,
    )
    done = services.action_point_add(
        meeting=meeting,
        item=work_plan,
        text="Send the checklist for joint labour inspections",
        due_on=today - timedelta(days=30),
        owner_state=states["SE"],
        by=secretariat,
    )
    services.action_point_update(action=done, status="done", note="Sent to all delegations on 12 May.", by=rep["SE"])
    services.action_point_add(
        meeting=meeting,
        text="Circulate the template for the national figures",
        due_on=today + timedelta(days=10),
        owner_secretariat=True,
        by=secretariat,
    )
    services.meeting_transition(meeting=meeting, step="approve_minutes", by=secretariat)


def seed_demo_meetings() -> int:
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    states = {state.code: state for state in MemberState.objects.all()}
    # members.demo gives every state a representative and an NCP with these addresses.
    codes = ("EE", "LV", "LT", "FI", "SE", "IS")
    rep = {code: User.objects.get(email=f"rep.{code.lower()}@example.org") for code in codes}
    ncp = {code: User.objects.get(email=f"ncp.{code.lower()}@example.org") for code in codes}
    observer = User.objects.filter(email="observer@example.org").first()
    today = timezone.localdate()
    made = 0

    if not Meeting.objects.filter(title=PAST).exists():
        start = today - timedelta(days=120)
        meeting = services.meeting_save(
            meeting=Meeting(),
            data={
                "title": PAST,
                "kind": "regular",
                "starts_on": start,
                "ends_on": start + timedelta(days=1),
                "place": "Vilnius, Ministry of the Interior",
                "host_state": states["LT"],
                "chair": "Lithuania (CBSS presidency)",
                "proposals_close_at": _at(start - timedelta(days=14)),
                "registration_closes_at": _at(start - timedelta(days=7)),
            },
            by=secretariat,
        )
        services.meeting_transition(meeting=meeting, step="open_agenda", by=secretariat)
        for title, purpose in (("Tour de table", "information"), ("Work plan 2027", "decision")):
            services.agenda_item_propose(meeting=meeting, data={"title": title, "purpose": purpose}, by=secretariat)
        _paper(meeting, "Draft work plan 2027", secretariat)
        for code in ("EE", "LV", "LT", "FI", "SE"):
            services.delegation_register(
                meeting=meeting,
                state=states[code],
                reply="attending",
                members=[(rep[code], "in_person")],
                by=secretariat,
            )
        services.meeting_transition(meeting=meeting, step="close_agenda", by=secretariat)
        services.meeting_transition(meeting=meeting, step="mark_held", by=secretariat)
        present = [a.pk for a in meeting.attendees.all()][:-1]
        services.attendance_record(meeting=meeting, present=present, by=secretariat)
        _minutes_decisions_and_actions(meeting, secretariat, states, rep)
        made += 1

    if not Meeting.objects.filter(title=UPCOMING).exists():
        start = today + timedelta(days=40)
        meeting = services.meeting_save(
            meeting=Meeting(),
            data={
                "title": UPCOMING,
                "kind": "regular",
                "starts_on": start,
                "ends_on": start + timedelta(days=1),
                "place": "Stockholm, CBSS Secretariat",
                "online_link": "https://meet.example.org/tf-thb-winter",
                "host_state": states["SE"],
                "chair": "Sweden (CBSS presidency)",
                "proposals_close_at": _at(start - timedelta(days=14)),
                "registration_closes_at": _at(start - timedelta(days=7)),
                "note": "Hybrid: delegates may join online.",
            },
            by=secretariat,
        )
        services.meeting_transition(meeting=meeting, step="open_agenda", by=secretariat)
        services.agenda_item_propose(
            meeting=meeting,
            data={"title": "Opening and adoption of the agenda", "purpose": "decision", "rapporteur": "Chair"},
            by=secretariat,
        )
        services.agenda_item_propose(
            meeting=meeting,
            data={
                "title": "Labour exploitation in seasonal agriculture",
                "purpose": "discussion",
                "note": "Estonia would like to compare inspection practices before the summer season.",
            },
            by=rep["EE"],
        )
        proposal = services.agenda_item_propose(
            meeting=meeting,
            data={"title": "Joint statement on online recruitment", "purpose": "decision"},
            by=rep["LV"],
        )
        services.agenda_item_decide(item=proposal, step="accept", by=secretariat, data={"rapporteur": "Latvia"})
        _paper(meeting, "Draft agenda", secretariat)
        _paper(meeting, "Draft joint statement", secretariat, item=proposal, restricted=True)
        services.delegation_register(
            meeting=meeting,
            state=states["EE"],
            reply="attending",
            members=[(rep["EE"], "in_person"), (ncp["EE"], "online")],
            by=rep["EE"],
        )
        services.delegation_register(meeting=meeting, state=states["IS"], reply="not_attending", by=rep["IS"])
        if observer is not None:
            services.observer_register(meeting=meeting, attending=True, mode="online", by=observer)
        made += 1

    if not Meeting.objects.filter(title=ONLINE).exists():
        start = today + timedelta(days=75)
        services.meeting_save(
            meeting=Meeting(),
            data={
                "title": ONLINE,
                "kind": "online",
                "starts_on": start,
                "ends_on": start,
                "online_link": "https://meet.example.org/tf-thb-ukraine",
                "chair": "CBSS Secretariat",
                "proposals_close_at": _at(start - timedelta(days=10)),
                "registration_closes_at": _at(start - timedelta(days=3)),
            },
            by=secretariat,
        )
        made += 1
    return made
