"""US-WORK-01: no contact at the consumer's workplace when the employer prohibits it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if request.contact.at_workplace and request.debtor.employer_prohibits:
        return [Finding(RULE.id, Verdict.BLOCK, "the employer prohibits contact at work")]
    return []


# No batch face: the store holds no workplace or employer facts, so the daily run never plans
# a contact at work.
RULE = Rule(
    "US-WORK-01",
    "No workplace contact the employer prohibits",
    "15 USC 1692c(a)(3)",
    "V",
    {},
    check,
)
