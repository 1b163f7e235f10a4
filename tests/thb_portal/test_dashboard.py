"""The dashboard is a work queue (issue 12 §5).

A contact point sees the referrals waiting for their state's step (overdue first, then by
deadline), unread messages on their referrals and the follow-ups due; a trainer sees the
trainings with registrations to review and the next sessions. Nothing of another state or
of another trainer's trainings; the same number of queries with 3 rows as with 30.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import FollowUp
from members.models import Role
from members.roles import team_group
from referrals import services as referral_services
from referrals.models import Referral, ReferralGroupObjectPermission
from tests.cases.factories import make_case
from tests.referrals.factories import advance, make_consent, make_referral
from tests.trainings.factories import RegistrationFactory, make_training
from trainings.models import RegistrationStatus, TrainingSession, TrainingStatus

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, full_name="Tiina Trainer")


def _dashboard(login, user) -> str:
    response = login(user).get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, testid: str) -> str:
    """The HTML of one block of the dashboard (empty when the block is not there)."""
    match = re.search(rf'<section[^>]*data-testid="{testid}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def _rows(section: str) -> list[str]:
    return re.findall(r"<tr[ >].*?</tr>", section.split("<tbody>", 1)[-1], re.S)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# Referrals: whose turn it is ---------------------------------------------------------


@pytest.fixture
def referrals(ee_ncp, lv_ncp, lv_alt, lt_ncp, demo_states):
    """Estonia's referrals to Latvia in every status, one to Lithuania, and one Latvia sent to Estonia."""
    lv, lt = demo_states["LV"], demo_states["LT"]
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[lv, lt])

    def referral(status: str, receiving_state=lv, **data):
        made = make_referral(ee_ncp, receiving_state, case=case, consent=consent, send=status != "draft", **data)
        if status not in ("draft", "sent"):
            made = advance(made, status, sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
        return made

    made = {
        "sent_later": referral("sent"),
        "sent_sooner": referral("sent", urgency="urgent"),
        "overdue": referral("sent"),
        "acknowledged": referral("acknowledged"),
        "accepted": referral("accepted"),
        "in_progress": referral("in_progress"),
        "completed": referral("completed"),
        "closed": referral("closed"),
        "declined": referral("declined"),
        "draft": referral("draft"),
        "to_lt": make_referral(ee_ncp, lt, case=case, consent=consent, send=True),
    }
    now = timezone.now()
    Referral.objects.filter(pk=made["overdue"].pk).update(ack_deadline=now - timedelta(hours=3))
    Referral.objects.filter(pk=made["sent_sooner"].pk).update(ack_deadline=now + timedelta(hours=5))
    Referral.objects.filter(pk=made["sent_later"].pk).update(ack_deadline=now + timedelta(days=4))
    lv_case = make_case(lv_ncp)
    made["from_lv"] = make_referral(
        lv_ncp, demo_states["EE"], case=lv_case, consent=make_consent(lv_case, lv_ncp, states=[demo_states["EE"]])
    )
    return made


def _queue(page: str) -> list[tuple[str, str]]:
    """(reference, the row's text) of each row of the work queue, in order."""
    rows = _rows(_section(page, "work-queue"))
    return [(re.search(r'href="/referrals/\d+/">([^<]+)</a>', row).group(1), _text(row)) for row in rows]


def test_receiving_ncp_sees_their_steps_overdue_first_then_by_deadline(login, referrals, lv_ncp):
    queue = _queue(_dashboard(login, lv_ncp))
    ref = {name: referral.reference for name, referral in referrals.items()}
    assert [reference for reference, _ in queue] == [
        ref["overdue"],
        ref["sent_sooner"],
        ref["sent_later"],
        # No deadline: the longest waiting first.
        ref["acknowledged"],
        ref["accepted"],
        ref["in_progress"],
        # Latvia's own draft to Estonia: its send is Latvia's step too.
        ref["from_lv"],
    ]
    rows = dict(queue)
    assert "Estonia" in rows[ref["overdue"]] and "Acknowledge" in rows[ref["overdue"]]
    assert "overdue" in rows[ref["overdue"]], "said in text, not only by colour"
    assert all("overdue" not in text for reference, text in queue if reference != ref["overdue"])
    assert "Accept" in rows[ref["acknowledged"]]
    assert "Start services or confirm completion" in rows[ref["accepted"]]
    assert "Confirm completion" in rows[ref["in_progress"]]
    assert "No deadline" in rows[ref["in_progress"]]
    assert "Send" in rows[ref["from_lv"]]
    # Labels, never the stored codes.
    assert not any(code in text for _, text in queue for code in ("in_progress", "acknowledged", "ack_deadline"))


def test_the_embedded_defaults_merge_orders_the_queue_as_the_union_does(referrals, lv_ncp, ee_ncp, monkeypatch):
    # SQLite cannot limit each part of a UNION, so there the steps are merged in Python;
    # the same referrals on PostgreSQL, through both paths, come out in the same order.
    from referrals.selectors import referral_work_queue

    def fields(rows):
        return [(r.reference, r.work_step, r.other_state_name, r.deadline, r.is_overdue, r.waiting_since) for r in rows]

    for user in (lv_ncp, ee_ncp):
        for limit in (10, 3):
            union = fields(referral_work_queue(user=user, limit=limit))
            monkeypatch.setattr(connection.features, "supports_slicing_ordering_in_compound", False)
            merged = fields(referral_work_queue(user=user, limit=limit))
            monkeypatch.undo()
            assert merged == union and union, (user, limit)


def test_sending_ncp_sees_what_the_sending_state_must_do(login, referrals, ee_ncp):
    page = _dashboard(login, ee_ncp)
    queue = dict(_queue(page))
    assert set(queue) == {referrals["completed"].reference, referrals["draft"].reference}
    assert "Close" in queue[referrals["completed"].reference]
    assert "Latvia" in queue[referrals["completed"].reference]
    assert "Send" in queue[referrals["draft"].reference]
    assert "2 referrals wait for a step by Estonia" in _text(_section(page, "work-queue"))


def test_an_ncp_never_sees_another_states_referrals_in_the_queue(login, referrals, lt_ncp, make_user):
    lt_queue = dict(_queue(_dashboard(login, lt_ncp)))
    assert set(lt_queue) == {referrals["to_lt"].reference}
    # A contact point of a state with no referrals: an empty queue that says so.
    fi_page = _dashboard(login, make_user(Role.NCP, "FI"))
    assert _queue(fi_page) == []
    assert "Nothing is waiting for Finland" in _text(_section(fi_page, "work-queue"))
    for reference in (r.reference for r in referrals.values()):
        assert reference not in fi_page


def test_a_referral_whose_access_ended_leaves_the_receivers_queue(login, referrals, ee_ncp, lv_ncp):
    withdrawn = referrals["acknowledged"]
    referral_services.referral_transition(
        referral=withdrawn, action="withdraw", by=ee_ncp, data={"reason": "The person chose to stay."}
    )
    assert withdrawn.reference not in dict(_queue(_dashboard(login, lv_ncp)))


def test_the_queue_shows_ten_and_links_to_the_full_lists(login, ee_ncp, lv_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]])
    for _ in range(12):
        make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, send=True)
    page = _dashboard(login, lv_ncp)
    section = _section(page, "work-queue")
    assert len(_rows(section)) == 10
    assert "12 referrals wait for a step by Latvia; the first 10 are shown" in _text(section)
    assert f'href="{reverse("referrals:inbox")}"' in section and f'href="{reverse("referrals:outbox")}"' in section


