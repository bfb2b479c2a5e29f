"""``check-message``: findings with spans, and a verdict, for one collection message.

Layers, each its own module: ``normalise`` (what the sender dodged, mapped back to the user's
offsets), ``analyse`` (clauses, the categories of ``lexicon.yaml`` found in them, and their
polarity), the frames of ``frames.yaml`` (which categories together make a finding), ``links``
(which links are suspicious) and ``learned`` (a linear model that may add a code a frame partly
found, or take one away). This module composes them and gives the verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from duecourse.compliance.message.analyse import Analysis
from duecourse.compliance.message.codes import SCAMS, SIGNALS, VIOLATIONS, Code
from duecourse.compliance.message.learned import (
    LAWFUL_CONTEXT,
    LAWFUL_FOR,
    LAWFUL_NOTICE,
    MAX_CHARS,
    Model,
    adjust,
    bundled,
    candidates,
    evidence_features,
)
from duecourse.compliance.message.lexicon import Lexicon, lexicon
from duecourse.compliance.message.links import has_link, suspicious_links
from duecourse.compliance.message.normalise import Normalised, has_words, normalise
from duecourse.compliance.message.segments import CLAUSE_BREAKS, SENTENCE_BREAKS, last_break
from duecourse.errors import BadUsage

#: At most this many findings are reported; ``MessageCheck.omitted`` counts the rest.
MAX_FINDINGS = 50


class MessageVerdict(StrEnum):
    """``violation`` beats ``suspected_scam`` beats ``pressure`` beats ``compliant``."""

    COMPLIANT = "compliant"
    PRESSURE = "pressure"
    VIOLATION = "violation"
    SUSPECTED_SCAM = "suspected_scam"


class MessageError(BadUsage):
    """A text that cannot be judged: empty, or without a single word (exit 2)."""


@dataclass(frozen=True, slots=True)
class MessageFinding:
    """One thing found: its code, rule, where it is in the user's text (``[start, end)``) and
    why it matters, naming the words that make it."""

    code: Code
    rule: str | None
    span: tuple[int, int]
    explanation: str


@dataclass(frozen=True, slots=True)
class MessageCheck:
    verdict: MessageVerdict
    mentions_door_visit: bool
    findings: tuple[MessageFinding, ...]
    omitted: int = 0  # findings past MAX_FINDINGS, not listed
    codes: frozenset[Code] = frozenset()  # every code found, listed or not


def _verdict(codes: set[Code]) -> MessageVerdict:
    if codes & VIOLATIONS:
        return MessageVerdict.VIOLATION
    if codes & SCAMS:
        return MessageVerdict.SUSPECTED_SCAM
    if codes & SIGNALS:
        return MessageVerdict.PRESSURE
    return MessageVerdict.COMPLIANT


#: code, rule, start, end (in the normalised text), why, and the spans of the words ``why``
#: names (the explanation is written only for the findings listed; plain tuples of numbers,
#: which the garbage collector stops tracking, as a long text holds hundreds of thousands)
_Found = tuple[Code, str | None, int, int, str, tuple[tuple[int, int], ...]]


@cache
def _codes_of(frame_parts: tuple[tuple[Code, frozenset[str]], ...]) -> dict[str, frozenset[Code]]:
    """Each category and the codes of the frames it is a part of."""
    codes: dict[str, set[Code]] = {}
    for code, parts in frame_parts:
        for part in parts:
            codes.setdefault(part, set()).add(code)
    return {part: frozenset(found) for part, found in codes.items()}


@dataclass(frozen=True, slots=True)
class FrameResult:
    """What the frames and link rules found in one text, before the learned layer."""

    norm: Normalised
    analysis: Analysis
    found: list[_Found]

    def candidates(self) -> tuple[set[Code], set[Code], bool]:
        """Codes found, the codes of which a part of a frame is present (a link for
        ``SUSPICIOUS_LINK``; no scam code in a lawful payment or credit-report notice) and whether
        the message holds lawful context."""
        found = {f[0] for f in self.found}
        present = self.analysis.present
        lex = self.analysis.lex
        codes_of = _codes_of(lex.frame_parts)
        partial = {code for category in present for code in codes_of.get(category, ())}
        partial |= self.analysis.excused
        if has_link(self.norm.text):
            partial.add(Code.SUSPICIOUS_LINK)
        if not present.isdisjoint(LAWFUL_NOTICE):
            partial -= SCAMS
        for category in present & LAWFUL_FOR.keys():
            partial -= LAWFUL_FOR[category]
        return found, partial, not present.isdisjoint(LAWFUL_CONTEXT)

    def inputs(self) -> tuple[set[Code], set[str], set[Code], bool]:
        """The learned layer's inputs: ``candidates`` and the evidence features."""
        found, partial, context = self.candidates()
        evidence = evidence_features(
            found, self.analysis.present, self.analysis.excused, self.norm.text
        )
        return found, evidence, partial, context


