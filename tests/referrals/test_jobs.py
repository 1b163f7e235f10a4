"""Deadlines and notices: overdue acknowledgements, follow-up reminders, and who hears of each step."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from members.models import Role
from notifications.models import Notification
from referrals import services
from referrals.models import Referral, ReferralEvent
from tests.referrals.factories import advance, make_referral, step_data


@pytest.fixture
def ncps(make_user, ee_ncp, lv_ncp, lv_alt, lt_ncp):
    """Two contact points on each side, one in a third state, and the secretariat."""
    return {
        "EE": {ee_ncp, make_user(Role.NCP, "EE")},
        "LV": {lv_ncp, lv_alt},
        "LT": {lt_ncp},
        "secretariat": {make_user(Role.SECRETARIAT)},
    }


def _recipients(kind: str, since_pk: int = 0) -> list:
    return sorted(Notification.objects.filter(kind=kind, pk__gt=since_pk).values_list("recipient_id", flat=True))


def _ids(*groups) -> list:
    return sorted(user.pk for group in groups for user in group)


def _last_notification_pk() -> int:
    last = Notification.objects.order_by("-pk").first()
    return last.pk if last else 0


# Overdue --------------------------------------------------------------------------------


def test_a_sent_referral_past_its_deadline_becomes_overdue_once_and_tells_both_sides_and_the_secretariat(
    ncps, ee_ncp, demo_states
):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    on_time = make_referral(ee_ncp, demo_states["LV"], send=True)
    Referral.objects.filter(pk=referral.pk).update(ack_deadline=timezone.now() - timedelta(minutes=5))

    call_command("run_job", "referrals.overdue")

    referral.refresh_from_db()
    assert referral.overdue_notified_at is not None
    assert referral.is_overdue_now
    event = ReferralEvent.objects.get(referral=referral, kind="overdue")
    assert (event.side, event.actor) == ("portal", None)
    assert _recipients("referral_overdue") == _ids(ncps["EE"], ncps["LV"], ncps["secretariat"])
    secretariat_notice = Notification.objects.get(kind="referral_overdue", recipient__role=Role.SECRETARIAT)
    assert referral.reference not in secretariat_notice.text, "the secretariat sees metadata only"
    assert not ReferralEvent.objects.filter(referral=on_time, kind="overdue").exists()
    assert Referral.objects.get(pk=on_time.pk).overdue_notified_at is None

    before = _last_notification_pk()
    call_command("run_job", "referrals.overdue")
    assert _recipients("referral_overdue", since_pk=before) == []
    assert ReferralEvent.objects.filter(referral=referral, kind="overdue").count() == 1


def test_an_acknowledged_referral_is_never_overdue(ncps, ee_ncp, lv_ncp, lv_alt, demo_states):
    referral = advance(
        make_referral(ee_ncp, demo_states["LV"], send=True),
        "acknowledged",
        sender=ee_ncp,
        receiver=lv_ncp,
        alternate=lv_alt,
    )
    Referral.objects.filter(pk=referral.pk).update(ack_deadline=timezone.now() - timedelta(days=3))
    referral.refresh_from_db()
    assert services.referrals_mark_overdue() == {"overdue": 0}
    assert not referral.is_overdue_now
    assert not Referral.objects.overdue().filter(pk=referral.pk).exists()
    assert not ReferralEvent.objects.filter(referral=referral, kind="overdue").exists()
    assert _recipients("referral_overdue") == []


def test_a_referral_acknowledged_after_being_overdue_is_no_longer_flagged(ncps, ee_ncp, lv_ncp, lv_alt, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    Referral.objects.filter(pk=referral.pk).update(ack_deadline=timezone.now() - timedelta(hours=1))
    assert services.referrals_mark_overdue() == {"overdue": 1}
    advance(referral, "acknowledged", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    assert not Referral.objects.get(pk=referral.pk).is_overdue_now
    assert services.referrals_mark_overdue() == {"overdue": 0}


# Deadlines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 11, 6, 15, 30), 1, datetime(2026, 11, 9, 15, 30)),  # Friday -> Monday
        (datetime(2026, 11, 6, 15, 30), 5, datetime(2026, 11, 13, 15, 30)),  # Friday -> next Friday
        (datetime(2026, 11, 7, 9, 0), 1, datetime(2026, 11, 9, 9, 0)),  # Saturday -> Monday
        (datetime(2026, 11, 8, 9, 0), 1, datetime(2026, 11, 9, 9, 0)),  # Sunday -> Monday
        (datetime(2026, 11, 4, 9, 0), 1, datetime(2026, 11, 5, 9, 0)),  # Wednesday -> Thursday
        (datetime(2026, 11, 4, 9, 0), 3, datetime(2026, 11, 9, 9, 0)),  # Wednesday -> Monday
    ],
)
def test_working_days_skip_the_weekend(start, days, expected):
    assert services.add_working_days(start, days) == expected


@pytest.mark.parametrize("working_days", [{"urgent": 1, "normal": 5}, {"urgent": 2, "normal": 10}])
def test_the_acknowledgement_deadline_follows_the_urgency_setting(settings, ee_ncp, demo_states, working_days):
    settings.THB_REFERRAL_ACK_WORKING_DAYS = working_days
    for urgency in ("urgent", "normal"):
        referral = make_referral(ee_ncp, demo_states["LV"], urgency=urgency, send=True)
        referral.refresh_from_db()
        assert referral.ack_deadline == services.add_working_days(referral.sent_at, working_days[urgency])
        weekdays = 0
        day = referral.sent_at
        while day < referral.ack_deadline:
            day += timedelta(days=1)
            weekdays += day.weekday() < 5
        assert weekdays == working_days[urgency]


# Follow-up reminders --------------------------------------------------------------------


def test_follow_up_reminders_go_once_each_to_the_sending_state_only(
    settings, ncps, ee_ncp, lv_ncp, lv_alt, demo_states
):
    settings.THB_REFERRAL_FOLLOW_UP_MONTHS = [3, 6, 12]
    referral = advance(
        make_referral(ee_ncp, demo_states["LV"], send=True),
        "completed",
        sender=ee_ncp,
        receiver=lv_ncp,
        alternate=lv_alt,
    )
    not_completed = advance(
        make_referral(ee_ncp, demo_states["LV"], send=True),
        "accepted",
        sender=ee_ncp,
        receiver=lv_ncp,
        alternate=lv_alt,
    )
    completed = Referral.objects.get(pk=referral.pk).completed_at
    Referral.objects.filter(pk=not_completed.pk).update(accepted_at=completed - timedelta(days=400))

    def reminders(after_days) -> list[str]:
        before = _last_notification_pk()
        services.referrals_follow_up_reminders(now=completed + timedelta(days=after_days))
        notices = Notification.objects.filter(kind="referral_follow_up", pk__gt=before)
        assert {n.recipient_id for n in notices} <= set(_ids(ncps["EE"]))
        return sorted({n.text for n in notices})

    assert reminders(80) == []
    assert reminders(95) == [f"{referral.reference}: follow up 3 months after completion"]
    assert _recipients("referral_follow_up") == _ids(ncps["EE"])
    assert reminders(100) == [], "the 3-month reminder is sent once"
    assert reminders(190) == [f"{referral.reference}: follow up 6 months after completion"]
    assert reminders(200) == []
    assert reminders(370) == [f"{referral.reference}: follow up 12 months after completion"]
    assert reminders(800) == []
    assert Notification.objects.filter(kind="referral_follow_up").count() == 3 * len(ncps["EE"])


def test_follow_up_months_are_configurable_and_run_through_the_job(settings, ncps, ee_ncp, lv_ncp, lv_alt, demo_states):
    settings.THB_REFERRAL_FOLLOW_UP_MONTHS = [1]
    referral = advance(
        make_referral(ee_ncp, demo_states["LV"], send=True), "closed", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt
    )
    Referral.objects.filter(pk=referral.pk).update(completed_at=timezone.now() - timedelta(days=35))
    call_command("run_job", "referrals.follow_up")
    call_command("run_job", "referrals.follow_up")
    texts = set(Notification.objects.filter(kind="referral_follow_up").values_list("text", flat=True))
    assert texts == {f"{referral.reference}: follow up 1 month after completion"}
    assert _recipients("referral_follow_up") == _ids(ncps["EE"])


# Who hears of each step -----------------------------------------------------------------


def test_every_step_and_message_notifies_the_other_sides_contact_points_only(ncps, ee_ncp, lv_ncp, lv_alt, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])
    steps = [
        ("send", ee_ncp),
        ("acknowledge", lv_ncp),
        ("accept", lv_alt),
        ("start", lv_ncp),
        ("complete", lv_ncp),
        ("close", ee_ncp),
    ]
    for action, actor in steps:
        before = _last_notification_pk()
        services.referral_transition(
            referral=referral, action=action, by=actor, data=step_data(action, receiver=lv_ncp, alternate=lv_alt)
        )
        other = ncps["LV"] if actor.member_state.code == "EE" else ncps["EE"]
        notices = Notification.objects.filter(pk__gt=before)
        assert sorted(n.recipient_id for n in notices) == _ids(other), action
        assert {(n.kind, n.actor_id, n.link) for n in notices} == {
            ("referral_update", actor.pk, referral.get_absolute_url())
        }
        assert all(n.text.startswith(f"{referral.reference}: ") and actor.full_name in n.text for n in notices)

    for author, other in [(lv_ncp, ncps["EE"]), (ee_ncp, ncps["LV"])]:
        before = _last_notification_pk()
        services.referral_message_post(referral=referral, by=author, body="A question")
        assert _recipients("referral_update", since_pk=before) == _ids(other)

    assert not Notification.objects.filter(recipient__in=ncps["LT"] | ncps["secretariat"]).exists()


def test_a_refused_step_notifies_nobody(ncps, ee_ncp, lv_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    before = _last_notification_pk()
    with pytest.raises(ValidationError):
        services.referral_transition(referral=referral, action="accept", by=lv_ncp, data=step_data("accept"))
    assert Notification.objects.filter(pk__gt=before).count() == 0
