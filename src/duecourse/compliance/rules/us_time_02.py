"""US-TIME-02: times the consumer said are inconvenient are blocked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.clock import in_window, local, next_outside, parse_window
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import REAL_TIME, Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if request.contact.channel not in REAL_TIME or request.contact.consented:
        return []
    windows = [parse_window(w) for w in request.debtor.inconvenient_windows]
    zones = request.debtor.timezones
    if not windows or not zones:
        return []
    if not any(in_window(local(request.at, z).time(), w) for z in zones for w in windows):
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            "a time the consumer said is inconvenient",
            next_outside(request.at, zones, windows),
        )
    ]


RULE = Rule(
    "US-TIME-02", "Times the consumer named inconvenient", "15 USC 1692c(a)(1)", "V", {}, check
)