# Messages and follow-ups -------------------------------------------------------------


def test_unread_messages_link_to_their_referral_and_go_once_it_is_opened(login, referrals, ee_ncp, lv_ncp, client):
    referral = referrals["accepted"]
    referral_services.referral_message_post(referral=referral, by=ee_ncp, body="When does she arrive?")
    referral_services.referral_message_post(referral=referrals["to_lt"], by=ee_ncp, body="For Lithuania only")
    section = _section(_dashboard(login, lv_ncp), "unread-messages")
    assert f'href="{reverse("referrals:detail", args=[referral.pk])}"' in section
    assert referral.reference in section and "Eeva Sender" in section and "Estonia" in section
    assert "1 unread message on referrals" in _text(section)
    # The steps Latvia's colleagues took left notices too; they are not messages.
    assert referrals["in_progress"].reference not in section
    assert referrals["to_lt"].reference not in section
    # Opening the referral marks its notices read (the page's POST).
    client.post(reverse("referrals:notices_read", args=[referral.pk]))
    assert "No unread messages" in _text(_section(_dashboard(login, lv_ncp), "unread-messages"))


def test_a_message_on_a_referral_the_state_lost_is_not_listed(login, referrals, ee_ncp, lv_ncp):
    referral = referrals["accepted"]
    referral_services.referral_message_post(referral=referral, by=ee_ncp, body="One more thing")
    referral_services.referral_transition(
        referral=referral, action="withdraw", by=ee_ncp, data={"reason": "The person chose to stay."}
    )
    section = _section(_dashboard(login, lv_ncp), "unread-messages")
    assert referral.reference not in section and "No unread messages" in _text(section)


