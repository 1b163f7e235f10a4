"""What a size's runs come to, and the tables the benchmark prints."""

import statistics
from dataclasses import dataclass, field

from tools.bench.load import Run
from tools.bench.pages import Page

# --- results --------------------------------------------------------------------------------------


@dataclass
class PageResult:
    page: Page
    runs: list[Run] = field(default_factory=list)
    queries: int = 0
    writes: int = 0

    @property
    def p50_ms(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99_ms(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def requests_per_second(self) -> float:
        return statistics.median(run.requests_per_second for run in self.runs)


@dataclass
class SizeResult:
    size: str
    pages: list[PageResult]
    # The floor's runs, by how they were measured ("wrk", "own/1"): a page is divided by its kind.
    floors: dict[str, list[Run]]

    def floor_p50(self, tool: str) -> float:
        return statistics.median(run.p50_ms for run in self.floors[tool])

    def ratio(self, result: PageResult) -> float:
        return result.p50_ms / self.floor_p50(result.runs[0].tool)


# --- the tables ----------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _times(value: float) -> str:
    return f"{value:,.1f}×" if value < 100 else f"{value:,.0f}×"


def size_table(result: SizeResult) -> str:
    floors = ", ".join(
        f"{_ms(result.floor_p50(tool))} ({tool}, {statistics.median(r.requests_per_second for r in runs):,.0f} req/s)"
        for tool, runs in result.floors.items()
    )
    header = ("page", "req/s", "p50", "p99", "queries", "writes", "p50/floor")
    rows = [
        (
            r.page.name,
            f"{r.requests_per_second:,.1f}",
            _ms(r.p50_ms),
            _ms(r.p99_ms),
            str(r.queries),
            str(r.writes),
            _times(result.ratio(r)),
        )
        for r in result.pages
    ]
    worst = max(result.pages, key=result.ratio)
    most = max(result.pages, key=lambda r: r.queries)
    lines = [f"size {result.size}: the floor's p50 {floors}", _table(header, rows)]
    errors = [
        f"{r.page.name}: {sum(run.errors for run in r.runs)}" for r in result.pages if any(x.errors for x in r.runs)
    ]
    if errors:
        lines.append("failed requests: " + ", ".join(errors))
    worst_line = f"worst p50/floor: {_times(result.ratio(worst))} ({worst.page.name})"
    lines.append(f"{worst_line}; queries: {most.queries} ({most.page.name})")
    return "\n".join(lines)


def growth_table(small: SizeResult, large: SizeResult) -> str:
    header = ("page", f"p50 at {small.size}", f"p50 at {large.size}", f"p50/floor at {large.size}", "growth")
    pairs = list(zip(small.pages, large.pages, strict=True))
    rows = [
        (a.page.name, _ms(a.p50_ms), _ms(b.p50_ms), _times(large.ratio(b)), _times(b.p50_ms / a.p50_ms))
        for a, b in pairs
    ]
    worst_small, worst_large = max(pairs, key=lambda pair: pair[1].p50_ms / pair[0].p50_ms)
    growth = worst_large.p50_ms / worst_small.p50_ms
    return "\n".join(
        [
            f"growth from {small.size} to {large.size}",
            _table(header, rows),
            f"worst growth: {_times(growth)} ({worst_large.page.name})",
        ]
    )


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells))
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
