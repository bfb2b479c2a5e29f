"""CN-TGT-02: a contact person may be contacted only when the debtor is lost (失联).

Lost: the number is invalid, 3 consecutive failed calls (third-party contact from the next
day), unreachable for 3 days, or deceased. Until then the third-party contact is blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import BatchFace, Hit
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


def _failed_today(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
    zone = params["zone"]
    failed = (
        (p.h_to == "debtor")
        & (p.h_channel == "call")
        & p.h_outcome.isin(tuple(FAILED))
        & (bc.local_day(p.h_at, zone) == bc.local_day(p.at, zone))
    )
    return {"cn_tgt_02_failed_today": failed.any()}


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    long_gone = t.number_invalid | t.deceased | (t.days_unreachable >= params["days_unreachable"])
    is_lost = long_gone | (t.consecutive_failed_calls >= params["failed_calls"])
    third = t.to == "third_party"
    return [
        Hit(third & ~is_lost, Verdict.BLOCK, "债务人未失联 · the debtor is not lost"),
        Hit(
            third & is_lost & ~long_gone & t.cn_tgt_02_failed_today.fill_null(False),
            Verdict.BLOCK,
            "连续未接通次日起方可联系第三人 · contact persons from the day after failed calls",
            bc.next_local_midnight(t.at, params["zone"]),
        ),
    ]


RULE = Rule(
    "CN-TGT-02",
    "Contact persons only when the debtor is lost",
    "GB/T 45251-2025; CBA 2026 指引",
    "S",
    {"zone": "Asia/Shanghai", "failed_calls": 3, "days_unreachable": 3},
    check,
    BatchFace(batch, _failed_today, lambda params: 2),
)
