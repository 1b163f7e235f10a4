"""What the public sees of the region's figures: the publications kept, one year at a time.

Every change to a year's validated figures (a validation, a reopening, a call closed) records
that year's public cells, computed by reporting.figures against every earlier publication of
the year, when they differ from its last one; the pages show each year's newest publication
and never compute one (so no GET writes, and what a page shows is always what was recorded).
A change of k (THB_STATISTICS_MIN_CELL) is published by `refresh`, which runs after every
`migrate` (a deploy) and records each year whose cells, k or completeness differ.

A kept cell is [indicator code, state code or "region", the number or the "not given" label,
shown, the validation it comes from].
"""

import uuid
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max

from core.disclosure import HIDDEN, hidden_note
from members.models import MemberState
from reporting.figures import (
    PENDING,
    PENDING_NOTE,
    REGION,
    Figures,
    Table,
    number_indicators,
    public_cells,
    region_totals,
    trend,
    validated_figures,
)
from reporting.models import DataCall, Indicator, Publication, ReturnStatus


def record(years: Iterable[int]) -> int:
    """Record each year's public cells where they differ from that year's last publication;
    run in the transaction of the change. Each year is computed on its own (its equations
    never reach another year), against that year's publications only."""
    years = sorted(set(years))
    if not years:
        return 0
    k = settings.THB_STATISTICS_MIN_CELL
    indicators = number_indicators()
    kept: dict[int, list[Publication]] = {}
    for publication in Publication.objects.filter(year__in=years).order_by("year", "published_at", "id"):
        kept.setdefault(publication.year, []).append(publication)
    made = []
    for year in years:
        figures = validated_figures(years=[year])
        earlier = kept.get(year, [])
        cells = publication_cells(figures, indicators, k=k, earlier=earlier)
        complete = year in figures.complete_years
        last = earlier[-1] if earlier else None
        if last is None and not cells:
            continue
        if last is not None and (last.cells, last.k, last.complete) == (cells, k, complete):
            continue
        made.append(Publication(year=year, cells=cells, k=k, complete=complete))
    Publication.objects.bulk_create(made)
    return len(made)


def publication_cells(
    figures: Figures, indicators: list[Indicator], *, k: int, earlier: list[Publication]
) -> list[list[Any]]:
    """The cells a publication of `figures` (one year's) keeps, protected against `earlier`."""
    if not figures.years:
        return []
    shown = public_cells(figures, indicators, k=k, earlier=earlier)
    values: dict[Any, Any] = {**figures.not_given, **figures.numbers}
    values.update(region_totals(figures, indicators, sorted(figures.complete_years)))
    cells = []
    for key, display in sorted(shown.items()):
        value = values.get(key)
        if value is not None:
            cells.append([key[0], key[1], value, isinstance(display, int), figures.version(key)])
    return cells


def refresh() -> int:
    """Record every year that has validated figures or a publication (after a migrate: the
    first publications of data validated before they were kept, and a change of k)."""
    validated = DataCall.objects.filter(returns__status=ReturnStatus.VALIDATED).values_list("year", flat=True)
    published = Publication.objects.values_list("year", flat=True)
    with transaction.atomic():
        made = record({*validated, *published})
    if made:
        public_figures_changed()
    return made


def latest_publications() -> list[Publication]:
    """Each year's newest publication, oldest year first (one query)."""
    newest = Publication.objects.values("year").annotate(newest=Max("id")).values("newest")
    return list(Publication.objects.filter(id__in=newest).order_by("year"))


