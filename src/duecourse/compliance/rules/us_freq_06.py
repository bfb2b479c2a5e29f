"""US-FREQ-06: warning factors that may rebut compliance: a call within 5 minutes of an
unanswered call to the same number, or a 7th call to the same number in one day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel != "call" or contact.number is None:
        return []
    same = [
        p
        for p in request.history
        if p.channel == "call" and p.number == contact.number and p.at <= request.at
    ]
    out = []
    gap = timedelta(minutes=params["min_gap_minutes"])
    if any(p.outcome == "unanswered" and request.at - p.at < gap for p in same):
        out.append(
            Finding(
                RULE.id,
                Verdict.WARN,
                f"unanswered call to this number less than {params['min_gap_minutes']} minutes ago",
            )
        )
    today = [p for p in same if p.at.date() == request.at.date()]
    if len(today) + 1 >= params["calls_same_number_per_day"]:
        out.append(Finding(RULE.id, Verdict.WARN, f"{len(today) + 1} calls to this number today"))
    return out


RULE = Rule(
    "US-FREQ-06",
    "Call patterns that weaken the safe harbour",
    "CFPB FAQ (rebuttal)",
    "S",
    {"min_gap_minutes": 5, "calls_same_number_per_day": 7},
    check,
)