def frames(text: str) -> FrameResult:
    """Normalise ``text`` and find every frame and suspicious link in it (no learned layer)."""
    lex = lexicon()
    norm = normalise(text, lex.dodges)
    analysis = Analysis(norm.text, lex)
    found: list[_Found] = []
    for match in analysis.matches():
        frame = match.frame
        found.append(
            (
                frame.code,
                frame.rule,
                match.start,
                match.end,
                frame.explanation,
                tuple([(p.start, p.end) for p in match.parts]),
            )
        )
    for start, end, why in suspicious_links(text, norm, lex.link):
        suppressed = analysis.is_suppressed(start, end, rights=False)
        if not suppressed and not analysis.is_negated(start, end):  # 「……不是我们的」 disowns it
            found.append(
                (lex.link.code, lex.link.rule, start, end, f"{lex.link.explanation}: {why}", ())
            )
    return FrameResult(norm, analysis, _implied(found, lex, analysis))


def _implied(found: list[_Found], lex: Lexicon, analysis: Analysis) -> list[_Found]:
    """``found`` with each implied finding in the place of its ``at`` findings (run on the
    frames' findings and again after the learned layer, which may add a ``when`` code); a rule
    ``within`` a sentence replaces only the ``at`` findings that share a sentence with a finding
    of another of its ``when`` codes."""
    for rule in lex.implied:
        present = {f[0] for f in found}
        if not rule.when <= present:
            continue
        if rule.sentence:
            others = rule.when - {rule.at}
            sentences = {analysis.sentence_of(f[2]) for f in found if f[0] in others}
            replaced = [
                f for f in found if f[0] == rule.at and analysis.sentence_of(f[2]) in sentences
            ]
        else:
            replaced = [f for f in found if f[0] == rule.at]
        if not replaced:
            continue
        if rule.code not in present:
            at = replaced[0]
            found.append((rule.code, rule.rule, at[2], at[3], rule.explanation, ()))
        found = [f for f in found if f not in replaced]
    return found


def _why(text: str, explanation: str, parts: tuple[tuple[int, int], ...]) -> str:
    """The explanation with the words that make the finding."""
    if not parts:
        return explanation
    return explanation + ": " + "、".join(f"「{text[a:b]}」" for a, b in parts)


def _learned(result: FrameResult, model: Model) -> list[_Found]:
    """The frames' findings with the learned layer's additions and removals."""
    found, partial, context = result.candidates()
    may_add, may_drop = candidates(found, partial, context, model.thresholds)
    if not may_add and not may_drop:
        return result.found  # nothing the model could change: it is not asked
    evidence = evidence_features(
        found, result.analysis.present, result.analysis.excused, result.norm.text
    )
    probs = model.probabilities(result.norm.text, evidence, may_add | may_drop)
    added, dropped = adjust(found, probs, partial, context, model.thresholds)
    kept = [f for f in result.found if f[0] not in dropped]
    lex, analysis = result.analysis.lex, result.analysis
    for code in sorted(added):
        frame = next(f for f in lex.frames if f.code == code)
        first = analysis.first_hit([part for f in lex.frames if f.code == code for part in f.parts])
        start, end = (first.start, first.end) if first else (0, len(result.norm.text))
        why = f"{frame.explanation}（模型判断 learned model {probs[code]:.2f}）"
        kept.append((code, frame.rule, start, end, why, ((start, end),) if first else ()))
    return kept


