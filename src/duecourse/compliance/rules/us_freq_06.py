"""US-FREQ-06: warning factors that may rebut compliance: a call within 5 minutes of an
unanswered call to the same number, or a 7th call to the same number in one day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.clock import local_date
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
    zone = (request.debtor.timezones or (params["zone"],))[0]
    today = [p for p in same if local_date(p.at, zone) == local_date(request.at, zone)]
    if len(today) + 1 >= params["calls_same_number_per_day"]:
        out.append(Finding(RULE.id, Verdict.WARN, f"{len(today) + 1} calls to this number today"))
    return out


def _pattern(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
    same = (p.h_channel == "call") & (p.h_number == p.number) & (p.h_at <= p.at)
    gap = ibis.interval(minutes=params["min_gap_minutes"])
    recent = same & (p.h_outcome == "unanswered") & (p.at - gap < p.h_at)
    today = same & (bc.local_day(p.h_at, p.zone) == bc.local_day(p.at, p.zone))
    return {"us_freq_06_recent": recent.any(), "us_freq_06_today": ibis.ifelse(today, 1, 0).sum()}


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    applies = (t.channel == "call") & t.number.notnull()
    per_day = params["calls_same_number_per_day"]
    return [
        Hit(
            applies & t.us_freq_06_recent.fill_null(False),
            Verdict.WARN,
            "unanswered call to this number moments ago",
        ),
        Hit(
            applies & (t.us_freq_06_today.fill_null(0) + 1 >= per_day),
            Verdict.WARN,
            "many calls to this number today",
        ),
    ]


RULE = Rule(
    "US-FREQ-06",
    "Call patterns that weaken the safe harbour",
    "CFPB FAQ (rebuttal)",
    "S",
    {"min_gap_minutes": 5, "calls_same_number_per_day": 7, "zone": "America/New_York"},
    check,
    BatchFace(batch, _pattern, lambda params: 2, zoned=True),
)
