"""Inbox and outbox: a constant number of queries however many referrals, overdue ones flagged, filters."""

from datetime import datetime, timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from core.pagination import COUNT_LIMIT
from members.models import Role
from members.roles import team_group
from referrals import services
from referrals.models import Referral, ReferralGroupObjectPermission
from tests.cases.factories import make_case
from tests.referrals.factories import advance, make_consent, make_referral

BOXES = {"inbox": "LV", "outbox": "EE"}  # whose box it is in the bulk data (EE sends to LV)
_serial = count(1)


@pytest.fixture
def bulk(ee_ncp, demo_states):
    """bulk(n) -> n referrals EE -> LV, sent, a third of them overdue, with both teams' grants, in a few queries."""
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]])
    permissions = {
        side: list(
            Permission.objects.filter(
                content_type__app_label="referrals", codename__in=[name.split(".")[1] for name in names]
            )
        )
        for side, names in (("EE", services.SENDER_PERMISSIONS), ("LV", services.RECEIVER_PERMISSIONS))
    }
    groups = {code: team_group(demo_states[code], Role.NCP) for code in ("EE", "LV")}

    def _bulk(n: int) -> None:
        now = timezone.now()
        referrals = Referral.objects.bulk_create(
            [
                Referral(
                    reference=f"BULK-{next(_serial):05d}",
                    case=case,
                    consent=consent,
                    sending_state=demo_states["EE"],
                    receiving_state=demo_states["LV"],
                    sending_contact=ee_ncp,
                    purpose="assistance",
                    urgency="normal",
                    shared_categories=["case_variables"],
                    status="sent",
                    created_at=now - timedelta(days=3),
                    sent_at=now - timedelta(days=3),
                    ack_deadline=now - timedelta(days=1) if i % 3 == 0 else now + timedelta(days=2),
                )
                for i in range(n)
            ]
        )
        if not referrals[0].pk:
            referrals = list(Referral.objects.filter(reference__in=[r.reference for r in referrals]))
        ReferralGroupObjectPermission.objects.bulk_create(
            [
                ReferralGroupObjectPermission(group=groups[code], permission=permission, content_object=referral)
                for referral in referrals
                for code in ("EE", "LV")
                for permission in permissions[code]
            ]
        )

    return _bulk


@pytest.fixture
def box_user(client, mfa_user, ee_ncp, lv_ncp):
    """box_user(direction, client=the test client) -> that client, signed in as the owner of that box
    (enrolled in MFA), with the session already recorded."""

    enrolled = set()

    def _sign_in(direction: str, client=client):
        user = lv_ncp if direction == "inbox" else ee_ncp
        if user.pk not in enrolled:
            mfa_user(user)
            enrolled.add(user.pk)
        client.force_login(user)
        # The first request of a session records it (allauth usersessions); measure after that.
        client.get(reverse("dashboard"))
        return client

    return _sign_in


@pytest.mark.parametrize("direction", BOXES)
def test_inbox_and_outbox_run_the_same_queries_with_10_and_2000_referrals(
    bulk, box_user, direction, assert_constant_queries
):
    url = reverse(f"referrals:{direction}")
    bulk(10)
    (plain_small, plain_large), (_, filtered_large) = assert_constant_queries(
        box_user(direction), url, f"{url}?urgency=normal&status=sent&page=3", grow=lambda: bulk(1990)
    )
    assert plain_small.response.context["page"].paginator.count == 10
    # Past core.pagination.COUNT_LIMIT the box counts no further ("At least 1000 referrals").
    assert plain_large.response.context["page"].paginator.count == min(2000, COUNT_LIMIT)
    assert plain_large.response.context["page"].paginator.count_is_bounded
    assert len(plain_large.response.context["page"].object_list) == 25
    assert filtered_large.count == plain_large.count
    assert filtered_large.response.context["page"].number == 3


def _row_of(page: str, reference: str) -> str:
    rows = [row for row in page.split("<tr") if f">{reference}</a>" in row]
    assert len(rows) == 1, reference
    return rows[0]


@pytest.mark.parametrize("direction", BOXES)
def test_overdue_referrals_are_highlighted(box_user, ee_ncp, demo_states, direction):
    overdue = make_referral(ee_ncp, demo_states["LV"], send=True)
    on_time = make_referral(ee_ncp, demo_states["LV"], send=True)
    Referral.objects.filter(pk=overdue.pk).update(ack_deadline=timezone.now() - timedelta(hours=2))
    page = box_user(direction).get(reverse(f"referrals:{direction}")).content.decode()
    late_row, fine_row = _row_of(page, overdue.reference), _row_of(page, on_time.reference)
    assert late_row.startswith(' class="table-danger"') and ">overdue</span>" in late_row
    assert "table-danger" not in fine_row and "overdue" not in fine_row


