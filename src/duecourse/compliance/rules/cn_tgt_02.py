"""CN-TGT-02: a contact person may be contacted only when the debtor is lost (失联).

Lost: the number is invalid, 3 consecutive failed calls (third-party contact from the next
day), unreachable for 3 days, or deceased. Until then the third-party contact is blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.clock import local_date, next_local_midnight
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

FAILED = frozenset({"unanswered", "voicemail", "busy", "not_connected"})


def lost(request: ContactRequest, params: Mapping[str, Any]) -> bool:
    d = request.debtor
    return (
        d.number_invalid
        or d.deceased
        or d.consecutive_failed_calls >= params["failed_calls"]
        or d.days_unreachable >= params["days_unreachable"]
    )


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if request.contact.to != "third_party":
        return []
    d = request.debtor
    if not lost(request, params):
        return [
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "债务人未失联，不得联系第三人 · the debtor is not lost; contact persons "
                "may not be called",
            )
        ]
    only_calls = not (
        d.number_invalid or d.deceased or d.days_unreachable >= params["days_unreachable"]
    )
    zone = params["zone"]
    failed_today = any(
        p.to == "debtor"
        and p.channel == "call"
        and p.outcome in FAILED
        and local_date(p.at, zone) == local_date(request.at, zone)
        for p in request.history
    )
    if only_calls and failed_today:
        return [
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "连续未接通次日起方可联系第三人 · after failed calls, contact persons may "
                "be called from the next day",
                next_local_midnight(request.at, zone),
            )
        ]
    return []


RULE = Rule(
    "CN-TGT-02",
    "Contact persons only when the debtor is lost",
    "GB/T 45251-2025; CBA 2026 指引",
    "S",
    {"zone": "Asia/Shanghai", "failed_calls": 3, "days_unreachable": 3},
    check,
)
