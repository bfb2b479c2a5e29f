"""CN-TGT-05: no spreading of the debtor's private information — above all, no messages to the
debtor's contact list (爆通讯录)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

REASON = "不得群发联系人（爆通讯录） · no messages to the contact list"


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.to == "third_party" and contact.recipients > params["max_third_party_recipients"]:
        return [Finding(RULE.id, Verdict.BLOCK, f"{REASON} ({contact.recipients} recipients)")]
    return []


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    many = t.recipients > params["max_third_party_recipients"]
    return [Hit((t.to == "third_party") & many, Verdict.BLOCK, REASON)]


RULE = Rule(
    "CN-TGT-05",
    "No spreading of private information",
    "小贷办法 2025; CBA 2026 指引; 民法典 1032/1033",
    "S",
    {"max_third_party_recipients": 1},
    check,
    BatchFace(batch),
)
