"""US-FREQ-01/03/04: presumed violation above 7 calls in 7 days per person and debt.

Unanswered calls and voicemails count; calls that did not connect and calls within 7 days of
the person's direct consent do not. A call about several debts counts for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.us_freq import NOT_CONNECTED, counted_calls, debts_of
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


def _calls(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
    window = ibis.interval(days=params["window_days"])
    since = p.at - window
    counted = (
        (p.h_channel == "call")
        & (p.h_to == "debtor")
        & p.h_debts.contains(ibis.literal(",").concat(p.debt, ","))
        & (p.h_at > since)
        & (p.h_at <= p.at)
        & ~p.h_outcome.isin(tuple(NOT_CONNECTED))
        & ~(p.h_consented & (p.h_at >= since))
    )
    return {
        "us_freq_01_n": p.h_at.count(where=counted),
        "us_freq_01_at": p.h_at.collect(where=counted),
    }


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    cap = params["max_calls"]
    n = t.us_freq_01_n.fill_null(0)
    applies = (t.channel == "call") & (t.to == "debtor") & ~t.consented
    oldest_counted = t.us_freq_01_at.sort()[n - cap]
    return [
        Hit(
            applies & (n >= cap),
            Verdict.BLOCK,
            f"{cap} or more calls about the debt in {params['window_days']} days",
            oldest_counted + ibis.interval(days=params["window_days"]),
        )
    ]


RULE = Rule(
    "US-FREQ-01",
    "At most 7 calls in 7 days per debt",
    "12 CFR 1006.14(b)(2)(i)(A)",
    "V",
    {"window_days": 7, "max_calls": 7},
    check,
    BatchFace(batch, _calls, lambda params: params["window_days"] + 1),
)