def published_tables() -> list[Table]:
    """Every number indicator's public table, from each year's newest publication."""
    publications = [one for one in latest_publications() if one.cells]
    indicators = number_indicators()
    years = [one.year for one in publications]
    cells: dict[tuple[str, str, int], object] = {}
    codes: set[str] = set()
    for publication in publications:
        for code, state, value, was_shown, *_ in publication.cells:
            cells[(code, state, publication.year)] = value if was_shown or not isinstance(value, int) else HIDDEN
            if state != REGION:
                codes.add(state)
    states = list(MemberState.objects.filter(code__in=codes).order_by("name").values_list("code", "name"))
    complete = {one.year for one in publications if one.complete}

    def shown(key: tuple[str, str, int]) -> object:
        if key in cells:
            return cells[key]
        return PENDING if key[1] == REGION and key[2] not in complete else ""

    tables = []
    k = min((one.k for one in publications), default=settings.THB_STATISTICS_MIN_CELL)
    note = hidden_note(k) + (f" {PENDING_NOTE}" if len(complete) < len(years) else "")
    for indicator in indicators:
        rows = [(name, [shown((indicator.code, code, year)) for year in years]) for code, name in states]
        total = [shown((indicator.code, REGION, year)) for year in years]
        tables.append(
            Table(
                indicator=indicator,
                years=years,
                rows=rows,
                total=total,
                note=note,
                codes=tuple(code for code, _ in states),
            )
        )
    return tables


# Versioned with the shape of Table: tables kept by an earlier release are never read.
PUBLIC_TABLES_KEY = "reporting:public-tables:v3"
# The publication's current token: a change (public_figures_changed) replaces it, so tables
# read from what the database held before are stored under a token no one reads again,
# however the reading and the change interleave.
PUBLIC_TOKEN_KEY = "reporting:public-tables:token"  # noqa: S105 - a cache key, not a secret
KEPT_SECONDS = 24 * 60 * 60


def _public_token() -> str:
    token = cache.get(PUBLIC_TOKEN_KEY)
    if token is None:
        cache.add(PUBLIC_TOKEN_KEY, uuid.uuid4().hex, None)
        token = cache.get(PUBLIC_TOKEN_KEY) or ""
    return token


def _kept_prefix() -> str:
    # The token is read before the database, so that a change committed meanwhile drops these.
    return f"{PUBLIC_TABLES_KEY}:{_public_token()}"


def _read_and_keep(prefix: str) -> list[Table]:
    tables = published_tables()
    cache.set_many({f"{prefix}:{one.indicator.code}": one for one in tables}, KEPT_SECONDS)
    # The index last: whoever finds it finds every table it names.
    cache.set(f"{prefix}:index", [one.indicator for one in tables], KEPT_SECONDS)
    return tables


def public_indicators() -> list[Indicator]:
    """The indicators the public tables are of (for a page's choice of table), kept with them."""
    prefix = _kept_prefix()
    index = cache.get(f"{prefix}:index")
    if index is None:
        return [one.indicator for one in _read_and_keep(prefix)]
    return index


def cached_public_tables(codes: Iterable[str] | None = None) -> list[Table]:
    """The public tables (of the indicators `codes` only, when given), kept until a new
    publication or indicator set is committed: no query at all while they are kept. Each
    table is kept under its own key, so a page reads (and unpickles) only the tables it
    shows, however many years they hold."""
    prefix = _kept_prefix()
    index = cache.get(f"{prefix}:index")
    wanted = set(codes) if codes is not None else None
    if index is not None:
        keys = [f"{prefix}:{one.code}" for one in index if wanted is None or one.code in wanted]
        found = cache.get_many(keys)
        if len(found) == len(keys):
            return [found[key] for key in keys]
    return [one for one in _read_and_keep(prefix) if wanted is None or one.indicator.code in wanted]


def public_figures_changed() -> None:
    """A new token once the publication (or indicator set) that changes the tables is committed."""
    transaction.on_commit(partial(cache.set, PUBLIC_TOKEN_KEY, uuid.uuid4().hex, None))


def region_identified_victims() -> list[dict[str, object]]:
    """The region's identified victims per year, as published (for Facts and figures)."""
    table = next(iter(cached_public_tables(["victims.identified"])), None)
    return trend(table.total, table.years) if table else []
