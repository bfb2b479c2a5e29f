"""US-3P-01: no communication about the debt with third parties."""

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
    if contact.to != "third_party":
        return []
    if contact.discloses_debt or contact.purpose != "locate":
        return [
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "a third party may only be asked for location information, without "
                "mentioning the debt",
            )
        ]
    return []


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [
        Hit(
            (t.to == "third_party") & (t.discloses_debt | (t.purpose != "locate")),
            Verdict.BLOCK,
            "a third party may only be asked for location information, without the debt",
        )
    ]


RULE = Rule(
    "US-3P-01",
    "No debt communication with third parties",
    "15 USC 1692c(b)",
    "V",
    {},
    check,
    BatchFace(batch),
)