@pytest.fixture
def mixed(make_user, ee_ncp, lv_ncp, lv_alt, demo_states):
    """Referrals to Latvia from Estonia and Finland, of different urgency, purpose, status and date."""
    fi_ncp = make_user(Role.NCP, "FI")
    from_ee_urgent = make_referral(ee_ncp, demo_states["LV"], urgency="urgent", send=True)
    from_ee_return = advance(
        make_referral(ee_ncp, demo_states["LV"], purpose="return", send=True),
        "acknowledged",
        sender=ee_ncp,
        receiver=lv_ncp,
        alternate=lv_alt,
    )
    from_fi = make_referral(fi_ncp, demo_states["LV"], purpose="tracing", send=True)
    draft = make_referral(ee_ncp, demo_states["LV"])
    to_lt = make_referral(ee_ncp, demo_states["LT"], send=True)
    october = timezone.make_aware(datetime(2026, 10, 15, 12, 0))
    Referral.objects.filter(pk=from_fi.pk).update(sent_at=october, created_at=october)
    return {
        "from_ee_urgent": from_ee_urgent,
        "from_ee_return": from_ee_return,
        "from_fi": from_fi,
        "draft": draft,
        "to_lt": to_lt,
        "states": demo_states,
    }


BAD_FILTERS = [
    {"state": "abc"},
    {"state": "999999"},
    {"urgency": "bogus", "purpose": "nothing", "status": "lost"},
    {"sent_from": "not-a-date", "sent_to": "2026-13-45"},
    {"page": "zzz"},
    {"page": "99999"},
    {"state": "'; DROP TABLE referrals_referral; --"},
]


def _assert_bad_filters_are_ignored(client, direction: str, everything: set[str]) -> None:
    for params in BAD_FILTERS:
        response = client.get(reverse(f"referrals:{direction}"), params)
        assert response.status_code == 200, params
        if set(params) <= {"page"}:
            # A bad page number shows the nearest real page.
            assert {r.reference for r in response.context["page"].object_list} == everything, params
    assert Referral.objects.count() == 5


def _listed(client, direction: str, **params) -> set[str]:
    response = client.get(reverse(f"referrals:{direction}"), params)
    assert response.status_code == 200
    return {referral.reference for referral in response.context["page"].object_list}


def test_inbox_filters_by_state_urgency_purpose_status_and_dates(box_user, mixed):
    client = box_user("inbox")
    ref = {name: r.reference for name, r in mixed.items() if name != "states"}
    states = mixed["states"]
    everything = {ref["from_ee_urgent"], ref["from_ee_return"], ref["from_fi"]}
    assert _listed(client, "inbox") == everything, "no drafts, nothing sent elsewhere"
    assert _listed(client, "inbox", state=states["FI"].pk) == {ref["from_fi"]}
    assert _listed(client, "inbox", state=states["EE"].pk) == {ref["from_ee_urgent"], ref["from_ee_return"]}
    assert _listed(client, "inbox", urgency="urgent") == {ref["from_ee_urgent"]}
    assert _listed(client, "inbox", purpose="return") == {ref["from_ee_return"]}
    assert _listed(client, "inbox", status="acknowledged") == {ref["from_ee_return"]}
    assert _listed(client, "inbox", sent_to="2026-10-31") == {ref["from_fi"]}
    assert _listed(client, "inbox", sent_from="2026-11-01") == {ref["from_ee_urgent"], ref["from_ee_return"]}
    assert _listed(client, "inbox", sent_from="2026-10-01", sent_to="2026-10-31", purpose="tracing") == {ref["from_fi"]}
    assert _listed(client, "inbox", purpose="tracing", state=states["EE"].pk) == set()
    _assert_bad_filters_are_ignored(client, "inbox", everything)


def test_outbox_filters_by_receiving_state_and_shows_drafts(box_user, mixed):
    client = box_user("outbox")
    ref = {name: r.reference for name, r in mixed.items() if name != "states"}
    states = mixed["states"]
    ours = {ref["from_ee_urgent"], ref["from_ee_return"], ref["draft"], ref["to_lt"]}
    assert _listed(client, "outbox") == ours
    assert _listed(client, "outbox", state=states["LT"].pk) == {ref["to_lt"]}
    assert _listed(client, "outbox", status="draft") == {ref["draft"]}
    assert _listed(client, "outbox", urgency="urgent") == {ref["from_ee_urgent"]}
    _assert_bad_filters_are_ignored(client, "outbox", ours)
