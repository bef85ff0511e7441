"""Which readings the gate is tried under: each value on its own, and a pairwise covering set
(every two values of any two readings appear together in at least one emulator)."""

from __future__ import annotations

from itertools import combinations

from u4b_vouchers.emulator import known_readings
from u4b_vouchers.spec import Spec


def reading_values(spec: Spec) -> dict[str, tuple[str, ...]]:
    """Every reading's values, the default first (a numeric reading also takes ``3``)."""
    found = {}
    for reading in known_readings(spec).values():
        values = (*reading.values, *(["3"] if reading.numeric else []))
        found[reading.name] = (reading.default, *(v for v in values if v != reading.default))
    return dict(sorted(found.items()))


def single_readings(spec: Spec) -> list[dict[str, str]]:
    """One emulator per value that is not a default, with every other reading at its default."""
    return [{name: value} for name, values in reading_values(spec).items() for value in values[1:]]


def pairwise(spec: Spec) -> list[dict[str, str]]:
    """A covering set built greedily and deterministically: each row starts from the first pair
    not yet covered and gives every other reading the value that covers most new pairs."""
    values = reading_values(spec)
    names = list(values)
    uncovered = {((a, x), (b, y)) for a, b in combinations(names, 2) for x in values[a] for y in values[b]}
    rows: list[dict[str, str]] = []
    while uncovered:
        (a, x), (b, y) = min(uncovered)
        row = {a: x, b: y}
        for name in names:
            if name in row:
                continue
            row[name] = max(
                values[name],
                key=lambda v: sum(
                    ((min((name, v), (other, w)), max((name, v), (other, w))) in uncovered) for other, w in row.items()
                ),
            )
        for first, second in combinations(sorted(row.items()), 2):
            uncovered.discard((first, second))
        rows.append(row)
    return rows


def changed(row: dict[str, str], spec: Spec) -> dict[str, str]:
    """``row`` without the readings at their defaults."""
    values = reading_values(spec)
    return {name: value for name, value in row.items() if value != values[name][0]}
