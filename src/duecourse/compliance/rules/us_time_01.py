"""US-TIME-01/03/04: no communication before 8 a.m. or from 9 p.m. in the consumer's local time,
in every candidate zone when the location is ambiguous, unless the consumer consented directly."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.clock import in_window, local, next_outside, parse_window
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import REAL_TIME, REAL_TIME_LIST, Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if request.contact.channel not in REAL_TIME or request.contact.consented:
        return []
    zones = request.debtor.timezones or (params["zone"],)
    inconvenient = parse_window(params["inconvenient"])
    late = [z for z in zones if in_window(local(request.at, z).time(), inconvenient)]
    if not late:
        return []
    when = ", ".join(f"{local(request.at, z):%H:%M} {z}" for z in late)
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"inconvenient time ({when}); allowed 08:00–21:00 in every candidate zone",
            next_outside(request.at, zones, [inconvenient]),
        )
    ]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    window = params["inconvenient"]
    applies = t.channel.isin(REAL_TIME_LIST) & ~t.consented
    late = bc.in_window(t.at, t.zone, window)
    return [
        Hit(
            applies & late,
            Verdict.BLOCK,
            f"inconvenient time; allowed {window[1]}–{window[0]} local",
            ibis.ifelse(late, bc.next_outside(t.at, [t.zone], window), None),
        )
    ]


RULE = Rule(
    "US-TIME-01",
    "Only 8 a.m. to 9 p.m. local, in every candidate zone",
    "12 CFR 1006.6(b)(1)(i); 15 USC 1692c(a)(1)",
    "V",
    {"zone": "America/New_York", "inconvenient": ("21:00", "08:00")},
    check,
    BatchFace(batch, zoned=True),
)
