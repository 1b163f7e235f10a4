"""Anonymised referral statistics for the secretariat: no shared data, only metadata.

Counts below THB_STATISTICS_MIN_CELL are suppressed, and so are medians computed
from fewer referrals than that.
"""

from collections import Counter
from statistics import median

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth

from referrals.models import Purpose, Referral, ReferralStatus


def _suppressed(counter: Counter, k: int) -> list[tuple[str, int | None]]:
    return [(label, count if count >= k else None) for label, count in sorted(counter.items())]


def _median_hours(pairs, k: int) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(median(hours), 1) if len(hours) >= k else None


def referral_statistics(*, k: int | None = None) -> dict:
    k = k or settings.THB_STATISTICS_MIN_CELL
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT).order_by()
    by_route = Counter(
        {
            f"{row['sending_state__code']} → {row['receiving_state__code']}": row["n"]
            for row in sent.values("sending_state__code", "receiving_state__code").annotate(n=Count("pk"))
        }
    )
    purposes = dict(Purpose.choices)
    by_purpose = Counter({purposes[r["purpose"]]: r["n"] for r in sent.values("purpose").annotate(n=Count("pk"))})
    statuses = dict(ReferralStatus.choices)
    by_status = Counter({statuses[r["status"]]: r["n"] for r in sent.values("status").annotate(n=Count("pk"))})
    by_month = Counter(
        {
            r["month"].strftime("%Y-%m"): r["n"]
            for r in sent.annotate(month=TruncMonth("sent_at")).values("month").annotate(n=Count("pk"))
            if r["month"]
        }
    )
    return {
        "k": k,
        "total": sent.count(),
        "overdue_now": Referral.objects.overdue().count(),
        "by_route": _suppressed(by_route, k),
        "by_purpose": _suppressed(by_purpose, k),
        "by_status": _suppressed(by_status, k),
        "by_month": _suppressed(by_month, k),
        "median_hours_to_acknowledge": _median_hours(sent.values_list("sent_at", "acknowledged_at"), k),
        "median_hours_to_accept": _median_hours(sent.values_list("sent_at", "accepted_at"), k),
    }