def _follow_up(case, due_in_days: int, **fields) -> FollowUp:
    return FollowUp.objects.create(
        case=case, due_on=timezone.localdate() + timedelta(days=due_in_days), method="phone", **fields
    )


def test_follow_ups_due_within_a_week_or_overdue_of_the_states_own_cases(login, ee_ncp, lv_ncp):
    case = make_case(ee_ncp)
    overdue = _follow_up(case, -2)
    soon = _follow_up(case, 3)
    week = _follow_up(case, 7)
    _follow_up(case, 8)  # later
    _follow_up(case, -5, done_on=timezone.localdate())  # done
    _follow_up(make_case(lv_ncp), 1)  # Latvia's
    section = _section(_dashboard(login, ee_ncp), "follow-ups-due")
    items = re.findall(r"<li.*?</li>", section, re.S)
    assert len(items) == 3
    for item, follow_up in zip(items, [overdue, soon, week], strict=True):
        assert reverse("cases:follow_up_done", args=[case.pk, follow_up.pk]) in item
        assert f"due {follow_up.due_on:%-d %b %Y}" in _text(item)
    assert "overdue" in _text(items[0]) and "overdue" not in _text(items[1])
    assert "Phone" in _text(items[0]), "the method's label"
    assert "3 follow-ups overdue or due within 7 days" in _text(section)
    lv_section = _section(_dashboard(login, lv_ncp), "follow-ups-due")
    assert case.reference not in lv_section and len(re.findall(r"<li", lv_section)) == 1


def test_an_ncp_with_nothing_waiting_is_told_so(login, ee_ncp):
    page = _dashboard(login, ee_ncp)
    assert "Nothing is waiting for Estonia" in _text(_section(page, "work-queue"))
    assert "No unread messages on your referrals" in _text(_section(page, "unread-messages"))
    assert "No follow-ups are overdue or due within 7 days" in _text(_section(page, "follow-ups-due"))


# Trainers ----------------------------------------------------------------------------


def test_trainer_sees_their_trainings_registrations_to_review(login, trainer, make_user):
    other = make_user(Role.TRAINER, full_name="Otto Othertrainer")
    waiting = make_training(trainers=[trainer], title="Consular staff", requires_approval=True)
    RegistrationFactory.create_batch(2, training=waiting, status=RegistrationStatus.REGISTERED)
    RegistrationFactory(training=waiting, status=RegistrationStatus.CONFIRMED)
    settled = make_training(trainers=[trainer], title="Labour inspectors")
    RegistrationFactory(training=settled, status=RegistrationStatus.CONFIRMED)
    cancelled = make_training(trainers=[trainer], title="Called off", status=TrainingStatus.CANCELLED)
    RegistrationFactory(training=cancelled, status=RegistrationStatus.REGISTERED)
    theirs = make_training(trainers=[other], title="Someone else's")
    RegistrationFactory(training=theirs, status=RegistrationStatus.REGISTERED)
    section = _section(_dashboard(login, trainer), "registrations-to-review")
    assert f'href="{reverse("trainings:detail", args=[waiting.pk])}?status=registered"' in section
    assert "Consular staff · 2 registrations to review" in _text(section)
    for title in ("Labour inspectors", "Called off", "Someone else"):
        assert title not in section
    assert "No registrations are waiting" in _text(
        _section(_dashboard(login, make_user(Role.TRAINER)), "registrations-to-review")
    )


