"""CN-TIME-01: no collection contact of any kind in quiet hours unless the debtor agreed.

Quiet window ``[22:00, 08:00)`` Beijing time: 22:00:00 is blocked, 08:00:00 allowed. duecourse
also applies it in every candidate zone of the debtor (conservative). A contact inside a window
the debtor agreed to (``agreed_windows``, in the debtor's first zone) is allowed.
"""

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
    if request.contact.channel not in REAL_TIME:
        return []
    zones = tuple(dict.fromkeys((params["zone"], *request.debtor.timezones)))
    quiet = parse_window(params["quiet"])
    own_zone = request.debtor.timezones[0] if request.debtor.timezones else params["zone"]
    own_time = local(request.at, own_zone).time()
    agreed = [parse_window(w) for w in request.debtor.agreed_windows]
    if any(in_window(own_time, w) for w in agreed):
        return []
    noisy = [z for z in zones if in_window(local(request.at, z).time(), quiet)]
    if not noisy:
        return []
    when = ", ".join(f"{local(request.at, z):%H:%M} {z}" for z in noisy)
    lift = next_outside(request.at, zones, [quiet])
    if lift is None:
        when += "; 各时区无共同可联系时段 no time suits every candidate zone"
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"静默时段 quiet hours {params['quiet'][0]}–{params['quiet'][1]} ({when})",
            lift,
        )
    ]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    quiet, zone = params["quiet"], params["zone"]
    noisy = bc.in_window(t.at, zone, quiet) | bc.in_window(t.at, t.zone, quiet)
    return [
        Hit(
            t.channel.isin(REAL_TIME_LIST) & noisy,
            Verdict.BLOCK,
            f"静默时段 quiet hours {quiet[0]}–{quiet[1]}",
            ibis.ifelse(noisy, bc.next_outside(t.at, [zone, t.zone], quiet), None),
        )
    ]


RULE = Rule(
    "CN-TIME-01",
    "No contact in quiet hours",
    "CBA 2026 指引; GB/T 45251-2025; 互金 interim 指引",
    "S",
    {"zone": "Asia/Shanghai", "quiet": ("22:00", "08:00")},
    check,
    BatchFace(batch, zoned=True),
)
