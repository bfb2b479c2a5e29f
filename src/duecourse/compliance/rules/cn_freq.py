"""Shared counting for the CN daily frequency caps (key: debtor and Beijing date)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.clock import local_date, next_local_midnight
from duecourse.compliance.request import ContactRequest, PastContact
from duecourse.compliance.verdict import Finding, Verdict


def daily_cap(
    request: ContactRequest,
    rule_id: str,
    zone: str,
    limit: int,
    counts: Callable[[PastContact], bool],
    what: tuple[str, str],
) -> list[Finding]:
    """Block a call to the debtor once ``limit`` counted contacts happened on the same day."""
    contact = request.contact
    if contact.channel != "call" or contact.to != "debtor":
        return []
    today = local_date(request.at, zone)
    done = sum(1 for p in _same_day(request.history, today, zone) if counts(p))
    if done < limit:
        return []
    return [
        Finding(
            rule_id,
            Verdict.BLOCK,
            f"今日{what[0]} {done} 次，上限 {limit} · {done} {what[1]} today, limit {limit}",
            next_local_midnight(request.at, zone),
        )
    ]


def _same_day(history: Iterable[PastContact], day: object, zone: str) -> list[PastContact]:
    return [p for p in history if p.to == "debtor" and local_date(p.at, zone) == day]


def daily_cap_face(
    prefix: str,
    limit_key: str,
    counts: Callable[[ir.Table], ir.BooleanValue],
    what: tuple[str, str],
) -> BatchFace:
    """:func:`daily_cap` over a table of requests."""
    done = f"{prefix}_done"

    def aggregates(p: ir.Table, params: Mapping[str, Any]) -> dict[str, ir.Scalar]:
        zone = params["zone"]
        same_day = bc.local_day(p.h_at, zone) == bc.local_day(p.at, zone)
        return {done: ibis.ifelse((p.h_to == "debtor") & same_day & counts(p), 1, 0).sum()}

    def findings(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
        limit = params[limit_key]
        calls_debtor = (t.channel == "call") & (t.to == "debtor")
        return [
            Hit(
                calls_debtor & (t[done].fill_null(0) >= limit),
                Verdict.BLOCK,
                f"今日{what[0]}已达上限 {limit} · {what[1]} today reached the limit {limit}",
                bc.next_local_midnight(t.at, params["zone"]),
            )
        ]

    return BatchFace(findings, aggregates, lambda params: 2)