def test_trainer_sees_their_next_sessions_in_local_time_with_the_place(login, trainer, make_user, demo_states):
    other = make_user(Role.TRAINER)
    online = make_training(trainers=[trainer], title="Online basics", format="online", sessions=0)
    hosted = make_training(
        trainers=[trainer], title="Shelter work", venue="Hotel Viru", member_state=demo_states["EE"], sessions=0
    )
    make_training(trainers=[other], title="Someone else's", start_in_days=1)
    make_training(trainers=[trainer], title="Called off", status=TrainingStatus.CANCELLED, start_in_days=1)
    make_training(trainers=[trainer], title="Long over", start_in_days=-30, status=TrainingStatus.COMPLETED)
    year = timezone.now().year + 1
    utc = ZoneInfo("UTC")
    # 07:30 UTC in June is 09:30 in Stockholm (summer time); 08:00 UTC in January is 09:00 there.
    TrainingSession.objects.create(
        training=hosted,
        starts_at=datetime(year, 6, 2, 7, 30, tzinfo=utc),
        ends_at=datetime(year, 6, 2, 10, 30, tzinfo=utc),
    )
    TrainingSession.objects.create(
        training=online,
        title="Module 1",
        starts_at=datetime(year, 1, 12, 8, 0, tzinfo=utc),
        ends_at=datetime(year, 1, 12, 9, 0, tzinfo=utc),
    )
    section = _section(_dashboard(login, trainer), "next-sessions")
    items = [_text(item) for item in re.findall(r"<li.*?</li>", section, re.S)]
    assert len(items) == 2
    assert items[0].startswith(f"{datetime(year, 1, 12):%a} 12 Jan {year}, 09:00–10:00 CET")
    assert "Online basics · Module 1 · Online" in items[0]
    assert items[1].startswith(f"{datetime(year, 6, 2):%a} 2 Jun {year}, 09:30–12:30 CEST")
    assert "Shelter work · Hotel Viru, Tallinn, Estonia" in items[1]
    assert "Europe/Stockholm" in _text(section)
    for title in ("Someone else", "Called off", "Long over"):
        assert title not in section
    assert "None of your trainings has a session coming up" in _text(
        _section(_dashboard(login, make_user(Role.TRAINER)), "next-sessions")
    )


# Other roles and the query budget -----------------------------------------------------


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.NATIONAL_REPRESENTATIVE, Role.OBSERVER])
def test_other_roles_keep_their_dashboard(login, make_user, role):
    page = _dashboard(login, make_user(role, "EE" if role == Role.NATIONAL_REPRESENTATIVE else None))
    for testid in ("work-queue", "unread-messages", "follow-ups-due", "registrations-to-review", "next-sessions"):
        assert f'data-testid="{testid}"' not in page
    assert "Your account" in page


def test_trainers_do_not_get_the_contact_points_blocks_nor_the_other_way_round(login, trainer, ee_ncp):
    trainer_page = _dashboard(login, trainer)
    assert 'data-testid="work-queue"' not in trainer_page and 'data-testid="next-sessions"' in trainer_page
    ncp_page = _dashboard(login, ee_ncp)
    assert 'data-testid="work-queue"' in ncp_page and 'data-testid="next-sessions"' not in ncp_page


def _writes(measured) -> list[str]:
    return [sql for sql in measured.sql if WRITE.match(sql)]


