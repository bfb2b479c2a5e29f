"""CN-VIS-02: during a visit, no entering a home, private place or office without consent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    visit = request.contact.visit
    if request.contact.channel != "visit" or visit is None or not visit.enters_premises:
        return []
    if visit.consent_to_enter:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            "未经同意不得进入住所或办公区 · no entering the home or office without "
            "recorded consent",
        )
    ]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    entering = (t.channel == "visit") & t.visit_given & t.enters_premises
    return [
        Hit(
            entering & ~t.consent_to_enter,
            Verdict.BLOCK,
            "未经同意不得进入住所或办公区 · no entering without recorded consent",
        )
    ]


RULE = Rule(
    "CN-VIS-02",
    "No entering private places without consent",
    "CBA 2026 指引",
    "S",
    {},
    check,
    BatchFace(batch),
)
