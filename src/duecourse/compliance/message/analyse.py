"""Frames over clauses: which categories of words stand together, and whether the sentence
around them negates, warns, quotes or states a right.

Every category is searched once over the whole normalised text; hits are placed in clauses by
binary search, so the work is linear in the text's length (plus a log factor for placing hits).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from typing import NamedTuple

from duecourse.compliance.message.codes import Code
from duecourse.compliance.message.lexicon import Frame, Lexicon

_SENTENCE_BREAKS = re.compile(r"[。！？!?\n；;…]+|\.(?=\s|$)")
_CLAUSE_BREAKS = re.compile(r"[。！？!?\n；;…，,：:（）()【】\[\]]+|\.(?=\s|$)|\s-\s")
_QUOTES = re.compile(
    r"“[^”]{1,400}”|「[^」]{1,400}」|『[^』]{1,400}』|\"[^\"]{1,400}\"|‘[^’]{1,400}’"
    r"|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){1,400}'(?!\w)"
)
_COLON_AFTER = re.compile(r"[^,，。.!?！？:：]{0,6}[:：]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD_CHAR = re.compile(r"[a-z0-9]")
#: How far before a finding (in characters, inside its clause) a negation still applies.
NEGATION_REACH = {"zh": 16, "en": 40}
#: How far after a finding a cancelling word (``已取消``) still applies.
POST_NEGATION_REACH = 10
#: How far before an opening quote a reporting verb or a warning makes the quote reported speech.
QUOTE_LEAD = 16


class Hit(NamedTuple):
    """Words of one category at ``[start, end)`` of the normalised text (a tuple: cheap to
    make, and a long text holds hundreds of thousands)."""

    category: str
    start: int
    end: int


class Match(NamedTuple):
    """A frame found in the normalised text, with the hits that make it."""

    frame: Frame
    start: int
    end: int
    parts: tuple[Hit, ...]


def _breaks(pattern: re.Pattern[str], text: str) -> list[int]:
    """Starts of the segments ``pattern`` splits ``text`` into (the first is 0)."""
    return [0, *(m.end() for m in pattern.finditer(text))]


class Analysis:
    """The hits of every category in one normalised text, placed in clauses and sentences."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.clauses = _breaks(_CLAUSE_BREAKS, text)
        self.sentences = _breaks(_SENTENCE_BREAKS, text)
        # category -> clause (or sentence) index -> hits, in order
        self.hits: dict[str, dict[int, list[Hit]]] = defaultdict(lambda: defaultdict(list))
        self.in_sentence: dict[str, dict[int, list[Hit]]] = defaultdict(lambda: defaultdict(list))
        self.present: set[str] = set()
        add = self._add
        for line, start, end in self._search_spans():
            name, pattern = lex.lines[line]
            for m in pattern.finditer(text, start, end):
                a, b = m.span()
                if b > a:
                    add(name, a, b)
        self.rights: list[tuple[int, int]] = []  # sentences stating a right (a subset)
        self.suppressed = self._suppressed_ranges()
        self.excused: set[Code] = set()  # codes of frames that stood complete but were excused

    def _add(self, name: str, start: int, end: int) -> None:
        hit = Hit(name, start, end)
        self.hits[name][bisect_right(self.clauses, start) - 1].append(hit)
        self.in_sentence[name][bisect_right(self.sentences, start) - 1].append(hit)
        self.present.add(name)

    def _search_spans(self) -> Iterator[tuple[int, int, int]]:
        """One Aho-Corasick pass: each literal word found is a hit of its categories (a Latin
        one only as a whole word); for each pattern line, the sentences that hold one of its
        factors (the whole text for a line without factors), merged where they touch."""
        sentences: dict[int, set[int]] = defaultdict(set)
        text = self.text
        add, breaks = self._add, self.sentences
        for end, (length, lines, literal_of, latin) in self.lex.factors.iter(text):
            start = end - length + 1
            if literal_of and not (
                latin
                and (
                    (start > 0 and _WORD_CHAR.match(text[start - 1]))
                    or (end + 1 < len(text) and _WORD_CHAR.match(text[end + 1]))
                )
            ):
                for name in literal_of:
                    add(name, start, end + 1)
            if lines:
                sentence = bisect_right(breaks, start) - 1
                for line in lines:
                    sentences[line].add(sentence)
        for line in self.lex.always:
            yield line, 0, len(self.text)
        bounds = [*self.sentences, len(text)]  # sentence i is [bounds[i], bounds[i + 1])
        for line, found in sentences.items():
            ordered = sorted(found)
            first = last = ordered[0]
            for index in ordered[1:]:
                if index != last + 1:
                    yield line, bounds[first], bounds[last + 1]
                    first = index
                last = index
            yield line, bounds[first], bounds[last + 1]

    def clause_of(self, at: int) -> int:
        return bisect_right(self.clauses, at) - 1

    def sentence_of(self, at: int) -> int:
        return bisect_right(self.sentences, at) - 1

    def _sentence_span(self, index: int) -> tuple[int, int]:
        end = self.sentences[index + 1] if index + 1 < len(self.sentences) else len(self.text)
        return self.sentences[index], end

    def _in_sentence(self, category: str, start: int, end: int, exclude: tuple[int, int]) -> bool:
        """Whether a hit of ``category`` lies in ``[start, end)`` and outside ``exclude``."""
        first, last = self.clause_of(start), self.clause_of(max(start, end - 1))
        for clause in range(first, last + 1):
            for hit in self.hits[category].get(clause, ()):
                if start <= hit.start < end and (hit.end <= exclude[0] or hit.start >= exclude[1]):
                    return True
        return False

    def _suppressed_ranges(self) -> list[tuple[int, int]]:
        """Ranges whose findings are reported speech or warnings: sentences that warn or state
        a right, what follows a warning's colon, what a warning points back to, quotes led by a
        reporting verb, and in a complaint (or a question about a message) its quotes and the
        sentences telling what was done to the writer."""
        ranges: list[tuple[int, int]] = []
        for category in ("warning", "rights", "debunk"):
            for clause_hits in self.hits[category].values():
                for hit in clause_hits:
                    start, end = self._sentence_span(self.sentence_of(hit.start))
                    if category == "rights":
                        self.rights.append((start, end))
                    colon = _COLON_AFTER.match(self.text, hit.end)
                    if category == "warning" and colon and colon.end() - hit.end <= 6:
                        end = len(self.text)
                    if category != "rights" and self._in_sentence(
                        "back_reference", start, end, (0, 0)
                    ):
                        start = 0  # "these three are all scams": what it points back to
                    ranges.append((start, end))
        if "complaint" in self.present and self.present & {"warning", "debunk", "rights"}:
            # a report, a complaint or a question about a message, answered with a warning:
            # nothing in it is said to the reader
            return [(0, len(self.text))]
        if "complaint" in self.present:  # a complaint or a question about what someone sent
            for category in ("complaint", "victim"):
                for clause_hits in self.hits[category].values():
                    ranges.extend(
                        self._sentence_span(self.sentence_of(h.start)) for h in clause_hits
                    )
        if not self.present & {"warning", "rights", "debunk", "complaint"}:
            return ranges
        chained = -1  # the end of the last reported quote: a quote right after it is one too
        for quote in _QUOTES.finditer(self.text):
            lead_start = max(0, quote.start() - QUOTE_LEAD)
            lead = (lead_start, quote.start())
            trail = (quote.end(), min(len(self.text), quote.end() + QUOTE_LEAD // 2))
            if (
                "complaint" in self.present
                or quote.start() - chained <= 8
                or any(
                    self._in_sentence(c, lead_start, quote.start(), (0, 0))
                    or self._touches(c, lead)
                    or self._touches(c, trail)
                    for c in ("report_verb", "warning", "debunk")
                )
            ):
                ranges.append((quote.start(), quote.end()))
                chained = quote.end()
        return ranges

    def _touches(self, category: str, span: tuple[int, int]) -> bool:
        clause = self.clause_of(span[0])
        return any(
            h.start < span[1] and h.end > span[0]
            for c in (clause, clause + 1)
            for h in self.hits[category].get(c, ())
        )

    def is_suppressed(self, start: int, end: int, rights: bool = True) -> bool:
        """Whether ``[start, end)`` is reported speech or a warning; with ``rights=False`` a
        sentence that only states a right does not count (scams borrow that language)."""
        if not rights and any(a <= start and end <= b for a, b in self.rights):
            return any(
                a <= start and end <= b for a, b in self.suppressed if (a, b) not in self.rights
            )
        return any(a <= start and end <= b for a, b in self.suppressed)

    def is_negated(self, start: int, end: int | None = None) -> bool:
        """A negation shortly before ``start`` in its clause, with no ``就``/``if`` between, or
        one right after ``end`` (``外访已取消``)."""
        clause = self.clause_of(start)
        if end is not None:
            for cue in self.hits["post_negation"].get(clause, ()):
                if end <= cue.start <= end + POST_NEGATION_REACH:
                    return True
        lang = "zh" if _CJK.search(self.text, max(0, start - 4), start + 4) else "en"
        reach = NEGATION_REACH[lang]
        breaks = self.hits["scope_break"].get(clause, ())
        for cue in self.hits["negation"].get(clause, ()):
            if (
                cue.end <= start
                and start - cue.end <= reach
                and not any(cue.end <= b.start and b.end <= start for b in breaks)
            ):
                return True
        return False

    def matches(self) -> Iterator[Match]:
        """Every frame whose parts stand together in a sentence, lawful context aside."""
        for frame in self.lex.frames:
            if not all(p in self.present for p in frame.parts):
                continue
            anchor, *others = frame.parts
            # lawful context anywhere in the message excuses every match of the frame
            everywhere = any(c in self.present for c in frame.unless)
            for sentence, anchors in self.in_sentence[anchor].items():
                covered = -1
                for hit in anchors:
                    if hit.start < covered:
                        continue
                    found = (
                        self._complete(frame, sentence, hit, others)
                        if others
                        else Match(frame, hit.start, hit.end, (hit,))
                    )
                    if found is None:
                        continue
                    covered = found.end
                    if everywhere or self._excused(frame, found):
                        self.excused.add(frame.code)
                    else:
                        yield found

    def _complete(self, frame: Frame, sentence: int, hit: Hit, others: list[str]) -> Match | None:
        window = frame.window if _CJK.search(self.text, hit.start, hit.end) else frame.window_en
        parts = [hit]
        for category in others:
            near = [
                h
                for h in self.in_sentence[category].get(sentence, ())
                if abs(h.start - hit.start) <= window
            ]
            if not near:
                return None
            parts.append(min(near, key=lambda h: abs(h.start - hit.start)))
        return Match(frame, min(p.start for p in parts), max(p.end for p in parts), tuple(parts))

    def _excused(self, frame: Frame, match: Match) -> bool:
        """Lawful context in a clause the match spans (``unless_clause``), a negation, a warning
        or a quote (context in the message, ``unless``, is judged once per frame by ``matches``)."""
        clauses = range(
            self.clause_of(match.start), self.clause_of(max(match.start, match.end - 1)) + 1
        )
        if any(self.hits[c].get(clause) for c in frame.unless_clause for clause in clauses):
            return True
        if any(self.is_negated(part.start, part.end) for part in match.parts):
            return True
        if self.is_suppressed(match.start, match.end):
            return True
        # parts each in reported speech (two quotes side by side) are reported speech together
        return all(self.is_suppressed(part.start, part.end) for part in match.parts)