def _ncp_world(ee_ncp, lv_ncp, lv_alt, demo_states):
    """add(n): n more referrals Estonia -> Latvia waiting for Latvia, each with a message, and n follow-ups."""
    sender_case = make_case(ee_ncp)
    consent = make_consent(sender_case, ee_ncp, states=[demo_states["LV"]])
    lv_case = make_case(lv_ncp)
    statuses = ["sent", "acknowledged", "in_progress"]

    def add(n: int) -> None:
        for i in range(n):
            referral = make_referral(ee_ncp, demo_states["LV"], case=sender_case, consent=consent, send=True)
            referral = advance(referral, statuses[i % 3], sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
            referral_services.referral_message_post(referral=referral, by=ee_ncp, body=f"Message {i}")
            _follow_up(lv_case, i % 9 - 2)

    return add


def test_the_ncp_dashboard_runs_the_same_queries_with_3_and_30_of_everything(
    login, ee_ncp, lv_ncp, lv_alt, demo_states, assert_constant_queries
):
    add = _ncp_world(ee_ncp, lv_ncp, lv_alt, demo_states)
    add(3)
    [(small, large)] = assert_constant_queries(login(lv_ncp), reverse("dashboard"), grow=lambda: add(27))
    page = large.response.content.decode()
    assert len(_rows(_section(page, "work-queue"))) == 10
    assert "30 referrals wait" in _text(page) and "30 unread messages" in _text(page)
    assert _writes(small) == _writes(large) == [], "a GET writes nothing"


def test_the_trainer_dashboard_runs_the_same_queries_with_3_and_30_trainings(login, trainer, assert_constant_queries):
    def add(n: int, start: int = 0) -> None:
        for i in range(start, start + n):
            training = make_training(trainers=[trainer], title=f"Training {i}", start_in_days=i + 1)
            RegistrationFactory(training=training, status=RegistrationStatus.REGISTERED)

    add(3)
    [(small, large)] = assert_constant_queries(login(trainer), reverse("dashboard"), grow=lambda: add(27, start=3))
    page = large.response.content.decode()
    assert "30 trainings with registrations awaiting approval" in _text(page)
    assert len(re.findall(r"<li", _section(page, "next-sessions"))) == 10
    assert _writes(small) == _writes(large) == []


# Indexes: the plans on tables of realistic shape ----------------------------------------


def _plan(queryset, *tables: str) -> str:
    # Fresh statistics: on a table of a few rows the planner may scan anything.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
        return queryset.explain()


@pytest.mark.postgres
def test_the_work_queue_reads_each_steps_first_rows_off_its_own_index(ee_ncp, lv_ncp, demo_states):
    from referrals.selectors import WORK_STEPS, referral_work_queue, referral_work_queue_count

    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"], demo_states["LT"]])
    make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, send=True)
    # Years of referrals in every status, Latvia's and others', most of them waiting for a step.
    now = timezone.now()
    statuses = ["draft", "sent", "acknowledged", "accepted", "in_progress", "completed", "closed"]
    Referral.objects.bulk_create(
        Referral(
            reference=f"PLAN-{n:05d}",
            case=case,
            consent=consent,
            sending_state=demo_states["LV" if n % 3 == 0 else "EE"],
            receiving_state=demo_states["LV" if n % 3 == 1 else "LT"],
            purpose="assistance",
            shared_categories=["case_variables"],
            status=statuses[n % len(statuses)],
            created_at=now - timedelta(days=n),
            **dict.fromkeys(["sent_at", "acknowledged_at", "accepted_at", "completed_at"], now - timedelta(days=n)),
            ack_deadline=now - timedelta(days=n - 3),
        )
        for n in range(7000)
    )
    # With the grants the services would have made (the view grant is the one the queue reads):
    # each side's NCP team on each referral.
    permissions = list(Permission.objects.filter(content_type__app_label="referrals", codename="view_referral"))
    ReferralGroupObjectPermission.objects.bulk_create(
        ReferralGroupObjectPermission(group=team_group(state, Role.NCP), permission=permission, content_object=referral)
        for referral in Referral.objects.filter(reference__startswith="PLAN-").select_related(
            "sending_state", "receiving_state"
        )
        for state in (referral.sending_state, referral.receiving_state)
        for permission in permissions
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE referrals_referral")
        cursor.execute("ANALYZE referrals_referralgroupobjectpermission")
    with CaptureQueriesContext(connection) as queue:
        rows = referral_work_queue(user=lv_ncp, limit=10)
    with CaptureQueriesContext(connection) as counted:
        total = referral_work_queue_count(user=lv_ncp)
    [queue_sql] = [query["sql"] for query in queue.captured_queries]
    [count_sql] = [query["sql"] for query in counted.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {queue_sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN {count_sql}")
        count_plan = "\n".join(row[0] for row in cursor.fetchall())
    for _side, status in WORK_STEPS:
        assert f"referral_wait_{status}" in plan, plan
    # The sort is of the few rows the steps gave, never of the table.
    assert not re.search(r"Seq Scan on referrals_referral\b", plan), plan
    assert not re.search(r"Seq Scan on referrals_referral\b", count_plan), count_plan
    assert len(rows) == 10 and total == 1000, "the count stops at core.pagination.COUNT_LIMIT"
    assert all(row.is_overdue for row in rows), "overdue acknowledgements come first"


@pytest.mark.postgres
def test_follow_ups_due_are_found_through_the_states_open_follow_up_index(ee_ncp, lv_ncp):
    from cases.selectors import follow_ups_due

    own, other = make_case(ee_ncp), make_case(lv_ncp)
    today = timezone.localdate()
    # Most open follow-ups due are another state's: probing each one's case would read them all.
    FollowUp.objects.bulk_create(
        FollowUp(
            case=case,
            member_state_id=case.member_state_id,
            method="phone",
            due_on=today - timedelta(days=n % 700),
            done_on=None if n % 5 == 0 else today,
        )
        for n in range(5000)
        for case in ([other] * 12 if n % 13 else [own])
    )
    FollowUp.objects.bulk_create(
        FollowUp(case=own, member_state_id=own.member_state_id, method="phone", due_on=today + timedelta(days=30 + n))
        for n in range(2000)
    )
    plan = _plan(follow_ups_due(user=ee_ncp)[:10], "cases_followup")
    assert "followup_state_open_idx" in plan, plan
    assert (
        follow_ups_due(user=ee_ncp).count()
        == FollowUp.objects.filter(case=own, done_on__isnull=True, due_on__lte=today + timedelta(days=7)).count()
    )


def test_a_follow_up_takes_its_cases_state(ee_ncp):
    follow_up = FollowUp.objects.create(case=make_case(ee_ncp), due_on=timezone.localdate(), method="phone")
    assert follow_up.member_state_id == ee_ncp.member_state_id


@pytest.mark.postgres
def test_a_trainers_sessions_and_registrations_to_review_are_found_through_indexes(trainer, make_user):
    from trainings.models import Registration, Training
    from trainings.selectors import trainings_awaiting_review, upcoming_sessions

    own = make_training(trainers=[trainer], requires_approval=True)
    RegistrationFactory(training=own, status=RegistrationStatus.REGISTERED)
    # Other trainers' trainings, each with sessions and registrations.
    others = Training.objects.bulk_create(
        Training(title=f"Other {n}", audience="consular", capacity=20, status="open") for n in range(1000)
    )
    someone_else = make_user(Role.TRAINER)
    Training.trainers.through.objects.bulk_create(
        Training.trainers.through(training=training, user=someone_else) for training in others
    )
    start = timezone.now() + timedelta(days=1)
    TrainingSession.objects.bulk_create(
        TrainingSession(training=training, starts_at=start + timedelta(hours=n), ends_at=start + timedelta(hours=n + 2))
        for training in others
        for n in range(5)
    )
    Registration.objects.bulk_create(
        Registration(training=training, full_name="P", email=f"p{training.pk}-{n}@example.net", consent=True)
        for training in others
        for n in range(5)
    )
    tables = ("trainings_training", "trainings_training_trainers", "trainings_trainingsession")
    tables += ("trainings_registration",)
    sessions_plan = _plan(upcoming_sessions(user=trainer)[:10], *tables)
    assert not re.search(r"Seq Scan on trainings_trainingsession\b", sessions_plan), sessions_plan
    review_plan = _plan(trainings_awaiting_review(user=trainer)[:10], *tables)
    assert not re.search(r"Seq Scan on trainings_registration\b", review_plan), review_plan
