"""CN-FREQ-03: if the debtor does not answer, at most 6 attempts a day to the same number,
unless agreed with the debtor (``consented``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.clock import local_date, next_local_midnight
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

UNANSWERED = frozenset({"unanswered", "voicemail", "busy", "not_connected"})


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel != "call" or contact.number is None or contact.consented:
        return []
    zone, limit = params["zone"], params["max_unanswered_attempts_per_number_per_day"]
    today = local_date(request.at, zone)
    tries = sum(
        1
        for p in request.history
        if p.channel == "call"
        and p.number == contact.number
        and p.outcome in UNANSWERED
        and local_date(p.at, zone) == today
    )
    if tries < limit:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"该号码今日未接通 {tries} 次，上限 {limit} · {tries} unanswered attempts to this "
            f"number today, limit {limit}",
            next_local_midnight(request.at, zone),
        )
    ]


RULE = Rule(
    "CN-FREQ-03",
    "At most 6 unanswered attempts a day to one number",
    "CBA 2026 指引",
    "S",
    {"zone": "Asia/Shanghai", "max_unanswered_attempts_per_number_per_day": 6},
    check,
)
