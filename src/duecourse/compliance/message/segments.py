"""Where a text's sentences and clauses begin, and grouping positions by segment: one
definition of a sentence end and of a clause end, read by the frames (``analyse``) and by the
cut of a long text into pieces (``checker.pieces``, through ``last_break``)."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence

import numpy as np

#: Characters that end a sentence (a line end too; a Latin full stop only before a space or the
#: end of the text).
SENTENCE_END_CHARS = "。！？!?；;…"
SENTENCE_BREAKS = re.compile(rf"[{SENTENCE_END_CHARS}\n]+|\.(?=\s|$)")
#: Characters that end a clause: a sentence end, a comma (not one grouping the thousands of a
#: number, 「1,860元」 "£2,000"), a colon, a bracket.
CLAUSE_BREAKS = re.compile(
    rf"(?:[{SENTENCE_END_CHARS}\n，：:（）()【】\[\]]|(?<!\d),|,(?!\d{{3}}(?!\d)))+|\.(?=\s|$)|\s-\s"
)
#: From this many positions on, array operations beat a loop.
_MANY = 256
#: How many characters after a break its pattern may read (``,(?!\d{3}(?!\d))``: four).
_LOOKAHEAD = 4

__all__ = [
    "CLAUSE_BREAKS",
    "SENTENCE_BREAKS",
    "SENTENCE_END_CHARS",
    "breaks",
    "by_segment",
    "last_break",
    "runs",
]


def breaks(pattern: re.Pattern[str], text: str) -> list[int]:
    """Starts of the segments ``pattern`` splits ``text`` into (the first is 0)."""
    return [0, *(m.end() for m in pattern.finditer(text))]


def last_break(pattern: re.Pattern[str], text: str, start: int, end: int) -> int:
    """Where the last break of ``pattern`` that begins in ``text[start:end]`` ends (at most
    ``end``), or ``start`` when none does. The text just after ``end`` is read as the whole
    text is (「1,860」 cut after its comma is no clause end)."""
    at = start
    for found in pattern.finditer(text, start, min(len(text), end + _LOOKAHEAD)):
        if found.start() >= end:
            break
        at = min(found.end(), end)
    return at


def runs(indices: list[int]) -> Iterator[tuple[int, int]]:
    """``[first, last]`` of each run of consecutive numbers in sorted ``indices``."""
    first = last = indices[0]
    for index in indices[1:]:
        if index != last + 1:
            yield first, last
            first = index
        last = index
    yield first, last


def by_segment(firsts: list[int], starts: list[int]) -> list[tuple[int, Sequence[int]]]:
    """The positions in ``starts`` grouped by the segment each falls in (segments begin at
    ``firsts``), in order of position within a group; groups in the order of their first
    position."""
    if len(firsts) == 1:
        return [(0, range(len(starts)))] if starts else []
    if len(starts) < _MANY:
        numbers = [bisect_right(firsts, start) - 1 for start in starts]
    else:
        segments = np.searchsorted(np.array(firsts), np.array(starts), "right") - 1
        if bool((segments[1:] >= segments[:-1]).all()):  # in order: runs of one segment
            cuts = [0, *(np.flatnonzero(segments[1:] != segments[:-1]) + 1).tolist(), len(starts)]
            first = segments[cuts[:-1]].tolist()
            return [
                (segment, range(a, b))
                for segment, (a, b) in zip(first, itertools.pairwise(cuts), strict=True)
            ]
        numbers = segments.tolist()
    groups: dict[int, list[int]] = {}
    for seq, segment in enumerate(numbers):
        group = groups.get(segment)
        if group is None:
            groups[segment] = [seq]
        else:
            group.append(seq)
    return [(segment, tuple(group)) for segment, group in groups.items()]
