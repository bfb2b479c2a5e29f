"""US-FREQ-01/03/04: presumed violation above 7 calls in 7 days per person and debt.

Unanswered calls and voicemails count; calls that did not connect and calls within 7 days of
the person's direct consent do not. A call about several debts counts for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.us_freq import counted_calls, debts_of
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel != "call" or contact.to != "debtor" or contact.consented:
        return []
    days, cap = params["window_days"], params["max_calls"]
    out = []
    for debt in debts_of(request):
        calls = sorted(p.at for p in counted_calls(request, debt, days))
        if len(calls) >= cap:
            lifts = calls[len(calls) - cap] + timedelta(days=days)
            out.append(
                Finding(
                    RULE.id,
                    Verdict.BLOCK,
                    f"{len(calls)} calls about {debt} in {days} days (cap {cap})",
                    lifts,
                )
            )
    return out


RULE = Rule(
    "US-FREQ-01",
    "At most 7 calls in 7 days per debt",
    "12 CFR 1006.14(b)(2)(i)(A)",
    "V",
    {"window_days": 7, "max_calls": 7},
    check,
)
