"""Frames over clauses: which categories of words stand together, and whether the sentence
around them negates, warns, quotes or states a right.

Every category is searched once over the whole normalised text (``scan.find_hits``); each question
about its hits ("one in this clause?", "the nearest within the window", "a negation just
before?") is a binary search in its ``Hits``, and each question about reported speech one in
``Ranges``, so the work is linear in the text's length (plus a log factor) whatever it holds.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from duecourse.compliance.message.codes import Code
from duecourse.compliance.message.hits import Hit, Hits, Ranges
from duecourse.compliance.message.lexicon import Frame, Lexicon
from duecourse.compliance.message.scan import find_hits
from duecourse.compliance.message.segments import (
    CLAUSE_BREAKS,
    SENTENCE_BREAKS,
    breaks,
    by_segment,
)

_QUOTES = re.compile(
    r"“[^”]{1,400}”|「[^」]{1,400}」|『[^』]{1,400}』|\"[^\"]{1,400}\"|‘[^’]{1,400}’"
    r"|(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){1,400}'(?!\w)"
)
_COLON_AFTER = re.compile(r"[^,，。.!?！？:：]{0,6}[:：]")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: How far before a finding (in characters, inside its clause) a negation still applies.
NEGATION_REACH = {"zh": 16, "en": 40}
#: How far after a finding a cancelling word (``已取消``) still applies.
POST_NEGATION_REACH = 10
#: How far before an opening quote a reporting verb or a warning makes the quote reported speech.
QUOTE_LEAD = 16
_NO_HITS = Hits("")
#: Categories that make a quote or a third person's claim reported speech: a message that warns,
#: states a right, debunks, complains, apologises for an agent or quotes the reader's own words
#: back (``reader_words``). A negation is not one of them:
#: it is judged where it stands (``is_negated``, the clause before a finding), and 「我们不会上门」
#: makes no quote in the message reported speech. The learned layer's ``LAWFUL_CONTEXT`` is
#: these and ``negation``.
REPORTING = frozenset(
    {
        "warning",
        "rights",
        "debunk",
        "complaint",
        "warning_clause",
        "debunk_back",
        "apology",
        "reader_words",
    }
)
#: Categories of an offer made in the message itself (the sender's own service, a private chat
#: account, a removal told as done): a story that opens with 「差点被骗：」 is then no warning.
OFFERS = frozenset({"first_offer", "private_chat_account", "removal_done"})
#: Categories of a seller's terms (a fee, a private contact, a guarantee, an inside channel): a
#: reply holding one neither refuses what it quotes nor sets a quiz.
SELLING = frozenset(
    {"fee_paid", "private_contact", "repair_terms", "guarantee", "creditor_fee", "side_channel"}
)
#: Categories that name the sender of the message (its header), never reported speech.
SENDER = frozenset({"authority_claim"})
#: Of those, the ones that answer what they report (warn, debunk, state a right, apologise): a help
#: request in a message holding one is answered, and what it quotes is no signal any more.
ANSWERING = REPORTING - {"complaint"}

#: Categories that make a quote they lead (or trail) reported speech in a message that reports.
LEADS = ("report_verb", "warning", "debunk", "warning_clause", "debunk_back", "reader_words")

__all__ = ["Analysis", "Hit", "Match"]


class Match(NamedTuple):
    """A frame found in the normalised text, with the hits that make it."""

    frame: Frame
    start: int
    end: int
    parts: tuple[Hit, ...]


class Analysis:
    """The hits of every category in one normalised text, and the clauses and sentences."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.clauses = breaks(CLAUSE_BREAKS, text)
        self.sentences = breaks(SENTENCE_BREAKS, text)
        # category -> its hits (only categories found)
        self.hits: dict[str, Hits] = find_hits(text, lex, self.sentences)
        self.present: set[str] = set(self.hits)
        self._anchors: dict[str, list[tuple[int, Sequence[int]]]] = {}
        self._negation = self.of("negation")
        self._post_negation = self.of("post_negation")
        self._scope_break = self.of("scope_break")
        self._negated: dict[int, bool] = {}  # by ``start`` and ``end`` in one number
        self.rights: list[tuple[int, int]] = []  # sentences stating a right (a subset)
        suppressed = self._suppressed_ranges()
        rights = set(self.rights)
        self._suppressed = Ranges(suppressed)
        self._rights = Ranges(self.rights)
        self._not_rights = Ranges([r for r in suppressed if r not in rights])
        self.excused: set[Code] = set()  # codes of frames that stood complete but were excused

    def of(self, category: str) -> Hits:
        """The hits of ``category`` (none when it is not in the text)."""
        return self.hits.get(category, _NO_HITS)

    def clause_of(self, at: int) -> int:
        return bisect_right(self.clauses, at) - 1

    def sentence_of(self, at: int) -> int:
        return bisect_right(self.sentences, at) - 1

    def _clause_end(self, index: int) -> int:
        return self.clauses[index + 1] if index + 1 < len(self.clauses) else len(self.text)

    def _sentence_span(self, index: int) -> tuple[int, int]:
        end = self.sentences[index + 1] if index + 1 < len(self.sentences) else len(self.text)
        return self.sentences[index], end

    def _suppressed_ranges(self) -> list[tuple[int, int]]:
        """Ranges whose findings are reported speech or warnings: sentences that warn or state
        a right, what follows a warning's colon, what a warning points back to, quotes led by a
        reporting verb, and in a complaint (or a question about a message) its quotes and the
        sentences telling what was done to the writer."""
        ranges: list[tuple[int, int]] = []
        back_reference = self.of("back_reference")
        adopts = self.of("adopts_warning")
        for category in ("warning", "rights", "debunk"):
            for hit in self.of(category).all():
                start, end = self._sentence_span(self.sentence_of(hit.start))
                if category == "warning" and adopts.any_in(end, len(self.text)):
                    continue  # "…may splash paint. Pay us or that is what will happen": a threat
                if category == "rights":
                    self.rights.append((start, end))
                colon = _COLON_AFTER.match(self.text, hit.end)
                if category == "warning" and colon and colon.end() - hit.end <= 6:
                    end = len(self.text)
                if category != "rights" and back_reference.any_in(start, end):
                    start = 0  # "these three are all scams": what it points back to
                ranges.append((start, end))
        for hit in self.of("warning_clause").all():  # the clauses it spans, no more
            first, last = self.clause_of(hit.start), self.clause_of(hit.end - 1)
            ranges.append((self.clauses[first], self._clause_end(last)))
        for category in ("debunk_back", "apology"):
            for hit in self.of(category).all():
                # its sentence up to the end of its clause; a story of a fraud that opens with
                # it and a colon (「我爸今天差点被骗：有人打电话说…」) to the end of the message
                start = self._sentence_span(self.sentence_of(hit.start))[0]
                end = self._clause_end(self.clause_of(hit.end - 1))
                colon = _COLON_AFTER.match(self.text, hit.end)
                if (
                    category == "debunk_back"
                    and colon
                    and colon.end() - hit.end <= 3
                    and not self.present & OFFERS
                ):
                    end = len(self.text)
                ranges.append((start, end))
        if "complaint" in self.present and self.present & {"warning", "debunk", "rights"}:
            # a report, a complaint or a question about a message, answered with a warning:
            # nothing in it is said to the reader
            return [(0, len(self.text))]
        if "complaint" in self.present:  # a complaint or a question about what someone sent
            for category in ("complaint", "victim"):
                ranges.extend(
                    self._sentence_span(self.sentence_of(h.start)) for h in self.of(category).all()
                )
        ranges.extend(self._third_reports(ranges))
        # a quiz with its answers (「判断对错：①花钱找“内部渠道”可以删除…答案：①错」): what follows
        # its opener is examined, not said
        if {"quiz", "answer_key"} <= self.present and "private_contact" not in self.present:
            ranges.extend((hit.start, len(self.text)) for hit in self.of("quiz").all())
        # the reader's request quoted in a reply that refuses it in any sentence (「您在留言中希望
        # 我们“帮忙把征信洗白一下”。…我司无法也不会做任何修改。」), unless the reply then sells
        # something itself (「官方渠道无法删除，我们这边走“内部处理”，加V…」)
        refused = {"reader_request", "refusal"} <= self.present and not self.present & SELLING
        ranges.extend(self._reader_questions())
        if not self.present & REPORTING and not refused:
            return ranges
        # a seller's terms in the message: the reader's words it quotes lead no other quote
        leads = tuple(c for c in LEADS if c != "reader_words") if self.present & SELLING else LEADS
        if refused:
            leads = (*leads, "reader_request")
        chained = -(10**9)  # the end of the last reported quote: a quote right after it is one too
        # (none yet: a quote at the message's start is not one)
        for quote in _QUOTES.finditer(self.text):
            lead_start = max(0, quote.start() - QUOTE_LEAD)
            lead = (lead_start, quote.start())
            trail = (quote.end(), min(len(self.text), quote.end() + QUOTE_LEAD // 2))
            if (
                "complaint" in self.present
                or quote.start() - chained <= 8
                or any(
                    self.of(c).any_in(lead_start, quote.start())
                    or self._touches(c, lead)
                    or self._touches(c, trail)
                    for c in leads
                )
            ):
                ranges.append((self._quote_lead_start(quote.start(), leads), quote.end()))
                chained = quote.end()
        return ranges

    def _quote_lead_start(self, opening: int, leads: Sequence[str]) -> int:
        """Where a reported quote's report begins: at the reporting verb that leads it in its
        clause, so the words between them, who said it, are reported too (「您说催收员讲“…”」);
        at the quote itself when no lead stands in its clause before it."""
        first = max(self.clauses[self.clause_of(opening)], opening - QUOTE_LEAD)
        starts = [
            self.of(c).start_at(i) for c in leads for i in self.of(c).starting_in(first, opening)
        ]
        return min(starts, default=opening)

    def _reader_questions(self) -> list[tuple[int, int]]:
        """The reader's question told back unquoted (「您问逾期记录能不能删。」), to the end of its
        clause, in a reply that refuses outside the question (「…无权删除」) or warns, debunks or
        states a right; never in a message that offers something itself (a seller's
        「能！加我微信」: ``OFFERS``, not negated)."""
        questions = self.of("reader_question")
        if not questions.starts or any(
            not self.is_negated(h.start, h.end) for c in OFFERS for h in self.of(c).all()
        ):
            return []
        spans = [(h.start, self._clause_end(self.clause_of(h.end - 1))) for h in questions.all()]
        refusals = Ranges(spans)
        refused = any(not refusals.holds(h.start, h.end) for h in self.of("refusal").all())
        return spans if refused or self.present & REPORTING else []

    def _third_reports(self, warned_spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """What someone else claims, told in the third person (「有人说能删逾期」「这家公司说…」),
        to the end of its sentence: reported speech when the message warns, debunks or
        complains, the sentence asks about the claim (「…是真的吗？」) or the writer heard it
        (「听人说」); never in a message that offers the service itself, in the first person or
        with a private channel (「我能帮你删」「加我微信」: ``first_offer``), unless negated or
        in a sentence that warns (``warned_spans``: 「这种都是骗钱的，别加好友」 offers nothing)."""
        reports = self.of("third_report")
        if not reports.starts:
            return []
        warned = Ranges(warned_spans)
        if any(
            not self.is_negated(h.start, h.end) and not warned.holds(h.start, h.end)
            for h in self.of("first_offer").all()
        ):
            return []
        context = bool(self.present & REPORTING)
        ranges: list[tuple[int, int]] = []
        for hit in reports.all():
            start, end = self._sentence_span(self.sentence_of(hit.start))
            asked = self.text[start:end].rstrip().endswith(("?", "？"))
            if context or asked or self.text.startswith("听", hit.start):
                ranges.append((hit.start, end))
        return ranges

    def _touches(self, category: str, span: tuple[int, int]) -> bool:
        """Whether a hit in the clause of ``span`` or the next overlaps it."""
        clause = self.clause_of(span[0])
        first, last = self.clauses[clause], self._clause_end(clause + 1)
        return self.of(category).overlapping(span[0], span[1], first, last)

    def is_suppressed(self, start: int, end: int, rights: bool = True) -> bool:
        """Whether ``[start, end)`` is reported speech or a warning; with ``rights=False`` a
        sentence that only states a right does not count (scams borrow that language)."""
        if not rights and self._rights.holds(start, end):
            return self._not_rights.holds(start, end)
        return self._suppressed.holds(start, end)

    def is_negated(self, start: int, end: int | None = None) -> bool:
        """A negation shortly before ``start`` in its clause, with no ``就``/``if`` between, or
        one right after ``end`` (``外访已取消``)."""
        negation, post = self._negation, self._post_negation
        if not negation.starts and not post.starts:
            return False
        key = start << 32 | (0 if end is None else end + 1)  # a part of several frames: ask once
        known = self._negated.get(key)
        if known is None:
            known = self._negated[key] = self._negated_at(start, end)
        return known

    def _negated_at(self, start: int, end: int | None) -> bool:
        clause = self.clause_of(start)
        first = self.clauses[clause]
        if end is not None and self._post_negation.any_in(
            max(end, first), min(end + POST_NEGATION_REACH + 1, self._clause_end(clause))
        ):
            return True
        negation = self._negation
        if not negation.starts:
            return False
        lang = "zh" if _CJK.search(self.text, max(0, start - 4), start + 4) else "en"
        scope_breaks = self._scope_break
        return any(
            not scope_breaks.ending_in(cue_end, start, cue_end)
            for cue_end in negation.ending_in(start - NEGATION_REACH[lang], start, first)
        )

    def _by_sentence(self, category: str) -> list[tuple[int, Sequence[int]]]:
        """The hits of ``category`` (their ``seq``) grouped by sentence, in the order found;
        sentences in the order their first hit was found."""
        grouped = self._anchors.get(category)
        if grouped is None:
            starts = self.of(category).starts
            grouped = self._anchors[category] = by_segment(self.sentences, starts)
        return grouped

    def matches(self) -> Iterator[Match]:
        """Every frame whose parts stand together in a sentence, lawful context aside."""
        present = self.present
        for frame, (_, parts) in zip(self.lex.frames, self.lex.frame_parts, strict=True):
            if not parts <= present:
                continue
            anchor, *others = frame.parts
            anchors = self.of(anchor)
            # lawful context anywhere in the message excuses every match of the frame
            everywhere = any(c in self.present for c in frame.unless) or not self._asked(frame)
            for sentence, seqs in self._by_sentence(anchor):
                covered = (-1, -1)  # the last match's span: a hit inside it is part of it
                for seq in seqs:
                    if covered[0] <= anchors.starts[seq] < covered[1]:
                        continue
                    hit = anchors.hit(seq)
                    found = (
                        self._complete(frame, sentence, hit, others)
                        if others
                        else Match(frame, hit.start, hit.end, (hit,))
                    )
                    if found is None:
                        continue
                    covered = (found.start, found.end)
                    if everywhere or self._excused(frame, found):
                        self.excused.add(frame.code)
                    else:
                        yield found

    def _asked(self, frame: Frame) -> bool:
        """Whether the message holds what the frame ``needs`` (a hit of one of them); true for
        a frame that needs nothing."""
        return not frame.needs or not self.present.isdisjoint(frame.needs)

    def _complete(self, frame: Frame, sentence: int, hit: Hit, others: list[str]) -> Match | None:
        """The frame's other parts nearest to ``hit`` in its sentence (anywhere in the message
        for a frame ``across`` sentences), within the window."""
        window = frame.window if _CJK.search(self.text, hit.start, hit.end) else frame.window_en
        first, last = (0, len(self.text)) if frame.across else self._sentence_span(sentence)
        lo, hi = max(first, hit.start - window), min(last - 1, hit.start + window)
        parts = [hit]
        for category in others:
            near = self.of(category).nearest(hit.start, lo, hi)
            if near is None:
                return None
            parts.append(near)
        return Match(frame, min(p.start for p in parts), max(p.end for p in parts), tuple(parts))

    def _excused(self, frame: Frame, match: Match) -> bool:
        """Lawful context in a clause the match spans (``unless_clause``), or in the message and
        unspoilt in the match's sentences (``unless_unspoilt``), a negation, a warning or a quote
        (context in the message, ``unless``, is judged once per frame by ``matches``)."""
        if frame.unless_clause:
            first = self.clauses[self.clause_of(match.start)]
            last = self._clause_end(self.clause_of(max(match.start, match.end - 1)))
            if any(self.of(c).any_in(first, last) for c in frame.unless_clause):
                return True
        if frame.unless_same_sentence:
            first = self._sentence_span(self.sentence_of(match.start))[0]
            last = self._sentence_span(self.sentence_of(max(match.start, match.end - 1)))[1]
            if any(self.of(c).any_in(first, last) for c in frame.unless_same_sentence):
                return True
        if frame.unless_unspoilt and self._unspoilt_excuses(frame, match):
            return True
        if any(self.is_negated(part.start, part.end) for part in match.parts):
            return True
        if not self._suppressed or self._still_said(frame):
            return False
        if self.is_suppressed(match.start, match.end):
            return True
        if frame.across:  # parts told in different sentences: one warned against excuses it
            # (a sender's header is no part a warning can report: 「【…法院】温馨提示：…」)
            return any(
                self.is_suppressed(part.start, part.end)
                for part in match.parts
                if part.category not in SENDER
            )
        # parts each in reported speech (two quotes side by side) are reported speech together
        return all(self.is_suppressed(part.start, part.end) for part in match.parts)

    def _still_said(self, frame: Frame) -> bool:
        """Whether the frame counts in reported speech too: the message asks for help about
        what the writer got (``reported_in``: "anyone had this?") and nothing in it warns,
        debunks or states a right."""
        return not self.present.isdisjoint(frame.reported_in) and self.present.isdisjoint(ANSWERING)

    def _unspoilt_excuses(self, frame: Frame, match: Match) -> bool:
        """Lawful context anywhere in the message (``unless_unspoilt``) that nothing in the
        sentences the match spans spoils (``spoils``: a fee, a private contact, an inside
        channel, neither negated nor warned against)."""
        if not any(c in self.present for c in frame.unless_unspoilt):
            return False
        first = self._sentence_span(self.sentence_of(match.start))[0]
        last = self._sentence_span(self.sentence_of(max(match.start, match.end - 1)))[1]
        for category in frame.spoils:
            hits = self.of(category)
            for i in hits.starting_in(first, last):
                start, end = hits.start_at(i), hits.end_at(i)
                if not self.is_negated(start, end) and not self.is_suppressed(start, end):
                    return False
        return True

    def first_hit(self, categories: list[str]) -> Hit | None:
        """The hit of one of ``categories`` that starts first (ties: the earlier category, then
        the hit found first)."""
        best: tuple[int, int, Hits] | None = None
        for category in categories:
            hits = self.of(category)
            first = hits.first()
            if first is not None and (best is None or first[0] < best[0]):
                best = (first[0], first[1], hits)
        return None if best is None else best[2].hit(best[1])
