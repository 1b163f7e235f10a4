"""Referral statistics for the secretariat: metadata only, small cells and small medians suppressed."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Role
from referrals.models import Referral
from referrals.statistics import referral_statistics
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent

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


def test_small_cells_are_suppressed_and_cells_at_k_are_shown(referrals):
    stats = referral_statistics()
    assert stats["k"] == K
    assert stats["total"] == 5
    assert stats["by_route"] == [("EE → LT", None), ("EE → LV", 3)]
    assert stats["by_purpose"] == [("Assistance in the receiving state", 3), ("Return to the country of origin", None)]
    assert stats["by_status"] == [("Accepted", None), ("Acknowledged", None), ("Sent", None)]
    assert stats["by_month"] == [("2026-09", 3), ("2026-10", None)]


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
    assert '<th scope="row">EE → LV</th><td>3</td>' in page
    assert '<th scope="row">EE → LT</th><td>&lt;3</td>' in page
    assert "Median time to acknowledge: 4.0 h" in page and "to accept: &lt;3 referrals" in page
    assert "EE → FI" not in page
    for private in ["STAT-0", SECRET_NOTE, "Woman", referrals.first().case.reference]:
        assert private not in page, private


def test_an_ncp_cannot_open_the_statistics(client, login, ee_ncp, referrals):
    login(ee_ncp)
    assert client.get(reverse("referrals:statistics")).status_code == 403
