"""Every category's hits in one normalised text: one Aho-Corasick pass finds the thesaurus's
literal words and the factors of the pattern lines (``prefilter``); then each pattern line is
searched only in the runs of sentences holding one of its factors.

Most messages hold a few hundred factors and have some forty lines to search, most of which
find nothing: the work per factor and per line is kept to a few operations, and a line's
matches are read with ``finditer`` only once ``search`` has found one.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from duecourse.compliance.message.hits import Hits
from duecourse.compliance.message.lexicon import Lexicon

_WORD_CHAR = re.compile(r"[a-z0-9]")

#: Where to search one pattern line: ``(line, [(start, end), ...])``.
Spans = list[tuple[int, list[tuple[int, int]]]]


def find_hits(text: str, lex: Lexicon, sentences: list[int]) -> dict[str, Hits]:
    """The hits of every category found in ``text`` (whose sentences begin at ``sentences``),
    in the order found: literal words by where they end (a Latin one only as a whole word),
    then each line's matches, lines in the order their first factor was found."""
    hits: dict[str, Hits] = {}
    occurrences = _words(text, lex, hits)
    lines = lex.lines
    for line, spans in _line_spans(len(text), lex.always, occurrences, sentences):
        name, pattern = lines[line]
        for start, end in spans:
            first = pattern.search(text, start, end)
            if first is not None:
                _read_line(hits, name, pattern, text, first, start, end)
    return hits


def _hits(hits: dict[str, Hits], name: str) -> Hits:
    found = hits.get(name)
    if found is None:
        found = hits[name] = Hits(name)
    return found


def _words(text: str, lex: Lexicon, hits: dict[str, Hits]) -> dict[tuple[int, ...], list[int]]:
    """Record the literal words found as hits of their categories; return, for each group of
    lines sharing a factor, where its factors start (groups in the order first found)."""
    limit = len(text)
    word_char = _WORD_CHAR.match
    occurrences: dict[tuple[int, ...], list[int]] = {}  # lines -> starts of their factors
    for end, (length, lines, literal_of, latin) in lex.factors.iter(text):
        start = end - length + 1
        if literal_of and not (
            latin
            and (
                (start > 0 and word_char(text[start - 1]))
                or (end + 1 < limit and word_char(text[end + 1]))
            )
        ):
            for name in literal_of:
                found = _hits(hits, name)
                found.starts.append(start)
                found.ends.append(end + 1)
        if lines:
            starts = occurrences.get(lines)
            if starts is None:
                occurrences[lines] = [start]
            else:
                starts.append(start)
    return occurrences


def _read_line(
    hits: dict[str, Hits],
    name: str,
    pattern: re.Pattern[str],
    text: str,
    first: re.Match[str],
    start: int,
    end: int,
) -> None:
    """Record the non-empty matches of ``pattern`` in ``[start, end)``, ``first`` being the
    first: the matches ``finditer`` gives there (after a non-empty first match, a search from
    its end goes on exactly as ``finditer`` would)."""
    a, b = first.span()
    if b > a:
        found = _hits(hits, name)
        found.starts.append(a)
        found.ends.append(b)
        rest = pattern.finditer(text, b, end)
    else:
        found = None
        rest = pattern.finditer(text, start, end)
    for m in rest:
        a, b = m.span()
        if b > a:
            if found is None:
                found = _hits(hits, name)
            found.starts.append(a)
            found.ends.append(b)


def _line_spans(
    size: int,
    always: frozenset[int],
    occurrences: dict[tuple[int, ...], list[int]],
    firsts: list[int],
) -> Spans:
    """The lines without factors over the whole text, then each line over the runs of
    sentences holding one of its factors (a run's sentences searched together), lines in the
    order their first factor was found."""
    spans: Spans = [(line, [(0, size)]) for line in always]
    if len(firsts) == 1:  # one sentence: every line with a factor over all of it
        whole = [(0, size)]
        spans += [(line, whole) for line in dict.fromkeys(n for ls in occurrences for n in ls)]
        return spans
    in_lines: dict[int, int] = {}  # line -> sentences holding one of its factors (bits)
    for lines, starts in occurrences.items():
        if len(starts) == 1:
            sentences = 1 << (bisect_right(firsts, starts[0]) - 1)
        else:
            sentences = sum({1 << (bisect_right(firsts, start) - 1) for start in starts})
        for line in lines:
            known = in_lines.get(line)
            in_lines[line] = sentences if known is None else known | sentences
    bounds = [*firsts, size]  # sentence i is [bounds[i], bounds[i + 1])
    for line, sentences in in_lines.items():
        spans.append((line, _runs(sentences, bounds)))
    return spans


def _runs(sentences: int, bounds: list[int]) -> list[tuple[int, int]]:
    """``[start, end)`` of each run of consecutive sentences in the bit set ``sentences``."""
    found = []
    while sentences:
        first = (sentences & -sentences).bit_length() - 1
        run = sentences >> first
        count = (run ^ (run + 1)).bit_length() - 1  # the run of ones from ``first``
        found.append((bounds[first], bounds[first + count]))
        sentences ^= ((1 << count) - 1) << first
    return found
