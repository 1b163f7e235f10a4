"""Each move of a referral: only from the right status, by the right side, once (DESIGN.md section 6).

A refused move changes nothing: status and timestamps stay, and no event is written.
Every successful move writes one immutable ReferralEvent with who, which side and the
step's own data.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from members.models import Role
from referrals import services
from referrals.models import Referral, ReferralEvent
from referrals.workflow import REFERRAL_WORKFLOW
from tests.referrals.factories import advance, make_referral, post_for_messages, step_data


def _state(referral) -> tuple:
    referral = Referral.objects.get(pk=referral.pk)
    return (
        referral.status,
        referral.acknowledged_at,
        referral.accepted_at,
        referral.completed_at,
        referral.ended_at,
        ReferralEvent.objects.filter(referral=referral).count(),
    )


@pytest.fixture
def sent(ee_ncp, lv_ncp, lv_alt, demo_states):
    return make_referral(ee_ncp, demo_states["LV"], send=True)


@pytest.fixture
def at(sent, ee_ncp, lv_ncp, lv_alt):
    """at(status) -> the sent referral moved on to `status`."""

    def _at(status):
        return advance(sent, status, sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)

    return _at


def _data(action, lv_ncp, lv_alt, demo_states):
    if action == "refer_onward":
        return {"third_state": demo_states["LT"], "reason": "The person moved on to Lithuania."}
    return step_data(action, receiver=lv_ncp, alternate=lv_alt)


# The right side, from the right status ------------------------------------------------

NORMAL_PATH = [
    ("draft", "send", "sender"),
    ("sent", "acknowledge", "receiver"),
    ("acknowledged", "accept", "receiver"),
    ("accepted", "start", "receiver"),
    ("in_progress", "complete", "receiver"),
    ("completed", "close", "sender"),
    ("closed", None, None),
]

# Refusals the issue names, with the exact message each gets.
NAMED_REFUSALS = {
    ("sent", "acknowledge", "sender"): "Only the receiving state can acknowledge.",
    ("sent", "send", "receiver"): "Only the sending state can send.",
    ("sent", "withdraw", "receiver"): "Only the sending state can withdraw.",
    ("sent", "accept", "receiver"): "“Accept” is not possible on a referral that is “Sent”.",
    ("sent", "send", "sender"): "Only a draft can be sent; this referral is “Sent”.",
    ("acknowledged", "acknowledge", "receiver"): "“Acknowledge” is not possible on a referral that is “Acknowledged”.",
    ("accepted", "decline", "receiver"): "“Decline” is not possible on a referral that is “Accepted”.",
    ("in_progress", "start", "receiver"): "“Start services” is not possible on a referral that is “In progress”.",
    ("completed", "complete", "receiver"): "“Confirm completion” is not possible on a referral that is “Completed”.",
    ("completed", "close", "receiver"): "Only the sending state can close.",
    ("closed", "close", "sender"): "“Close” is not possible on a referral that is “Closed”.",
}

# What each side may do from each status of the normal path (DESIGN.md section 6).
ALLOWED = {
    "draft": {"sender": {"send"}, "receiver": set()},
    "sent": {"sender": {"withdraw", "consent_withdrawn"}, "receiver": {"acknowledge", "decline"}},
    "acknowledged": {"sender": {"withdraw", "consent_withdrawn"}, "receiver": {"accept", "decline", "refer_onward"}},
    "accepted": {"sender": {"withdraw", "consent_withdrawn"}, "receiver": {"start", "complete", "refer_onward"}},
    "in_progress": {"sender": {"withdraw", "consent_withdrawn"}, "receiver": {"complete", "refer_onward"}},
    "completed": {"sender": {"close", "consent_withdrawn"}, "receiver": set()},
    "closed": {"sender": set(), "receiver": set()},
}


def test_at_every_status_each_side_may_take_only_its_allowed_steps(ee_ncp, lv_ncp, lv_alt, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])
    users = {"sender": ee_ncp, "receiver": lv_ncp}
    named_seen = set()
    for status, next_action, next_by in NORMAL_PATH:
        referral = Referral.objects.get(pk=referral.pk)
        assert referral.status == status
        for by, user in users.items():
            assert {t.name for t in services.actions_for(referral, user)} == ALLOWED[status][by], (status, by)
            for transition in REFERRAL_WORKFLOW:
                action = transition.name
                if action in ALLOWED[status][by]:
                    continue
                before = _state(referral)
                with pytest.raises(ValidationError) as refused:
                    services.referral_transition(
                        referral=referral, action=action, by=user, data=_data(action, lv_ncp, lv_alt, demo_states)
                    )
                assert _state(referral) == before, (status, action, by)
                [message] = refused.value.messages
                if (status, action, by) in NAMED_REFUSALS:
                    assert message == NAMED_REFUSALS[(status, action, by)]
                    named_seen.add((status, action, by))
                elif ("sending" if by == "sender" else "receiving") not in transition.by:
                    assert message.startswith("Only the "), message
                else:
                    assert "is not possible on a referral that is" in message or "Only a draft" in message, message
        if next_action:
            services.referral_transition(
                referral=referral,
                action=next_action,
                by=users[next_by],
                data=_data(next_action, lv_ncp, lv_alt, demo_states),
            )
    assert named_seen == set(NAMED_REFUSALS)


def test_the_same_step_twice_is_refused_the_second_time(sent, lv_ncp, lv_alt):
    data = step_data("acknowledge", receiver=lv_ncp, alternate=lv_alt)
    services.referral_transition(referral=sent, action="acknowledge", by=lv_ncp, data=data)
    with pytest.raises(ValidationError):
        services.referral_transition(referral=sent, action="acknowledge", by=lv_alt, data=data)
    assert ReferralEvent.objects.filter(referral=sent, kind="acknowledged").count() == 1


def test_a_third_state_cannot_move_a_referral(sent, lt_ncp, make_user):
    for user in (lt_ncp, make_user(Role.SECRETARIAT)):
        with pytest.raises(ValidationError):
            services.referral_transition(referral=sent, action="decline", by=user, data={"reason": "Not ours."})
    assert Referral.objects.get(pk=sent.pk).status == "sent"


@pytest.mark.parametrize("status", ["declined", "withdrawn", "consent_withdrawn", "closed"])
def test_an_ended_referral_cannot_be_revived_by_anyone(at, ee_ncp, lv_ncp, lv_alt, demo_states, status):
    referral = at(status)
    before = _state(referral)
    for action in REFERRAL_WORKFLOW.names:
        for user in (ee_ncp, lv_ncp):
            with pytest.raises(ValidationError):
                services.referral_transition(
                    referral=referral, action=action, by=user, data=_data(action, lv_ncp, lv_alt, demo_states)
                )
    assert _state(referral) == before
    assert services.actions_for(Referral.objects.get(pk=referral.pk), ee_ncp) == []


# The step's data ------------------------------------------------------------------------


def test_declining_without_a_reason_through_the_view_changes_nothing(client, login, sent, lv_ncp):
    before = _state(sent)
    login(lv_ncp)
    for reason in ("", "   "):
        response = client.post(reverse("referrals:action", args=[sent.pk, "decline"]), {"decline-reason": reason})
        # The page again, the decline panel open, the error next to the field: no generic message.
        assert response.status_code == 400
        assert response.context["open_action"] == "decline"
        form = dict((t.name, f) for t, f in response.context["actions"])["decline"]
        assert form.errors == {"reason": ["This field is required."]}
        assert 'id="action-decline" class="accordion-collapse collapse show"' in response.content.decode()
        assert [str(m) for m in response.context["messages"]] == []
    assert _state(sent) == before


def test_declining_without_a_reason_in_the_service_is_refused(sent, lv_ncp):
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(referral=sent, action="decline", by=lv_ncp, data={"reason": "  "})
    assert refused.value.message_dict == {"reason": ["Give the reason."]}
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_a_move_refused_through_the_view_says_why(client, login, sent, lv_ncp, ee_ncp):
    before = _state(sent)
    login(lv_ncp)
    accept = {"accept-met_by": "Shelter", "accept-meeting_place": "Riga", "accept-meeting_time": "2026-12-01T10:00"}
    _, _, shown = post_for_messages(client, reverse("referrals:action", args=[sent.pk, "accept"]), accept)
    assert shown == ["Nothing was changed. “Accept” is not possible on a referral that is “Sent”."]
    _, _, shown = post_for_messages(
        client, reverse("referrals:action", args=[sent.pk, "withdraw"]), {"withdraw-reason": "No."}
    )
    assert shown == ["Nothing was changed. Only the sending state can withdraw."]
    assert client.post(reverse("referrals:action", args=[sent.pk, "explode"]), {}).status_code == 404
    assert _state(sent) == before


def test_acknowledging_needs_two_different_contact_points_of_the_receiving_state(
    client, login, sent, lv_ncp, lt_ncp, make_user
):
    lv_representative = make_user(Role.NATIONAL_REPRESENTATIVE, "LV")
    for contact, alternate, message in [
        (lv_ncp, lv_ncp, "The alternate must be someone else."),
        (lv_ncp, lt_ncp, "Both contacts must be contact points of the receiving state."),
        (lv_ncp, lv_representative, "Both contacts must be contact points of the receiving state."),
        (lt_ncp, None, "Both contacts must be contact points of the receiving state."),
        (None, lv_ncp, "Name the receiving contact."),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.referral_transition(
                referral=sent,
                action="acknowledge",
                by=lv_ncp,
                data={"receiving_contact": contact, "receiving_alternate": alternate},
            )
        assert refused.value.messages == [message]
    before = _state(sent)
    login(lv_ncp)
    response = client.post(
        reverse("referrals:action", args=[sent.pk, "acknowledge"]),
        {"acknowledge-receiving_contact": lv_ncp.pk, "acknowledge-receiving_alternate": lt_ncp.pk},
    )
    # The acknowledgement stays open, with the key contact chosen and the error at the alternate.
    assert response.status_code == 400 and response.context["open_action"] == "acknowledge"
    form = dict((t.name, f) for t, f in response.context["actions"])["acknowledge"]
    assert list(form.errors) == ["receiving_alternate"]
    assert form.errors["receiving_alternate"][0].startswith("Select a valid choice.")
    page = response.content.decode()
    assert f'<option value="{lv_ncp.pk}" selected>' in page
    assert 'id="action-acknowledge" class="accordion-collapse collapse show"' in page
    assert _state(sent) == before


def test_acknowledging_needs_no_alternate_and_the_acting_ncp_is_the_default_contact(
    client, login, sent, lv_ncp, lv_alt
):
    login(lv_ncp)
    page = client.get(sent.get_absolute_url())
    form = dict((t.name, f) for t, f in page.context["actions"])["acknowledge"]
    assert form["receiving_contact"].value() == lv_ncp.pk
    assert not form.fields["receiving_alternate"].required
    assert page.context["open_action"] == "acknowledge"  # the next step's panel is open: no click to find it
    response = client.post(
        reverse("referrals:action", args=[sent.pk, "acknowledge"]),
        {"acknowledge-receiving_contact": lv_ncp.pk, "acknowledge-receiving_alternate": ""},
    )
    assert response.status_code == 302
    referral = Referral.objects.get(pk=sent.pk)
    assert (referral.status, referral.receiving_contact, referral.receiving_alternate) == (
        "acknowledged",
        lv_ncp,
        None,
    )
    assert referral.events.get(kind="acknowledged").data["receiving_alternate"] == ""


def test_an_alternate_who_is_given_must_be_another_ncp_of_the_receiving_state(client, login, sent, lv_ncp, lv_alt):
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(
            referral=sent,
            action="acknowledge",
            by=lv_ncp,
            data={"receiving_contact": lv_alt, "receiving_alternate": lv_alt},
        )
    assert refused.value.message_dict == {"receiving_alternate": ["The alternate must be someone else."]}
    login(lv_ncp)
    response = client.post(
        reverse("referrals:action", args=[sent.pk, "acknowledge"]),
        {"acknowledge-receiving_contact": lv_alt.pk, "acknowledge-receiving_alternate": lv_alt.pk},
    )
    # The service's field error lands next to the field, the choices stay.
    assert response.status_code == 400
    form = dict((t.name, f) for t, f in response.context["actions"])["acknowledge"]
    assert form.errors == {"receiving_alternate": ["The alternate must be someone else."]}
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_every_step_of_the_normal_path_writes_one_event_with_actor_side_and_data(
    client, login, ee_ncp, lv_ncp, lv_alt, demo_states
):
    referral = make_referral(ee_ncp, demo_states["LV"])
    steps = [
        (ee_ncp, "send", {}),
        (
            lv_ncp,
            "acknowledge",
            {
                "acknowledge-receiving_contact": lv_ncp.pk,
                "acknowledge-receiving_alternate": lv_alt.pk,
                "acknowledge-assessment": "High risk, needs a shelter",
            },
        ),
        (
            lv_ncp,
            "accept",
            {
                "accept-met_by": "Social worker Anna",
                "accept-meeting_place": "Riga airport",
                "accept-meeting_time": "2026-12-01T10:00",
                "accept-plan": "Shelter for three months",
            },
        ),
        (lv_ncp, "start", {"start-note": "Shelter place taken"}),
        (lv_ncp, "complete", {"complete-arrived_on": "2026-12-01"}),
        (ee_ncp, "close", {}),
    ]
    for actor, action, data in steps:
        login(actor)
        count = ReferralEvent.objects.filter(referral=referral).count()
        _, _, shown = post_for_messages(client, reverse("referrals:action", args=[referral.pk, action]), data)
        assert shown == [f"Done: {REFERRAL_WORKFLOW.get(action).label.lower()}."]
        assert ReferralEvent.objects.filter(referral=referral).count() == count + 1

    events = {event.kind: event for event in ReferralEvent.objects.filter(referral=referral)}
    assert list(events) == ["sent", "acknowledged", "accepted", "started", "completed", "closed"]
    assert {kind: (e.actor, e.side) for kind, e in events.items()} == {
        "sent": (ee_ncp, "sending"),
        "acknowledged": (lv_ncp, "receiving"),
        "accepted": (lv_ncp, "receiving"),
        "started": (lv_ncp, "receiving"),
        "completed": (lv_ncp, "receiving"),
        "closed": (ee_ncp, "sending"),
    }
    assert events["sent"].data == {}
    assert events["acknowledged"].data == {
        "receiving_contact": "Liga Receiver",
        "receiving_alternate": "Janis Alternate",
        "assessment": "High risk, needs a shelter",
    }
    accepted = events["accepted"].data
    assert (accepted["met_by"], accepted["meeting_place"], accepted["plan"]) == (
        "Social worker Anna",
        "Riga airport",
        "Shelter for three months",
    )
    assert accepted["meeting_time"] == "01 Dec 2026, 10:00"
    assert events["started"].data == {"note": "Shelter place taken"}
    assert events["completed"].data == {"arrived_on": "2026-12-01", "note": ""}

    referral.refresh_from_db()
    assert referral.status == "closed"
    assert (referral.receiving_contact, referral.receiving_alternate) == (lv_ncp, lv_alt)
    assert referral.sent_at <= referral.acknowledged_at <= referral.accepted_at <= referral.completed_at
    assert referral.ended_at >= referral.completed_at


@pytest.mark.parametrize(
    ("status", "action", "by", "expected_data"),
    [
        ("acknowledged", "decline", "receiver", {"reason": "No shelter place for these dates."}),
        ("sent", "withdraw", "sender", {"reason": "The person chose to stay."}),
        ("completed", "consent_withdrawn", "sender", {"reason": "The person withdrew consent."}),
        (
            "accepted",
            "refer_onward",
            "receiver",
            {"third_state": "Lithuania", "reason": "The person moved on to Lithuania."},
        ),
    ],
)
def test_each_branch_records_its_reason_and_ends_the_referral(
    at, ee_ncp, lv_ncp, lv_alt, demo_states, status, action, by, expected_data
):
    referral = at(status)
    actor = ee_ncp if by == "sender" else lv_ncp
    count = ReferralEvent.objects.filter(referral=referral).count()
    services.referral_transition(
        referral=referral, action=action, by=actor, data=_data(action, lv_ncp, lv_alt, demo_states)
    )
    referral.refresh_from_db()
    assert referral.status == REFERRAL_WORKFLOW.get(action).target
    assert referral.ended_at is not None
    new = list(ReferralEvent.objects.filter(referral=referral).order_by("pk"))[count:]
    kind = REFERRAL_WORKFLOW.get(action).records
    assert [(e.kind, e.actor, e.side, e.data) for e in new if e.kind == kind] == [
        (kind, actor, "sending" if by == "sender" else "receiving", expected_data)
    ]
    # Withdrawal and consent withdrawal also record the end of the receiving state's access.
    assert [(e.kind, e.side) for e in new if e.kind != kind] == (
        [("access_revoked", "portal")] if REFERRAL_WORKFLOW.get(action).revokes else []
    )


def test_referring_onward_needs_a_third_state(at, lv_ncp, demo_states):
    referral = at("acknowledged")
    for state in (demo_states["EE"], demo_states["LV"]):
        with pytest.raises(ValidationError) as refused:
            services.referral_transition(
                referral=referral, action="refer_onward", by=lv_ncp, data={"third_state": state, "reason": "Moved."}
            )
        assert refused.value.message_dict == {"third_state": ["Choose a third state."]}
    assert Referral.objects.get(pk=referral.pk).status == "acknowledged"


# The timeline is immutable --------------------------------------------------------------


def test_referral_events_cannot_be_changed_or_deleted(sent):
    event = ReferralEvent.objects.get(referral=sent, kind="sent")
    event.kind = "closed"
    with pytest.raises(ValueError, match="immutable"):
        event.save()
    with pytest.raises(ValueError, match="immutable"):
        ReferralEvent.objects.get(pk=event.pk).delete()
    assert ReferralEvent.objects.get(pk=event.pk).kind == "sent"


# Two people at once ---------------------------------------------------------------------


@pytest.mark.postgres
def test_concurrent_accept_and_decline_leave_exactly_one_winner(
    transactional_db, django_db_serialized_rollback, ee_ncp, lv_ncp, lv_alt, demo_states
):
    referral = advance(
        make_referral(ee_ncp, demo_states["LV"], send=True),
        "acknowledged",
        sender=ee_ncp,
        receiver=lv_ncp,
        alternate=lv_alt,
    )
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(action, user, data):
        try:
            barrier.wait(timeout=10)
            services.referral_transition(referral=referral, action=action, by=user, data=data)
            outcomes[action] = "won"
        except ValidationError:
            outcomes[action] = "refused"
        except Exception as error:
            outcomes[action] = repr(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=("accept", lv_ncp, step_data("accept"))),
        threading.Thread(target=act, args=("decline", lv_alt, step_data("decline"))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["refused", "won"], outcomes
    winner = next(action for action, outcome in outcomes.items() if outcome == "won")
    referral.refresh_from_db()
    assert referral.status == REFERRAL_WORKFLOW.get(winner).target
    decisions = ReferralEvent.objects.filter(referral=referral, kind__in=["accepted", "declined"])
    assert [event.kind for event in decisions] == [REFERRAL_WORKFLOW.get(winner).records]


def test_the_page_styles_and_explains_each_step_from_the_table(client, login, ee_ncp, lv_ncp, lv_alt, demo_states):
    """Destructive steps get a danger button and their confirmation; the others a plain one."""
    for status, user in (("sent", lv_ncp), ("sent", ee_ncp), ("acknowledged", lv_ncp), ("completed", ee_ncp)):
        referral = make_referral(ee_ncp, demo_states["LV"], send=True)
        referral = advance(referral, status, sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
        login(user)
        response = client.get(referral.get_absolute_url())
        page = response.content.decode()
        steps = [transition for transition, _ in response.context["actions"]]
        assert steps, (status, user)
        for step in steps:
            button = f'<button class="btn {step.button_class}" type="submit" name="do" value="{step.name}"'
            assert button in page, (status, step.name)
            assert (f'id="confirm-{step.name}"' in page) == step.destructive, (status, step.name)
            if step.destructive:
                assert escape(step.confirmation) in page
        # The normal path's next step is open; a destructive one never is.
        assert response.context["open_action"] in [s.name for s in steps if not s.destructive] + [None]
