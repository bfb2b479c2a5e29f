"""CN-TGT-01: collect only from the debtor (and guarantors within the contract); never collect
from contact persons or unrelated third parties."""

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
    if contact.to == "third_party" and contact.purpose not in params["third_party_purposes"]:
        return [
            Finding(
                RULE.id, Verdict.BLOCK, "不得向第三人催收 a third party may not be asked to pay"
            )
        ]
    if contact.to == "guarantor" and contact.purpose == "collect":
        return [
            Finding(
                RULE.id,
                Verdict.REVIEW,
                "担保人催收须在法律和合同范围内，请人工确认 · collecting from a guarantor "
                "needs a person to confirm the contract allows it",
            )
        ]
    return []


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [
        Hit(
            (t.to == "third_party") & ~t.purpose.isin(tuple(params["third_party_purposes"])),
            Verdict.BLOCK,
            "不得向第三人催收 a third party may not be asked to pay",
        ),
        Hit(
            (t.to == "guarantor") & (t.purpose == "collect"),
            Verdict.REVIEW,
            "担保人催收须人工确认 · collecting from a guarantor needs a person to confirm",
        ),
    ]


RULE = Rule(
    "CN-TGT-01",
    "Collect only from the debtor",
    "GB/T 45251-2025; 信用卡办法 art. 68; 小贷办法 2025; CBA 2026 指引",
    "S",
    {"third_party_purposes": ("locate", "relay")},
    check,
    BatchFace(batch),
)
