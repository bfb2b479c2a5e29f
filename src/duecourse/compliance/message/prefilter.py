"""Which words a regular expression cannot match without, so that one Aho-Corasick pass over
the text tells which categories to search and where.

Python's ``re`` tries every alternative of a large alternation at every position; searching
forty categories that way costs about 5 s per MB. Every match of a pattern contains one of its
*factors* (literal strings read off the parsed pattern, as RE2's prefilter and code search do),
so each pattern line of a category is searched only in the sentences where one of its own
factors occurs.

Where a line is searched, ``re`` tries it at every position unless the pattern opens with a
literal or a plain character class. ``first_chars`` reads off the characters every match of a
line begins with, and ``compiled`` gives them to ``re`` as the pattern's own start set (the
optimisation hint its compiler writes for ``[ab]c|d``), so positions where no match can begin
are skipped in C: the same matches, found about five times faster.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import re
from re import _compiler as sre_compile  # type: ignore[attr-defined]
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


#: Flags under which a character may match more than itself: no start set is read off then.
_CASED = sre.SRE_FLAG_IGNORECASE | sre.SRE_FLAG_LOCALE
#: What the ``re`` engine is told of a pattern's start (``_sre``'s INFO block).
_KNOWN_START = sre.SRE_INFO_PREFIX | sre.SRE_INFO_CHARSET


def _first(items: Any) -> tuple[list[tuple[Any, Any]], bool] | None:
    """The character-set items one of which the first character of a match of ``items`` is
    (or the first after them, when they may match nothing: then the flag is true); ``None``
    when it may be any character."""
    found: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is sre.LITERAL:
            return [*found, (op, av)], False
        if op is sre.IN:
            if any(o is sre.NEGATE for o, _ in av):
                return None
            return [*found, *av], False
        if op is sre.SUBPATTERN:
            if av[1] & _CASED:
                return None
            own = _first(av[-1])
        elif op is sre.BRANCH:
            branches = [_first(b) for b in av[1]]
            if any(b is None for b in branches):
                return None
            own = (
                [i for b in branches if b for i in b[0]],
                any(b[1] for b in branches if b),
            )
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            inner = _first(av[2])
            own = None if inner is None else (inner[0], inner[1] or av[0] == 0)
        elif op is sre.ATOMIC_GROUP:
            own = _first(av)
        elif op in (sre.ASSERT, sre.ASSERT_NOT, sre.AT):  # zero width: read on
            continue
        else:  # any character, a back reference, a conditional
            return None
        if own is None:
            return None
        found += own[0]
        if not own[1]:
            return found, False
    return found, True


def first_chars(pattern: str) -> list[tuple[Any, Any]] | None:
    """The character-set items (of ``re``'s parser) one of which begins every match of
    ``pattern``; ``None`` when no such set can be read off, or a match may be empty."""
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & _CASED:
        return None
    first = _first(parsed.data)
    return None if first is None or first[1] or not first[0] else first[0]


def compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled, with its ``first_chars`` as the start set the engine skips to (when
    ``re`` knows no start of its own): a compiled pattern that finds exactly the same matches.
    Plain ``re.compile`` where no set can be read off."""
    plain = re.compile(pattern)
    first = first_chars(pattern)
    if first is None:
        return plain
    parsed = sre_parse.parse(pattern)
    flags = parsed.state.flags
    code = sre_compile._code(parsed, 0)
    if code[0] != sre.INFO or code[2] & _KNOWN_START or code[3] == 0:
        return plain  # no info block, a start already known, or a match may be empty
    info = [sre.INFO, 0, sre.SRE_INFO_CHARSET, code[3], code[4]]
    charset, _ = sre_compile._optimize_charset(first)
    sre_compile._compile_charset(charset, flags, info)
    info[1] = len(info) - 1
    groups = parsed.state.groupdict
    names: list[str | None] = [None] * parsed.state.groups
    for name, index in groups.items():
        names[index] = name
    try:
        found: re.Pattern[str] = _sre.compile(
            pattern,
            flags,
            info + code[1 + code[1] :],
            parsed.state.groups - 1,
            groups,
            tuple(names),
        )
    except (TypeError, ValueError, RuntimeError):  # another Python's engine: plain
        return plain
    return found
