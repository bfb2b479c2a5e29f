"""``check-message``: findings with spans, and a verdict, for one collection message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from duecourse.compliance.message.patterns import (
    CJK,
    CLAUSE_BREAKS,
    NEGATION_REACH,
    NEGATIONS,
    PATTERNS,
    SCAMS,
    SIGNALS,
    VIOLATIONS,
    WARNED_AFTER,
    Code,
)


class MessageVerdict(StrEnum):
    """``violation`` beats ``suspected_scam`` beats ``pressure`` beats ``compliant``."""

    COMPLIANT = "compliant"
    PRESSURE = "pressure"
    VIOLATION = "violation"
    SUSPECTED_SCAM = "suspected_scam"


@dataclass(frozen=True, slots=True)
class MessageFinding:
    """One thing found: its code, rule, where it is (``[start, end)``) and why it matters."""

    code: Code
    rule: str | None
    span: tuple[int, int]
    explanation: str


@dataclass(frozen=True, slots=True)
class MessageCheck:
    verdict: MessageVerdict
    mentions_door_visit: bool
    findings: tuple[MessageFinding, ...]


def _negated(text: str, start: int, end: int) -> bool:
    """A negation shortly before the match, or a scam warning after it, in the same clause."""
    clause_start = 0
    for brk in CLAUSE_BREAKS.finditer(text, 0, start):
        clause_start = brk.end()
    following = CLAUSE_BREAKS.search(text, end)
    clause_end = following.start() if following else len(text)
    reach = NEGATION_REACH["zh" if CJK.search(text[clause_start:clause_end]) else "en"]
    before = text[max(clause_start, start - reach) : start]
    return bool(NEGATIONS.search(before) or WARNED_AFTER.search(text, end, clause_end))


def check_message(text: str) -> MessageCheck:
    """Check one message (Chinese or English)."""
    found: list[MessageFinding] = []
    for pattern in PATTERNS:
        for match in pattern.regex.finditer(text):
            if match.end() == match.start() or _negated(text, match.start(), match.end()):
                continue
            found.append(
                MessageFinding(
                    pattern.code, pattern.rule, (match.start(), match.end()), pattern.explanation
                )
            )
    found.sort(key=lambda f: (f.span[0], -f.span[1], f.code))
    kept: list[MessageFinding] = []
    for f in found:  # drop a match inside a longer match of the same code
        if not any(
            k.code == f.code and k.span[0] <= f.span[0] and f.span[1] <= k.span[1] for k in kept
        ):
            kept.append(f)
    found = kept
    codes = {f.code for f in found}
    if codes & VIOLATIONS:
        verdict = MessageVerdict.VIOLATION
    elif codes & SCAMS:
        verdict = MessageVerdict.SUSPECTED_SCAM
    elif codes & SIGNALS:
        verdict = MessageVerdict.PRESSURE
    else:
        verdict = MessageVerdict.COMPLIANT
    return MessageCheck(verdict, Code.DOOR_VISIT_MENTION in codes, tuple(found))


OPT_OUT = re.compile(r"(reply|text)\s+stop|unsubscribe|opt[ -]?out|退订|回复\s*TD", re.IGNORECASE)


def codes(text: str | None) -> frozenset[Code]:
    """Every code found in ``text`` (negated mentions excluded); none for no text."""
    return frozenset(f.code for f in check_message(text).findings) if text else frozenset()


def has_opt_out(text: str | None) -> bool:
    """Whether an electronic message tells the reader how to opt out (US-E-01)."""
    return text is None or bool(OPT_OUT.search(text))
