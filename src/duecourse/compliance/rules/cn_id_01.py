"""CN-ID-01: an agency does not present itself as the lender, and collectors do not use
private phones the lender has not approved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    out = []
    if contact.by == "agency" and contact.presents_as_lender:
        out.append(
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "委外机构不得以贷款机构名义催收 · an agency may not present itself as the lender",
            )
        )
    if contact.device == "private" and not params["private_devices_approved"]:
        out.append(
            Finding(
                RULE.id,
                Verdict.BLOCK,
                "不得使用未经批准的私人电话 · no unapproved private phones",
            )
        )
    return out


RULE = Rule(
    "CN-ID-01",
    "Agencies say who they are; no private phones",
    "CBA 2026 指引",
    "S",
    {"private_devices_approved": False},
    check,
)
