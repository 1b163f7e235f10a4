"""Referral statistics for the secretariat: metadata only, small cells and small medians hidden,
and no hidden cell recoverable from the total and the other tables shown with it."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from referrals.models import Referral
from referrals.statistics import referral_statistics
from tests.cases.factories import make_case
from tests.core.audit import determined, subtractions
from tests.referrals.factories import make_consent, make_referral

K = 3
SEPTEMBER = timezone.make_aware(datetime(2026, 9, 10, 9, 0))
OCTOBER = timezone.make_aware(datetime(2026, 10, 10, 9, 0))
SECRET_NOTE = "Meet-her-at-gate-7"


@pytest.fixture
def referrals(settings, ee_ncp, demo_states):
    """EE->LV: 3 sent in September (acknowledged after 2, 4 and 6 hours, two of them accepted);
    EE->LT: 2 sent in October; EE->FI: 4 drafts, which statistics never count."""
    settings.THB_STATISTICS_MIN_CELL = K
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states[c] for c in ("LV", "LT", "FI")])
    serial = iter(range(1, 100))

    def row(receiving, status, sent_at=None, purpose="assistance", acknowledged_after=None, accepted_after=None):
        return Referral(
            reference=f"STAT-{next(serial):03d}",
            case=case,
            consent=consent,
            sending_state=demo_states["EE"],
            receiving_state=demo_states[receiving],
            purpose=purpose,
            shared_categories=["case_variables"],
            snapshot={"case_variables": {"gender": "Woman"}} if sent_at else None,
            note=SECRET_NOTE,
            status=status,
            sent_at=sent_at,
            ack_deadline=sent_at + timedelta(days=5) if sent_at else None,
            acknowledged_at=sent_at + acknowledged_after if acknowledged_after else None,
            accepted_at=sent_at + accepted_after if accepted_after else None,
        )

    Referral.objects.bulk_create(
        [
            row("LV", "accepted", SEPTEMBER, acknowledged_after=timedelta(hours=2), accepted_after=timedelta(hours=10)),
            row("LV", "accepted", SEPTEMBER, acknowledged_after=timedelta(hours=4), accepted_after=timedelta(hours=20)),
            row("LV", "acknowledged", SEPTEMBER, acknowledged_after=timedelta(hours=6)),
            row("LT", "sent", OCTOBER, purpose="return"),
            row("LT", "sent", OCTOBER, purpose="return"),
            *[row("FI", "draft", purpose="tracing") for _ in range(4)],
        ]
    )
    return Referral.objects.all()


def test_small_cells_and_the_cells_that_would_give_them_away_are_hidden(referrals):
    stats = referral_statistics()
    assert stats["k"] == K
    assert stats["total"] == 5
    # Each table adds up to the 5 shown, so one hidden cell would be 5 minus the other:
    # the smallest visible cell goes with it.
    assert stats["by_route"] == [("EE → LT", None), ("EE → LV", None)]
    assert stats["by_purpose"] == [
        ("Assistance in the receiving state", None),
        ("Return to the country of origin", None),
    ]
    assert stats["by_status"] == [("Accepted", None), ("Acknowledged", None), ("Sent", None)]
    assert stats["by_month"] == [("2026-09", None), ("2026-10", None)]
    assert stats["overdue_now"] is None  # the two sent in October: fewer than k


def test_drafts_are_never_counted(referrals):
    stats = referral_statistics(k=1)
    assert stats["total"] == 5
    assert "EE → FI" not in dict(stats["by_route"])
    assert "Draft" not in dict(stats["by_status"])
    assert "Information or family tracing" not in dict(stats["by_purpose"])
    assert sum(count for _, count in stats["by_month"]) == 5


def test_medians_are_shown_from_k_referrals_and_suppressed_below(referrals):
    stats = referral_statistics()
    assert stats["median_hours_to_acknowledge"] == 4.0  # 2, 4 and 6 hours: three referrals
    assert stats["median_hours_to_accept"] is None  # only two were accepted
    assert referral_statistics(k=2)["median_hours_to_accept"] == 15.0


def test_the_page_shows_counts_and_no_shared_data(client, login, make_user, referrals):
    login(make_user(Role.SECRETARIAT))
    response = client.get(reverse("referrals:statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 referrals sent" in page
    assert '<th scope="row">EE → LV</th><td>c</td>' in page
    assert '<th scope="row">EE → LT</th><td>c</td>' in page
    assert page.count("“c”: hidden. Counts from 1 to 2 are hidden, and so are some other counts") == 4
    assert "Median time to acknowledge: 4.0 h" in page and "to accept: &lt;3 referrals" in page
    assert "EE → FI" not in page
    for private in ["STAT-0", SECRET_NOTE, "Woman", referrals.first().case.reference]:
        assert private not in page, private


def _page_tables(page: str) -> tuple[dict, list]:
    """The page read as an attacker would: its total and each table's cells, and the
    equations between them (every table adds up to the total)."""
    match = re.search(r"<p>(\d+) referrals? sent|<p>The number of referrals sent is hidden", page)
    values: dict = {"total": int(match.group(1)) if match.group(1) else None}
    equations = []
    for caption, body in re.findall(r"<caption>(.*?)\.[^<]*</caption>.*?<tbody>(.*?)</tbody>", page):
        parts = []
        for label, value in re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', body):
            values[(caption, label)] = None if value == "c" else int(value)
            parts.append((caption, label))
        equations.append(("total", parts))
    assert len(equations) == 4
    return values, equations


@pytest.fixture
def sent_through_the_services(settings, ee_ncp, lv_ncp, demo_states):
    """EE->LV: 3 (one for return), EE->LT: 3, LV->EE: 1, all sent this month; k = 3."""
    settings.THB_STATISTICS_MIN_CELL = K
    for sender, receiving, purpose in [
        *[(ee_ncp, "LV", "assistance")] * 2,
        (ee_ncp, "LV", "return"),
        *[(ee_ncp, "LT", "assistance")] * 3,
        (lv_ncp, "EE", "assistance"),
    ]:
        make_referral(sender, demo_states[receiving], purpose=purpose, send=True)


def test_no_subtraction_across_the_tables_of_the_page_gives_a_hidden_count(
    client, login, make_user, sent_through_the_services
):
    login(make_user(Role.SECRETARIAT))
    values, equations = _page_tables(client.get(reverse("referrals:statistics")).content.decode())
    assert values["total"] == 7
    assert values[("By sending and receiving state", "LV → EE")] is None
    assert values[("By sending and receiving state", "EE → LV")] == 3  # what is safe is still shown
    assert not [value for value in values.values() if value is not None and 0 < value < K]
    assert subtractions(values, equations) == []
    assert determined(values, equations) == []


def test_an_ncp_cannot_open_the_statistics(client, login, ee_ncp, referrals):
    login(ee_ncp)
    assert client.get(reverse("referrals:statistics")).status_code == 403
