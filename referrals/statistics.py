"""Anonymised referral statistics for the secretariat: no shared data, only metadata.

The four tables (by route, purpose, status and month sent) all add up to the number
of referrals sent, which the page shows too, so they are protected together through
core.disclosure: counts of 1 to k-1 (THB_STATISTICS_MIN_CELL) are hidden, and so
are enough others that no hidden count is the total minus the visible ones. Medians
computed from fewer than k referrals are hidden as well.
"""

from collections import Counter
from statistics import median

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth

from core.disclosure import HIDDEN, Equation, Key, hidden_note, protect
from referrals.models import Purpose, Referral, ReferralStatus

TOTAL: Key = ("total",)
OVERDUE: Key = ("overdue",)
# Each table's name, caption and heading, in the order the page shows them.
TABLES = {
    "by_route": ("By sending and receiving state", "Route"),
    "by_purpose": ("By purpose", "Purpose"),
    "by_status": ("By status", "Status"),
    "by_month": ("By month sent", "Month"),
}


def _median_hours(pairs, k: int) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(median(hours), 1) if len(hours) >= k else None


def _counts() -> dict[str, Counter]:
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT).order_by()
    purposes = dict(Purpose.choices)
    statuses = dict(ReferralStatus.choices)
    return {
        "by_route": Counter(
            {
                f"{row['sending_state__code']} → {row['receiving_state__code']}": row["n"]
                for row in sent.values("sending_state__code", "receiving_state__code").annotate(n=Count("pk"))
            }
        ),
        "by_purpose": Counter({purposes[r["purpose"]]: r["n"] for r in sent.values("purpose").annotate(n=Count("pk"))}),
        "by_status": Counter({statuses[r["status"]]: r["n"] for r in sent.values("status").annotate(n=Count("pk"))}),
        # A sent referral without a sending time would be missing here; declaring the
        # equation anyway only hides more (see core.disclosure).
        "by_month": Counter(
            {
                r["month"].strftime("%Y-%m"): r["n"]
                for r in sent.annotate(month=TruncMonth("sent_at")).values("month").annotate(n=Count("pk"))
                if r["month"]
            }
        ),
    }


def referral_statistics(*, k: int | None = None) -> dict:
    k = k or settings.THB_STATISTICS_MIN_CELL
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT).order_by()
    tables = _counts()
    counts: dict[Key, int] = {TOTAL: sent.count(), OVERDUE: Referral.objects.overdue().count()}
    equations = []
    for name in TABLES:
        labels = sorted(tables[name])
        counts.update({(name, label): tables[name][label] for label in labels})
        equations.append(Equation(TOTAL, tuple((name, label) for label in labels)))
    # The overdue count is a part of "Sent" but of no equation: it is only held to k.
    protected = protect(counts, equations, k=k)
    shown = {name: [(label, protected.value((name, label))) for label in sorted(tables[name])] for name in TABLES}
    return {
        "k": k,
        "marker": HIDDEN,
        "note": hidden_note(k),
        "total": protected.value(TOTAL),
        "overdue_now": protected.value(OVERDUE),
        **shown,
        "tables": [(caption, heading, shown[name]) for name, (caption, heading) in TABLES.items()],
        "median_hours_to_acknowledge": _median_hours(sent.values_list("sent_at", "acknowledged_at"), k),
        "median_hours_to_accept": _median_hours(sent.values_list("sent_at", "accepted_at"), k),
    }
