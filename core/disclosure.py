"""Which counts of a statistic may be shown: small-cell and secondary suppression.

Every statistic built from case or referral data goes through `protect` (DESIGN.md
section 7), so that a count of a few victims cannot be read off a page or an export,
neither directly nor by differencing the cells and totals shown together.

The model
---------
A *publication* is everything shown together: one page (with every view its
parameters can select, since a reader can request them all) or one export. It is a
set of counts, each under a key, and the equations that hold between them: every
row or column of a table whose total is shown gives ``total = sum(parts)``. Tables
that show the same count use the same key (the same state's total in the tables by
gender and by year), which links their equations; that link is how a hidden cell of
one table was worked out from another before.

An equation that only *might* hold (a case with two forms of exploitation counts once
in a state's total and once under each form) may be declared as if it held: a false
equation can only hide more, never reveal, because the attacker's real system is the
declared one plus an unknown term.

The rules
---------
1. Primary: a count of 1 to k-1 is hidden (CTDC publishes with k = 11). A 0 is shown,
   as CTDC does: it names nobody, and blanking every empty cell would hide most of a
   sparse table. The price is that readers know every hidden count is at least 1
   (bar the zeros rule 2 may hide as a last resort), which rule 3 accounts for.
2. An equation with exactly one hidden term gives it away (the total minus the visible
   parts), so a second term is hidden: the smallest visible non-zero part, otherwise the
   total (otherwise, when the total is known elsewhere, a 0). Repeated until no equation
   has exactly one hidden term.
3. As hidden counts are at least 1, hidden parts whose known sum equals their number are
   all 1: such an equation gets one more term hidden, as in rule 2.
4. Combinations of equations (a row plus a row minus a column) can isolate a term that no
   single equation does. The exact test: with the visible terms known, a hidden term is
   determined exactly when its unit vector lies in the row space of the equations
   restricted to the hidden terms (exact Gauss-Jordan elimination). Each term so
   determined gets one more visible term of its equations hidden; then back to rule 2.

Counts the reader can learn elsewhere (the secretariat can count the cases of a state and
year in its admin list) are passed as `known`: they are shown hidden when small, like any
count, but the analysis treats them as visible, and never hides them to protect another.

Everything is deterministic: ties go to the count given first. What this does not
audit: bounds from several equations together (beyond rule 3), and differences between
two separate publications by itself: a caller that publishes the same table again after
a change passes the earlier publication's equations in, over terms of their own for the
counts that changed, with what it showed as `known` (reporting.figures does).
"""

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from math import gcd

Key = Hashable

# How a hidden count is shown, on pages and in exports alike. The same marker for a small
# cell and for one hidden to protect it, so that a reader cannot tell which is which.
HIDDEN = "c"


def hidden_note(k: int) -> str:
    """The sentence shown next to each protected table."""
    if k <= 1:
        return "No count is hidden."
    return (
        f"“{HIDDEN}”: hidden. Counts from 1 to {k - 1} are hidden, and so are some other counts and totals, "
        "so that no hidden count can be worked out from the counts shown together."
    )


