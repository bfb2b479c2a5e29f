"""Where the words of one category are in a text, indexed so that every question the analyser
asks about them ("is there one in this clause?", "the nearest within 24 characters", "a
negation ending just before here") costs a binary search, not a walk over every hit.

A long text (an attack, a document) holds hundreds of thousands of hits; the questions are
asked once per candidate finding, so walking the hits of a clause or a sentence each time made
the checker quadratic in the length of a text without punctuation or full of warnings.

The hits keep the order they were found in (``seq``): where two hits answer a question equally
well, the one found first wins, as it did when the hits were kept in lists.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple


class Hit(NamedTuple):
    """Words of one category at ``[start, end)`` of the normalised text (a tuple: cheap to
    make, and a long text holds hundreds of thousands)."""

    category: str
    start: int
    end: int


class Hits:
    """The hits of one category: ``starts``/``ends`` in the order found; sorted by start (ties
    in the order found) on first question."""

    __slots__ = ("_by_start", "_longest", "_s_ends", "_s_starts", "category", "ends", "starts")

    def __init__(self, category: str) -> None:
        self.category = category
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._by_start: list[int] | None = None  # positions in found order, sorted by start
        self._s_starts: list[int] = []
        self._s_ends: list[int] = []
        self._longest = 0

    def __len__(self) -> int:
        return len(self.starts)

    def hit(self, seq: int) -> Hit:
        """The ``seq``-th hit found."""
        return Hit(self.category, self.starts[seq], self.ends[seq])

    def _sorted(self) -> list[int]:
        order = self._by_start
        if order is None:
            starts, ends = self.starts, self.ends
            order = sorted(range(len(starts)), key=starts.__getitem__)  # stable: ties keep seq
            self._s_starts = [starts[i] for i in order]
            self._s_ends = [ends[i] for i in order]
            self._longest = max((e - s for s, e in zip(starts, ends, strict=True)), default=0)
            self._by_start = order
        return order

    def any_in(self, lo: int, hi: int) -> bool:
        """Whether a hit starts in ``[lo, hi)``."""
        self._sorted()
        starts = self._s_starts
        i = bisect_left(starts, lo)
        return i < len(starts) and starts[i] < hi

    def starting_in(self, lo: int, hi: int) -> range:
        """Sorted positions (for ``start_at``/``end_at``) of the hits starting in ``[lo, hi)``."""
        self._sorted()
        return range(bisect_left(self._s_starts, lo), bisect_left(self._s_starts, hi))

    def start_at(self, i: int) -> int:
        return self._s_starts[i]

    def end_at(self, i: int) -> int:
        return self._s_ends[i]

    def overlapping(self, lo: int, hi: int, first: int, last: int) -> bool:
        """Whether a hit starting in ``[first, last)`` overlaps ``[lo, hi)``."""
        self._sorted()
        starts, ends = self._s_starts, self._s_ends
        for i in range(
            bisect_left(starts, max(first, lo - self._longest)), bisect_left(starts, min(last, hi))
        ):
            if ends[i] > lo:
                return True
        return False

    def ending_in(self, lo: int, hi: int, first: int) -> list[int]:
        """The ends in ``[lo, hi]`` of the hits starting at ``first`` or later."""
        self._sorted()
        starts, ends = self._s_starts, self._s_ends
        return [
            ends[i]
            for i in range(
                bisect_left(starts, max(first, lo - self._longest)), bisect_right(starts, hi)
            )
            if lo <= ends[i] <= hi
        ]

    def nearest(self, at: int, lo: int, hi: int) -> Hit | None:
        """The hit starting in ``[lo, hi]`` nearest to ``at`` (ties: the first found)."""
        order = self._sorted()
        starts = self._s_starts
        best = -1
        best_key = (0, 0)
        for i in range(bisect_left(starts, lo), bisect_right(starts, hi)):
            key = (abs(starts[i] - at), order[i])
            if best < 0 or key < best_key:
                best, best_key = i, key
        return None if best < 0 else Hit(self.category, starts[best], self._s_ends[best])

    def first(self) -> tuple[int, int] | None:
        """``(start, seq)`` of the hit starting first (ties: the first found)."""
        order = self._sorted()
        return (self._s_starts[0], order[0]) if order else None

    def all(self) -> list[Hit]:
        """Every hit, in the order found."""
        cat = self.category
        return [Hit(cat, s, e) for s, e in zip(self.starts, self.ends, strict=True)]


class Ranges:
    """Ranges ``[a, b)``: whether one of them holds a given span, by binary search."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [a for a, _ in ordered]
        reach: list[int] = []
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            reach.append(furthest)
        self._reach = reach  # the furthest end among the ranges starting up to here

    def __bool__(self) -> bool:
        return bool(self._starts)

    def holds(self, start: int, end: int) -> bool:
        """Whether one range ``[a, b)`` has ``a <= start`` and ``end <= b``."""
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._reach[i] >= end
