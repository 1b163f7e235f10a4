"""Anonymised referral statistics for the secretariat: no shared data, only metadata.

The four tables (by route, purpose, status and month sent) all add up to the number
of referrals sent, which the page shows too, so they are protected together through
core.disclosure: counts of 1 to k-1 (THB_STATISTICS_MIN_CELL) are hidden, and so
are enough others that no hidden count is the total minus the visible ones. Medians
computed from fewer than k referrals are hidden as well.

Periods. The page shows all years or one calendar year of sending, never a free date
range: two overlapping ranges could be subtracted to give a small count. Each year's
tables add up to the year's total, the years of a row add up to its all-years count,
and the years' totals to the all-years total; all of it is one publication, protected
together, so subtracting one year from all years gives nothing hidden away either. A
month lies in one year, so it is the same count in the all-years table and its year's.
"""

from collections import Counter
from dataclasses import dataclass
from statistics import median

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractYear, TruncMonth

from core.disclosure import HIDDEN, Equation, Key, Protected, hidden_note, protect
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
MONTHS = "by_month"


def _median_hours(pairs, k: int) -> float | None:
    hours = [(end - start).total_seconds() / 3600 for start, end in pairs if start and end]
    return round(median(hours), 1) if len(hours) >= k else None


def _sent():
    return Referral.objects.exclude(status=ReferralStatus.DRAFT).order_by()


def total_key(year: int | None) -> Key:
    return TOTAL if year is None else ("total", year)


def overdue_key(year: int | None) -> Key:
    return OVERDUE if year is None else ("overdue", year)


def cell_key(table: str, label: str, year: int | None) -> Key:
    # A month lies in one year: its count is one key, whichever period shows it.
    return (table, label) if year is None or table == MONTHS else (table, label, year)


def _counts() -> tuple[dict[str, Counter], Counter]:
    """Each table's counts by (label, year of sending), and the overdue referrals by year
    (five queries, whatever the number of referrals). The year is None for a sent referral
    without a sending time."""
    sent = _sent().annotate(year=ExtractYear("sent_at"))
    purposes = dict(Purpose.choices)
    statuses = dict(ReferralStatus.choices)
    routes = sent.values("sending_state__code", "receiving_state__code", "year").annotate(n=Count("pk"))
    by_purpose = sent.values("purpose", "year").annotate(n=Count("pk"))
    by_status = sent.values("status", "year").annotate(n=Count("pk"))
    tables = {
        "by_route": Counter(
            {(f"{r['sending_state__code']} → {r['receiving_state__code']}", r["year"]): r["n"] for r in routes}
        ),
        "by_purpose": Counter({(purposes[r["purpose"]], r["year"]): r["n"] for r in by_purpose}),
        "by_status": Counter({(statuses[r["status"]], r["year"]): r["n"] for r in by_status}),
        # A sent referral without a sending time would be missing here; declaring the
        # equation anyway only hides more (see core.disclosure).
        MONTHS: Counter(
            {
                (r["month"].strftime("%Y-%m"), r["month"].year): r["n"]
                for r in _sent().annotate(month=TruncMonth("sent_at")).values("month").annotate(n=Count("pk"))
                if r["month"]
            }
        ),
    }
    overdue = Counter(
        {
            r["year"]: r["n"]
            for r in Referral.objects.overdue()
            .order_by()
            .annotate(year=ExtractYear("sent_at"))
            .values("year")
            .annotate(n=Count("pk"))
        }
    )
    return tables, overdue


@dataclass(frozen=True)
class ReferralPublication:
    """Every count the statistics page can show, in every period, protected together."""

    protected: Protected
    labels: dict[str, list[tuple[str, int | None]]]  # each table's (label, year) in display order
    years: list[int]  # the years that hold sent referrals

    @property
    def k(self) -> int:
        return self.protected.k

    def view(self, year: int | None = None) -> dict:
        """What the page shows of one year, or (None) of all years, with the period's medians
        (one or two queries)."""
        k, value = self.k, self.protected.value
        shown = {}
        for name in TABLES:
            labels = dict.fromkeys(
                label for label, label_year in self.labels[name] if year is None or name != MONTHS or label_year == year
            )
            shown[name] = [(label, value(cell_key(name, label, year))) for label in labels]
        sent = _sent() if year is None else _sent().filter(sent_at__year=year)
        return {
            "k": k,
            "year": year,
            "marker": HIDDEN,
            "note": hidden_note(k),
            "total": value(total_key(year)),
            "overdue_now": value(overdue_key(year)),
            **shown,
            "tables": [(caption, heading, shown[name]) for name, (caption, heading) in TABLES.items()],
            "median_hours_to_acknowledge": _median_hours(sent.values_list("sent_at", "acknowledged_at"), k),
            "median_hours_to_accept": _median_hours(sent.values_list("sent_at", "accepted_at"), k),
        }


def referral_publication(*, k: int | None = None) -> ReferralPublication:
    k = k or settings.THB_STATISTICS_MIN_CELL
    tables, overdue = _counts()
    # Purpose has one value per referral, so its counts give each year's number sent.
    by_year: Counter = Counter()
    for (_, year), n in tables["by_purpose"].items():
        by_year[year] += n
    years = sorted(year for year in by_year if year is not None)
    counts: dict[Key, int] = {TOTAL: sum(by_year.values()), OVERDUE: sum(overdue.values())}
    counts |= {total_key(year): by_year[year] for year in years}
    counts |= {overdue_key(year): overdue[year] for year in years}
    equations = [Equation(TOTAL, tuple(total_key(year) for year in years))]
    labels = {}
    for name in TABLES:
        labels[name] = sorted(tables[name])
        if name == MONTHS:
            counts |= {cell_key(name, label, None): n for (label, _), n in tables[name].items()}
            months = [label for label, _ in labels[name]]
            equations.append(Equation(TOTAL, tuple(cell_key(name, label, None) for label in months)))
            for year in years:
                parts = tuple(cell_key(name, label, None) for label, label_year in labels[name] if label_year == year)
                equations.append(Equation(total_key(year), parts))
            continue
        names = sorted({label for label, _ in labels[name]})
        # Every label in every year, zeros included, so that each equation is whole.
        for label in names:
            counts[cell_key(name, label, None)] = sum(tables[name][(label, y)] for y in [*years, None])
            counts |= {cell_key(name, label, year): tables[name][(label, year)] for year in years}
            equations.append(Equation(cell_key(name, label, None), tuple(cell_key(name, label, y) for y in years)))
        equations.append(Equation(TOTAL, tuple(cell_key(name, label, None) for label in names)))
        for year in years:
            equations.append(Equation(total_key(year), tuple(cell_key(name, label, year) for label in names)))
        labels[name] = [(label, None) for label in names]
    # The overdue counts are parts of "Sent", but of no equation of the tables: they are
    # held to k, and the years' add up to all years'.
    equations.append(Equation(OVERDUE, tuple(overdue_key(year) for year in years)))
    return ReferralPublication(protected=protect(counts, equations, k=k), labels=labels, years=years)


def referral_statistics(*, k: int | None = None, year: int | None = None) -> dict:
    return referral_publication(k=k).view(year)
