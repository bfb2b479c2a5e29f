"""``check-message``: findings with spans, and a verdict, for one collection message.

Four layers, each its own module: ``normalise`` (what the sender dodged, mapped back to the
user's offsets), ``analyse`` (clauses, the categories of ``lexicon.yaml`` found in them, and
their polarity), the frames of ``frames.yaml`` (which categories together make a finding) and
``links`` (which links are suspicious). This module composes them and gives the verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from duecourse.compliance.message.analyse import Analysis
from duecourse.compliance.message.codes import SCAMS, SIGNALS, VIOLATIONS, Code
from duecourse.compliance.message.lexicon import lexicon
from duecourse.compliance.message.links import suspicious_links
from duecourse.compliance.message.normalise import has_words, normalise
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


def check_message(text: str) -> MessageCheck:
    """Check one message (Chinese or English). Raises ``MessageError`` for a text with no words."""
    if not text.strip():
        raise MessageError("信息为空", "The message is empty.")
    if not has_words(text):
        raise MessageError("信息中没有文字", "The message holds no words to check.")
    lex = lexicon()
    norm = normalise(text, lex.dodges)
    analysis = Analysis(norm.text, lex)
    found: list[tuple[Code, str | None, int, int, str]] = []
    for match in analysis.matches():
        words = "、".join(f"「{norm.text[p.start : p.end]}」" for p in match.parts)
        frame = match.frame
        found.append(
            (frame.code, frame.rule, match.start, match.end, f"{frame.explanation}: {words}")
        )
    for start, end, why in suspicious_links(text, norm, lex.link):
        if not analysis.is_suppressed(start, end, rights=False) and not analysis.is_negated(start):
            found.append(
                (lex.link.code, lex.link.rule, start, end, f"{lex.link.explanation}: {why}")
            )
    present = {f[0] for f in found}
    for rule in lex.implied:
        if rule.when <= present and rule.code not in present:
            at = next(f for f in found if f[0] == rule.at)
            found.append((rule.code, rule.rule, at[2], at[3], rule.explanation))
    found.sort(key=lambda f: (f[2], -f[3], f[0]))
    kept: list[tuple[Code, str | None, int, int, str]] = []
    for f in found:  # one finding per code for overlapping words
        if not any(k[0] == f[0] and k[2] < f[3] and f[2] < k[3] for k in kept[-8:]):
            kept.append(f)
    codes = {f[0] for f in kept}
    findings = tuple(
        MessageFinding(code, rule, norm.original_span(start, end), why)
        for code, rule, start, end, why in kept[:MAX_FINDINGS]
    )
    return MessageCheck(
        _verdict(codes),
        Code.DOOR_VISIT_MENTION in codes,
        findings,
        max(0, len(kept) - MAX_FINDINGS),
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
