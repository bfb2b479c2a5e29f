"""CN-VIS-01: a field visit needs at least 2 collectors (quiet hours: CN-TIME-01)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel != "visit" or contact.collectors >= params["min_visitors"]:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"外访至少 {params['min_visitors']} 人 · a visit needs at least "
            f"{params['min_visitors']} collectors, {contact.collectors} planned",
        )
    ]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    need = params["min_visitors"]
    return [
        Hit(
            (t.channel == "visit") & (t.collectors < need),
            Verdict.BLOCK,
            f"外访至少 {need} 人 · a visit needs at least {need} collectors",
        )
    ]


RULE = Rule(
    "CN-VIS-01",
    "Visits need two collectors",
    "CBA 2026 指引 第二十二条",
    "S",
    {"min_visitors": 2},
    check,
    BatchFace(batch),
)
