"""CN-TGT-03: with a third party, only ask for the debtor's whereabouts or to pass on a
message, and never disclose the debt or any financial information."""

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
    out = []
    if contact.discloses_debt:
        out.append(
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "不得向第三人透露债务信息 · the debt may not be disclosed to a third party",
            )
        )
    if contact.purpose not in params["purposes"]:
        out.append(
            Finding(
                RULE.id,
                Verdict.BLOCK,
                f"第三人联系目的限于 {', '.join(params['purposes'])} · purpose "
                f"{contact.purpose!r} is not allowed with a third party",
            )
        )
    return out


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    third = t.to == "third_party"
    return [
        Hit(third & t.discloses_debt, Verdict.BLOCK, "不得向第三人透露债务 · no disclosure"),
        Hit(
            third & ~t.purpose.isin(tuple(params["purposes"])),
            Verdict.BLOCK,
            "第三人联系目的受限 · purpose not allowed with a third party",
        ),
    ]


RULE = Rule(
    "CN-TGT-03",
    "Third parties: locate or relay only, no disclosure",
    "CBA 2026 指引; GB/T 45251-2025",
    "S",
    {"purposes": ("locate", "relay")},
    check,
    BatchFace(batch),
)
