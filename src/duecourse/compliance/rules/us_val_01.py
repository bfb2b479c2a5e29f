"""US-VAL-01: validation information goes out with the initial communication or within 5 days
of it; until it has, collection contacts after those 5 days are blocked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    d = request.debtor
    if request.contact.purpose != "collect" or d.first_communication_at is None:
        return []
    due = d.first_communication_at + timedelta(days=params["days"])
    if d.validation_notice_sent_at is not None or request.at <= due:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"validation notice was due by {due:%Y-%m-%d %H:%M %Z}: send it before collecting",
        )
    ]


# No batch face: the store does not yet record validation notices (a US-only document).
RULE = Rule(
    "US-VAL-01",
    "Validation notice within 5 days of the first communication",
    "12 CFR 1006.34(a)",
    "V",
    {"days": 5},
    check,
)
