"""`manage.py seed_demo`, the whole demo the shell seeds (thb_portal.demo); media go to the
throwaway folder of tests/conftest.py's private_media."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from members.demo import DEMO_PASSWORD, PARTICIPATING_STATE_CODES
from members.models import MemberState, Role, User
from notifications.models import Notification


def test_seed_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_the_states_and_one_login_per_role_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    codes = set(MemberState.objects.values_list("code", flat=True))
    assert codes == {"DK", "EE", "FI", "DE", "IS", "LV", "LT", "NO", "PL", "SE", "EU", "BG", "RO", "UA"}
    assert not MemberState.objects.get(code="UA").is_eu_eea
    expected = {"secretariat@example.org", "trainer@example.org", "observer@example.org"}
    expected |= {f"ncp.{code.lower()}@example.org" for code in PARTICIPATING_STATE_CODES}
    expected |= {f"ncp2.{code.lower()}@example.org" for code in PARTICIPATING_STATE_CODES}
    expected |= {f"rep.{code.lower()}@example.org" for code in PARTICIPATING_STATE_CODES}
    assert set(User.objects.values_list("email", flat=True)) == expected
    ncp = authenticate(email="ncp.ee@example.org", password=DEMO_PASSWORD)
    assert ncp is not None and ncp.role == Role.NCP and ncp.member_state.code == "EE"
    assert set(ncp.groups.values_list("name", flat=True)) == {"ncp", "EE · ncp"}
    assert User.objects.get(email="secretariat@example.org").is_staff


def test_demo_has_a_published_announcement_on_dashboards(client, db, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rep = User.objects.get(email="rep.lv@example.org")
    assert Notification.objects.filter(recipient=rep, kind="announcement").count() == 1
    client.force_login(rep)
    assert "Expert group meeting" in client.get("/dashboard/").content.decode()


def test_demo_has_the_expert_groups_work(client, db, settings):
    """What the issue asks of the demo: a past meeting with approved minutes, decisions and
    action points open and done; an upcoming one with the agenda open and delegations; an
    online one; a silence procedure with an objection and a closed vote; three discussion
    topics with threads, some unread for the Estonian representative."""
    from consultations.models import Consultation
    from discussions.models import Topic
    from meetings.demo import ONLINE, PAST, UPCOMING
    from meetings.models import Meeting

    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    past = Meeting.objects.get(title=PAST)
    assert past.status == "minutes_approved"
    assert past.minutes_versions.count() == 2 and past.minutes_versions.filter(approved_at__isnull=False).count() == 1
    assert past.decisions.exists()
    assert set(past.action_points.values_list("status", flat=True)) == {"open", "done"}
    upcoming = Meeting.objects.get(title=UPCOMING)
    assert upcoming.status == "agenda_open" and upcoming.delegations.count() >= 2
    assert Meeting.objects.get(title=ONLINE).kind == "online"
    silence = Consultation.objects.get(procedure="silence")
    assert silence.status == "open" and silence.answers.filter(position="object").exists()
    assert Consultation.objects.filter(procedure="vote", status="closed").exists()
    assert Topic.objects.count() == 3
    assert all(topic.threads.exists() for topic in Topic.objects.all())

    client.force_login(User.objects.get(email="rep.ee@example.org"))
    dashboard = client.get("/dashboard/").content.decode()
    assert "Berry picking season: joint inspections" in dashboard
    assert "Share the national guidelines" in dashboard  # Estonia's open action point
