"""The public facts and figures: live counts plus the totals recorded before the portal.

"People trained" counts participants who attended (status attended), by the training's
audience, member state and year (of its first session), plus HistoricalTotal rows.
Every figure is an SQL aggregate; the whole is cached, and dropped whenever a row the
figures read changes (core.figures: each app names its models from its AppConfig.ready()).
"""

from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone

from core.figures import FACTS_CACHE_KEY, public_counts
from members.models import MemberState
from trainings.models import Audience, HistoricalTotal, Registration, Training, TrainingStatus

# A safety net only: every change that the figures count drops the cache (core.figures).
FACTS_TIMEOUT = 60 * 60


def _merge(*pairs) -> dict:
    merged: dict = {}
    for rows in pairs:
        for key, value in rows:
            merged[key] = merged.get(key, 0) + (value or 0)
    return merged


def _bars(counts: dict, labels: dict) -> list[dict]:
    rows = [{"key": key, "label": labels.get(key, key), "count": count} for key, count in counts.items() if count]
    top = max((row["count"] for row in rows), default=0)
    for row in rows:
        # Width in percent for the server-side SVG bars.
        row["width"] = round(100 * row["count"] / top, 1) if top else 0
    return rows


def compute_facts(now=None) -> dict:
    now = now or timezone.now()
    # Attendance marked before a training was cancelled does not make anyone trained, and a
    # training that has not begun trains nobody yet (whatever its statuses say).
    today = timezone.localdate(now)
    attended = (
        Registration.objects.attended()
        .exclude(training__status=TrainingStatus.CANCELLED)
        .filter(training__starts_on__lte=today)
        .order_by()
    )
    # Historical totals are a few rows per audience and year: one query, summed here.
    historical = list(
        HistoricalTotal.objects.values_list(
            "audience", "year", "member_state__code", "people_trained", "trainings_held"
        )
    )
    by_audience = _merge(
        attended.values_list("training__audience").annotate(n=Count("pk")),
        [(audience, people) for audience, _, _, people, _ in historical],
    )
    by_state = _merge(
        attended.filter(training__member_state__isnull=False)
        .values_list("training__member_state__code")
        .annotate(n=Count("pk")),
        [(state, people) for _, _, state, people, _ in historical if state],
    )
    by_year = _merge(
        attended.filter(training__starts_on__isnull=False)
        .annotate(year=ExtractYear("training__starts_on"))
        .values_list("year")
        .annotate(n=Count("pk")),
        [(year, people) for _, year, _, people, _ in historical],
    )
    live_held = Training.objects.held().filter(starts_on__lte=today).count()
    historical_held = sum(held for *_, held in historical)
    state_names = dict(MemberState.objects.values_list("code", "name"))
    audience_order = {key: index for index, key in enumerate(Audience.values)}
    # Registered by those apps (core.figures.count_publicly); None where an app registers none.
    published = public_counts()
    return {
        "people_trained": sum(by_audience.values()),
        "trainings_held": live_held + historical_held,
        "by_audience": sorted(
            _bars(by_audience, dict(Audience.choices)), key=lambda row: audience_order.get(row["key"], 99)
        ),
        "by_state": sorted(_bars(by_state, state_names), key=lambda row: row["label"]),
        "by_year": sorted(_bars(by_year, {}), key=lambda row: row["key"]),
        "publications": published.get("publications"),
        "projects": published.get("projects"),
    }


def facts_and_figures() -> dict[str, Any]:
    facts = cache.get_or_set(FACTS_CACHE_KEY, compute_facts, FACTS_TIMEOUT)
    # get_or_set answers what compute_facts gave when the cache had nothing; its types allow None.
    return facts if facts is not None else compute_facts()