#: A text longer than this many characters is judged in pieces of at most this many, cut at the
#: end of a line (else of a sentence or a clause, as ``segments`` defines them, else at a space):
#: a pasted chat log or many messages at once, where a warning or a complaint in one message
#: excuses nothing in another. No corpus message is a sixth as long; the learned layer reads only
#: texts of ``MAX_CHARS`` or fewer.
PIECE_CHARS = 2000


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` of the pieces ``text`` is judged in: one for a text of at most ``size``
    characters; else consecutive pieces of at most ``size``, each cut after the last line end in
    it, else after the last sentence end, clause end or space, else at ``size``."""
    cuts: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        at = text.rfind("\n", start, end) + 1
        if at <= start:
            at = last_break(SENTENCE_BREAKS, text, start, end)
        if at <= start:
            at = last_break(CLAUSE_BREAKS, text, start, end)
        if at <= start:
            at = text.rfind(" ", start, end) + 1
        if at <= start:
            at = end
        cuts.append((start, at))
        start = at
    cuts.append((start, len(text)))
    return cuts


def _kept(text: str, model: Model | None) -> tuple[Normalised, list[_Found]]:
    """The normalised ``text`` and its findings in order, one per code for overlapping words."""
    result = frames(text)
    found = result.found
    if model is not None and len(result.norm.text) <= MAX_CHARS:
        found = _implied(_learned(result, model), result.analysis.lex, result.analysis)
    found.sort(key=lambda f: (f[2], -f[3], f[0]))
    kept: list[_Found] = []
    for f in found:  # one finding per code for overlapping words
        code, start, end = f[0], f[2], f[3]
        for k in kept[-8:]:
            if k[0] == code and k[2] < end and start < k[3]:
                break
        else:
            kept.append(f)
    return result.norm, kept


def check_message(text: str, learned: Model | bool = True) -> MessageCheck:
    """Check one message (Chinese or English). Raises ``MessageError`` for a text with no words.
    ``learned``: the bundled model (``True``), none (``False``) or the model given. A text
    longer than ``PIECE_CHARS`` is judged in ``pieces``, by the frames alone."""
    if not text.strip():
        raise MessageError("信息为空", "The message is empty.")
    if not has_words(text):
        raise MessageError("信息中没有文字", "The message holds no words to check.")
    model = bundled() if learned is True else (learned or None)
    cuts = pieces(text)
    codes: set[Code] = set()
    listed: list[MessageFinding] = []
    total = 0
    for start, end in cuts:
        norm, kept = _kept(text[start:end], model if len(cuts) == 1 else None)
        codes.update(f[0] for f in kept)
        total += len(kept)
        for code, rule, a, b, why, parts in kept[: MAX_FINDINGS - len(listed)]:
            first, last = norm.original_span(a, b)
            span = (first + start, last + start)
            listed.append(MessageFinding(code, rule, span, _why(norm.text, why, parts)))
    return MessageCheck(
        _verdict(codes),
        Code.DOOR_VISIT_MENTION in codes,
        tuple(listed),
        total - len(listed),
        frozenset(codes),
    )


OPT_OUT = re.compile(r"(reply|text)\s+stop|unsubscribe|opt[ -]?out|退订|回复\s*TD", re.IGNORECASE)


def findings(text: str | None) -> tuple[MessageFinding, ...]:
    """The findings in ``text``; none for no text or a text without words (the contact and
    template checks judge texts that may be empty; ``check-message`` refuses those instead)."""
    if not text or not has_words(text):
        return ()
    return check_message(text).findings


def codes(text: str | None) -> frozenset[Code]:
    """Every code found in ``text`` (negated mentions excluded); none for no text or no words."""
    if not text or not has_words(text):
        return frozenset()
    return check_message(text).codes


def has_opt_out(text: str | None) -> bool:
    """Whether an electronic message tells the reader how to opt out (US-E-01)."""
    return text is None or bool(OPT_OUT.search(text))
