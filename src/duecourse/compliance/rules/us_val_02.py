"""US-VAL-02: the validation period ends 30 days after receipt, and receipt may be assumed no
earlier than 5 days — not counting Saturdays, Sundays and federal holidays — after the notice
was sent. A notice stating an earlier end date is blocked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import holidays

from duecourse.compliance.clock import local_date
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def earliest_end(sent: date, receipt_days: int, period_days: int) -> date:
    """The earliest end of the validation period for a notice sent on ``sent``."""
    federal = holidays.country_holidays("US", years=range(sent.year, sent.year + 2))
    day, counted = sent, 0
    while counted < receipt_days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in federal:
            counted += 1
    return day + timedelta(days=period_days)


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    shown = request.contact.validation_end_shown
    sent_at = request.debtor.validation_notice_sent_at or request.at
    if shown is None:
        return []
    sent = local_date(sent_at, params["zone"])
    end = earliest_end(sent, params["receipt_days"], params["period_days"])
    if shown >= end:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"the notice states {shown}; the validation period cannot end before {end}",
        )
    ]


# No batch face: validation notices are not planned by the daily run.
RULE = Rule(
    "US-VAL-02",
    "Validation period: 30 days after assumed receipt",
    "12 CFR 1006.34(b)(5), (c)(3)",
    "S",
    {"receipt_days": 5, "period_days": 30, "zone": "America/New_York"},
    check,
)