@dataclass(frozen=True)
class Equation:
    """``total = sum(parts)``, between keys of one publication."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def terms(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Protected:
    """The counts of a publication and which of them are hidden."""

    k: int
    counts: Mapping[Key, int]
    hidden: frozenset[Key]

    def value(self, key: Key) -> int | None:
        """The count to show, or None for a hidden one."""
        return None if key in self.hidden else self.counts[key]


def is_small(count: int, k: int) -> bool:
    """Primary suppression: counts of 1 to k-1. A 0 is shown (see the module's notes)."""
    return 0 < count < k


def protect(
    counts: Mapping[Key, int],
    equations: Iterable[Equation],
    *,
    k: int,
    known: Iterable[Key] = (),
    withheld: Iterable[Key] = (),
) -> Protected:
    """Hide the small counts and enough others that no hidden count can be worked out,
    even by a reader who knows the `known` counts from elsewhere.

    `withheld` are terms of the equations that are never shown and whose values are not
    given at all (a state's "confidential" or "not available" answer): hidden from the
    start, so that an equation holding one of them gets a second term hidden like any other
    (a confidential total is not the sum of its shown parts, a confidential part not the
    total minus the others)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    withheld = frozenset(withheld)
    if withheld - set(counts):
        # Their values are never read: a withheld term is hidden throughout, and only the
        # visible terms' counts decide what else to hide.
        counts = {**counts, **dict.fromkeys(withheld - set(counts), 0)}
    system = list(equations)
    unknown = {term for equation in system for term in equation.terms if term not in counts}
    if unknown:
        raise ValueError(f"equations name counts that were not given: {sorted(map(repr, unknown))[:5]}")
    if any(count < 0 for count in counts.values()):
        raise ValueError("counts cannot be negative")
    order = {key: index for index, key in enumerate(counts)}
    containing: dict[Key, list[int]] = defaultdict(list)
    for index, equation in enumerate(system):
        for term in set(equation.terms):
            containing[term].append(index)
    known = frozenset(known)
    search = _Search(counts=counts, order=order, system=system, containing=containing, known=known)

    small = {key for key, count in counts.items() if is_small(count, k)} | withheld
    hidden = small - known  # what the reader cannot see, nor learn elsewhere
    while True:
        search.close(hidden)
        determined = determined_terms(hidden, system)
        if not determined:
            break
        covers = (search.cover(term, hidden) for term in sorted(determined, key=order.__getitem__))
        extra = {cover for cover in covers if cover is not None}
        if not extra:
            # Every count linked to the determined ones is hidden or known elsewhere:
            # nothing more on this page can help (only equations declared although they do
            # not hold, or known counts that determine a cell by themselves, lead here).
            break
        hidden |= extra
    return Protected(k=k, counts=dict(counts), hidden=frozenset(hidden | small))


@dataclass
class _Search:
    counts: Mapping[Key, int]
    order: Mapping[Key, int]
    system: list[Equation]
    containing: Mapping[Key, list[int]]
    known: frozenset[Key]

    def _rank(self, key: Key) -> tuple[int, int]:
        return (self.counts[key], self.order[key])

    def second(self, equation: Equation, hidden: set[Key], *, zeros: bool = True) -> Key | None:
        """The term to hide next in an equation: its smallest visible non-zero part, else its
        total, else (if `zeros`) a zero part, else a zero total."""
        # Hiding a count the reader knows anyway would protect nothing.
        parts = [p for p in equation.parts if p not in hidden and p not in self.known and self.counts[p] > 0]
        if parts:
            return min(parts, key=self._rank)
        total = equation.total
        if total not in hidden and total not in self.known and self.counts[total] > 0:
            return total
        # Last resort, when the total is known elsewhere: a 0, so that the reader cannot
        # tell which of the hidden cells hold the total (a state whose cases are all women).
        empty = [t for t in equation.terms if t not in hidden and t not in self.known] if zeros else []
        return min(empty, key=lambda t: (t == total, *self._rank(t))) if empty else None

    def exposed(self, equation: Equation, hidden: set[Key]) -> bool:
        """Rules 2 and 3: does this equation alone give a hidden term away?"""
        terms = set(equation.terms)
        hidden_terms = terms & hidden
        if len(hidden_terms) == 1:
            return True
        if not hidden_terms or equation.total in hidden:
            return False
        # The hidden parts' sum is known; each is at least 1, so a sum no larger than their
        # number pins them all to 1. (Smaller sums only come from equations declared to be
        # safe that do not hold; treating them alike only hides more.)
        hidden_parts = [part for part in equation.parts if part in hidden]
        known_sum = self.counts[equation.total] - sum(
            self.counts[part] for part in equation.parts if part not in hidden
        )
        return known_sum <= len(hidden_parts)

    def close(self, hidden: set[Key]) -> None:
        """Apply rules 2 and 3 until no single equation gives anything away."""
        queue = deque(range(len(self.system)))
        queued = set(queue)
        while queue:
            index = queue.popleft()
            queued.discard(index)
            equation = self.system[index]
            if not self.exposed(equation, hidden):
                continue
            term = self.second(equation, hidden)
            if term is None:
                continue
            hidden.add(term)
            for other in self.containing[term]:
                if other not in queued:
                    queue.append(other)
                    queued.add(other)

    def cover(self, term: Key, hidden: set[Key]) -> Key | None:
        """Rule 4: one more term to hide for a determined one, from its own equations first,
        then from the equations of the hidden terms linked to it, outwards; a 0 only if no
        other count is left to hide."""
        found = self._nearest(term, hidden, zeros=False)
        return found if found is not None else self._nearest(term, hidden, zeros=True)

    def _nearest(self, term: Key, hidden: set[Key], *, zeros: bool) -> Key | None:
        seen_terms: set[Key] = {term}
        seen_equations: set[int] = set()
        frontier = [term]
        while frontier:
            equations = sorted({i for t in frontier for i in self.containing[t]} - seen_equations)
            seen_equations.update(equations)
            candidates = [c for i in equations if (c := self.second(self.system[i], hidden, zeros=zeros)) is not None]
            if candidates:
                # Parts before totals: a total is usually shared by more tables.
                return min(candidates, key=lambda c: (c in {self.system[i].total for i in equations}, *self._rank(c)))
            frontier = [t for i in equations for t in self.system[i].terms if t in hidden and t not in seen_terms]
            seen_terms.update(frontier)
        return None


def determined_terms(hidden: Iterable[Key], equations: Iterable[Equation]) -> frozenset[Key]:
    """The hidden terms whose value follows from the visible ones through the equations.

    Restricted to the hidden terms, each equation is a row; a term is determined exactly
    when its unit vector is in the rows' span, that is when the reduced row echelon form
    has a row with that term alone. Sparse Gauss-Jordan elimination, exact: rows are kept
    as integers divided by their greatest common divisor (several times faster than
    fractions, and no less exact).
    """
    hidden = set(hidden)
    pivots: dict[Key, dict[Key, int]] = {}
    holders: dict[Key, set[Key]] = defaultdict(set)  # term -> pivots whose row holds it
    for equation in equations:
        row: dict[Key, int] = {}
        for term, coefficient in ((equation.total, 1), *((part, -1) for part in equation.parts)):
            if term in hidden:
                row[term] = row.get(term, 0) + coefficient
        row = {term: value for term, value in row.items() if value}
        # Existing pivot rows are fully reduced, so eliminating them brings in no pivot term.
        for pivot in [term for term in row if term in pivots]:
            _eliminate(row, pivot, pivots[pivot], None, holders)
        if not row:
            continue
        pivot = next(iter(row))
        for other in list(holders.pop(pivot, ())):
            _eliminate(pivots[other], pivot, row, other, holders)
        pivots[pivot] = row
        for term in row:
            if term != pivot:
                holders[term].add(pivot)
    return frozenset(pivot for pivot, row in pivots.items() if len(row) == 1)


def _eliminate(
    target: dict[Key, int],
    term: Key,
    source: Mapping[Key, int],
    target_pivot: Key | None,
    holders: dict[Key, set[Key]],
) -> None:
    """target := a * target - b * source, with the smallest a and b that take `term` out of
    target, then divided by the gcd of its coefficients; `holders` is kept right when target
    is a pivot row."""
    divisor = gcd(source[term], target[term])
    a, b = source[term] // divisor, target[term] // divisor
    if a != 1:
        for key in target:
            target[key] *= a
    for key, value in source.items():
        new = target.get(key, 0) - b * value
        if new:
            if target_pivot is not None and key not in target and key != target_pivot:
                holders[key].add(target_pivot)
            target[key] = new
        elif key in target:
            del target[key]
            if target_pivot is not None:
                holders[key].discard(target_pivot)
    divisor = gcd(*target.values())
    if divisor > 1:
        for key in target:
            target[key] //= divisor
