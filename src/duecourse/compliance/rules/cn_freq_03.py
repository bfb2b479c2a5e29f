"""CN-FREQ-03: if the debtor does not answer, at most 6 attempts a day to the same number,
unless agreed with the debtor (``consented``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import BatchFace, Hit
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


def _tries(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
    zone = params["zone"]
    counted = (
        (p.h_channel == "call")
        & (p.h_number == p.number)
        & p.h_outcome.isin(tuple(UNANSWERED))
        & (bc.local_day(p.h_at, zone) == bc.local_day(p.at, zone))
    )
    return {"cn_freq_03_tries": ibis.ifelse(counted, 1, 0).sum()}


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    limit = params["max_unanswered_attempts_per_number_per_day"]
    applies = (t.channel == "call") & t.number.notnull() & ~t.consented
    return [
        Hit(
            applies & (t.cn_freq_03_tries.fill_null(0) >= limit),
            Verdict.BLOCK,
            f"该号码今日未接通已达上限 {limit} · unanswered attempts to the number: {limit}",
            bc.next_local_midnight(t.at, params["zone"]),
        )
    ]


RULE = Rule(
    "CN-FREQ-03",
    "At most 6 unanswered attempts a day to one number",
    "CBA 2026 指引",
    "S",
    {"zone": "Asia/Shanghai", "max_unanswered_attempts_per_number_per_day": 6},
    check,
    BatchFace(batch, _tries, lambda params: 2),
)
