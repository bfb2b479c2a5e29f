"""Findings: what a rule says about one contact, and how findings combine (the verdicts are
the domain's, :class:`duecourse.domain.vocabulary.Verdict`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from duecourse.domain.vocabulary import Verdict


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule's word on one contact.

    Attributes:
        next_allowed_at: for a block that time will lift (quiet hours, a daily cap), the first
            instant this rule would allow the contact; ``None`` when it will not lift by itself.
    """

    rule: str
    verdict: Verdict
    reason: str
    next_allowed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """All findings on one contact, combined: the strictest verdict wins.

    Attributes:
        rules: ids of the rules that blocked, asked for review or warned, strictest first.
        next_allowed_at: when every block lifts, if they all lift by themselves.
    """

    verdict: Verdict
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    next_allowed_at: datetime | None
    findings: tuple[Finding, ...] = field(default=())


def combine(findings: Iterable[Finding]) -> Outcome:
    """Combine findings; ``allow`` when there are none that object."""
    found = tuple(findings)
    if not found:
        return _NOTHING
    objections = sorted(
        (f for f in found if f.verdict is not Verdict.ALLOW),
        key=lambda f: (-f.verdict.severity, f.rule),
    )
    verdict = objections[0].verdict if objections else Verdict.ALLOW
    blocks = [f for f in objections if f.verdict is Verdict.BLOCK]
    lift = None
    if blocks and all(f.next_allowed_at is not None for f in blocks):
        lift = max(f.next_allowed_at for f in blocks if f.next_allowed_at is not None)
    rules = tuple(dict.fromkeys(f.rule for f in objections))
    reasons = tuple(f"{f.rule}: {f.reason}" for f in objections)
    return Outcome(verdict, rules, reasons, lift, found)


_NOTHING = Outcome(Verdict.ALLOW, (), (), None, ())

__all__ = ["Finding", "Outcome", "Verdict", "combine"]
