"""US-FREQ-02: no call within 7 days after a telephone conversation about the debt
(the conversation's date is day 1, in the consumer's first zone)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import BatchFace, Hit
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
        ends = [
            datetime.combine(
                talked.astimezone(zone).date() + timedelta(days=params["days"]), time(0), zone
            )
            for talked in conversations(request, debt)
            if talked <= request.at
        ]
        blocking = [end for end in ends if request.at < end]
        if blocking:
            lifts = max(blocking)
            first_day = (lifts - timedelta(days=params["days"])).date()
            out.append(
                Finding(
                    RULE.id,
                    Verdict.BLOCK,
                    f"a conversation about {debt} on {first_day}: no calls for "
                    f"{params['days']} days",
                    lifts,
                )
            )
    return out


def _last_end(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
    about = p.h_debts.contains(ibis.literal(",").concat(p.debt, ",")) | (p.debt == "*")
    talked = (p.h_to == "debtor") & (p.h_outcome == "conversation") & about & (p.h_at <= p.at)
    day = bc.local_day(p.h_at, p.zone).cast("timestamp") + ibis.interval(days=params["days"])
    ends = bc.instant(day, p.zone)
    blocking = talked & (p.at < ends)
    return {"us_freq_02_until": ibis.ifelse(blocking, ends, ibis.null(bc.UTC)).max()}


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    applies = (t.channel == "call") & (t.to == "debtor") & ~t.consented
    return [
        Hit(
            applies & t.us_freq_02_until.notnull(),
            Verdict.BLOCK,
            f"a conversation about the debt: no calls for {params['days']} days",
            t.us_freq_02_until,
        )
    ]


RULE = Rule(
    "US-FREQ-02",
    "No call within 7 days after a conversation",
    "12 CFR 1006.14(b)(2)(i)(B)",
    "S",
    {"days": 7, "zone": "America/New_York"},
    check,
    BatchFace(batch, _last_end, lambda params: params["days"] + 2, zoned=True),
)
