"""US-FREQ-02: no call within 7 days after a telephone conversation about the debt
(the conversation's date is day 1, in the consumer's first zone)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.us_freq import conversations, debts_of
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel != "call" or contact.to != "debtor" or contact.consented:
        return []
    zone = ZoneInfo((request.debtor.timezones or (params["zone"],))[0])
    out = []
    for debt in debts_of(request):
        for talked in conversations(request.history, debt):
            if talked > request.at:
                continue
            first_day = talked.astimezone(zone).date()
            ends = datetime.combine(
                first_day + timedelta(days=params["days"]), time(0), tzinfo=zone
            )
            if request.at < ends:
                out.append(
                    Finding(
                        RULE.id,
                        Verdict.BLOCK,
                        f"a conversation about {debt} on {first_day}: no calls for "
                        f"{params['days']} days",
                        ends,
                    )
                )
                break
    return out


RULE = Rule(
    "US-FREQ-02",
    "No call within 7 days after a conversation",
    "12 CFR 1006.14(b)(2)(i)(B)",
    "S",
    {"days": 7, "zone": "America/New_York"},
    check,
)
