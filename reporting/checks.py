"""The checks of a return, shown next to each value before the state submits: errors block
the submission, warnings ask for a second look.

- a number is never negative;
- every number indicator has a number, or is marked "not available" / "confidential" with a note;
- the parts of a breakdown add up to their total, unless the total's note explains why not
  (a victim of two forms of exploitation counts once in the total and under each form);
- a value that moves more than THB_REPORTING_CHANGE_WARNING (a share) from the state's
  validated figure of the year before gets a warning.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

ERROR = "error"
WARNING = "warning"


class IndicatorLike(Protocol):
    code: str
    label: str
    kind: str
    total_code: str
    breakdown: str


class ValueLike(Protocol):
    status: str
    number: int | None
    text: str
    note: str


@dataclass(frozen=True)
class Problem:
    code: str
    level: str
    message: str


def check_return(
    indicators: Iterable[IndicatorLike],
    values: Mapping[str, ValueLike],
    *,
    previous: Mapping[str, int] | None = None,
    change_warning: float = 0.5,
) -> list[Problem]:
    """Every problem of the values (by indicator code), in the indicators' order."""
    indicators = list(indicators)
    previous = previous or {}
    problems: list[Problem] = []
    parts: dict[tuple[str, str], list[IndicatorLike]] = defaultdict(list)
    for indicator in indicators:
        if indicator.total_code:
            parts[(indicator.total_code, indicator.breakdown)].append(indicator)
    for indicator in indicators:
        value = values.get(indicator.code)
        if indicator.kind != "number":
            continue
        problems += _value_problems(indicator, value)
        if value is None or value.status != "given" or value.number is None:
            continue
        before = previous.get(indicator.code)
        if before and abs(value.number - before) / before > change_warning:
            problems.append(
                Problem(
                    indicator.code,
                    WARNING,
                    f"{value.number:,} is {abs(value.number - before) / before:.0%} "
                    f"{'more' if value.number > before else 'less'} than last year's {before:,}: please check it.",
                )
            )
    for (total_code, breakdown), members in parts.items():
        total = values.get(total_code)
        if total is None or total.status != "given" or total.number is None:
            continue
        given = [values.get(member.code) for member in members]
        if any(v is None or v.status != "given" or v.number is None for v in given):
            continue  # a part not available: the sum cannot be checked
        added = sum(v.number for v in given if v is not None and v.number is not None)
        if added != total.number and not total.note.strip():
            problems.append(
                Problem(
                    total_code,
                    ERROR,
                    f"The breakdown by {breakdown} adds up to {added:,}, not {total.number:,}: correct it, "
                    "or explain the difference in the total's note.",
                )
            )
    order = {indicator.code: position for position, indicator in enumerate(indicators)}
    return sorted(problems, key=lambda problem: order.get(problem.code, 0))


def _value_problems(indicator: IndicatorLike, value: ValueLike | None) -> list[Problem]:
    if value is None or (value.status == "given" and value.number is None):
        return [Problem(indicator.code, ERROR, "Give a number, or mark it not available or confidential.")]
    if value.status == "given" and value.number is not None and value.number < 0:
        return [Problem(indicator.code, ERROR, "A number cannot be negative.")]
    if value.status in ("not_available", "confidential") and not value.note.strip():
        return [Problem(indicator.code, ERROR, "Say in the note why the figure is not given.")]
    return []


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.level == ERROR for problem in problems)
