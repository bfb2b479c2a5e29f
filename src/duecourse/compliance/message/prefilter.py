"""Which words a regular expression cannot match without, so that one Aho-Corasick pass over
the text tells which categories to search and where.

Python's ``re`` tries every alternative of a large alternation at every position; searching
forty categories that way costs about 5 s per MB. Every match of a pattern contains one of its
*factors* (literal strings read off the parsed pattern, as RE2's prefilter and code search do),
so each pattern line of a category is searched only in the sentences where one of its own
factors occurs.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: A character class of at most this many characters is expanded into single-character factors.
_SMALL_CLASS = 12


def _best(candidates: list[set[str]]) -> set[str] | None:
    """The most selective candidate: the one whose shortest factor is longest."""
    usable = [c for c in candidates if c and all(c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(len(f) for f in c), -len(c)))


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _SMALL_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars if len(chars) <= _SMALL_CLASS else None


def _sequence(items: Any) -> set[str] | None:
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            candidates.append({run})
            run = ""
        if op is sre.SUBPATTERN:
            found = _sequence(av[-1])
        elif op is sre.BRANCH:
            branches = [_sequence(b) for b in av[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            found = _sequence(av[2])
        elif op is sre.IN:
            found = _class_chars(av)
        elif op is sre.ATOMIC_GROUP:
            found = _sequence(av)
        else:  # zero-width assertions, optional parts, wildcards: nothing required
            found = None
        if found:
            candidates.append(found)
    if run:
        candidates.append({run})
    return _best(candidates)


def factors(pattern: str) -> set[str] | None:
    """Literal strings one of which every match of ``pattern`` contains; ``None`` when no such
    set can be read off the pattern (then it must be searched everywhere)."""
    return _sequence(sre_parse.parse(pattern))


def category_factors(patterns: list[str]) -> set[str] | None:
    """The factors of an alternation of ``patterns``: the union of theirs (``None`` if any has
    none)."""
    found: set[str] = set()
    for pattern in patterns:
        own = factors(pattern)
        if own is None:
            return None
        found |= own
    return found


def check_factors(pattern: re.Pattern[str], words: set[str], sample: str) -> list[str]:
    """Matches of ``pattern`` in ``sample`` that contain none of ``words`` (a test helper: must
    be empty)."""
    return [m.group(0) for m in pattern.finditer(sample) if not any(w in m.group(0) for w in words)]
