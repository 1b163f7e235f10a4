"""An attacker's view of a protected publication, written apart from core.disclosure so
that the tests do not grade the module by its own arithmetic.

`values` maps each key shown to its count, or None where the page shows it hidden;
`equations` are (total, parts) pairs, as the reader can tell them from the tables.
"""

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from itertools import combinations

Key = Hashable
Equations = Sequence[tuple[Key, Sequence[Key]]]


def _coefficients(total: Key, parts: Sequence[Key]) -> dict[Key, int]:
    row = {total: 1}
    for part in parts:
        row[part] = row.get(part, 0) - 1
    return row


def subtractions(values: Mapping[Key, int | None], equations: Equations) -> list[str]:
    """Every single equation, and every sum and difference of two, that leaves exactly one
    hidden term with the others visible: each such is a hidden count worked out."""
    return [f"{how} gives {key!r}" for how, key in _subtractions(values, equations)]


def recovered_by_subtraction(values: Mapping[Key, int | None], equations: Equations) -> set[Key]:
    return {key for _, key in _subtractions(values, equations)}


def _subtractions(values: Mapping[Key, int | None], equations: Equations) -> list[tuple[str, Key]]:
    rows = [_coefficients(total, parts) for total, parts in equations]
    found = []

    def check(row: dict[Key, int], how: str) -> None:
        hidden = [key for key, c in row.items() if c and values[key] is None]
        if len(hidden) == 1:
            found.append((how, hidden[0]))

    for index, row in enumerate(rows):
        check(row, f"equation {equations[index][0]!r}")
    for (i, first), (j, second) in combinations(enumerate(rows), 2):
        for sign in (1, -1):
            combined = dict(first)
            for key, c in second.items():
                combined[key] = combined.get(key, 0) + sign * c
            check(combined, f"{equations[i][0]!r} {'+' if sign > 0 else '-'} {equations[j][0]!r}")
    return found


def _reduced(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    """Reduced row echelon form, dense, column by column."""
    rows = [list(row) for row in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][column]
        rows[rank] = [value / lead for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column]:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rows[:rank]


def determined(values: Mapping[Key, int | None], equations: Equations) -> list[Key]:
    """The hidden keys fixed by the whole system: e_i is in the row space of the equations
    restricted to the hidden keys exactly when the reduced echelon form has e_i as a row."""
    hidden = sorted((key for key, value in values.items() if value is None), key=repr)
    rows = []
    for total, parts in equations:
        row = _coefficients(total, parts)
        rows.append([Fraction(row.get(key, 0)) for key in hidden])
    found = []
    for row in _reduced(rows) if hidden else []:
        nonzero = [index for index, value in enumerate(row) if value]
        if len(nonzero) == 1:
            found.append(hidden[nonzero[0]])
    return found
