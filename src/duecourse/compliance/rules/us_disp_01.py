"""US-DISP-01: after a dispute in the validation period, collection stops until verified."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if not request.debtor.dispute_open or request.contact.purpose != "collect":
        return []
    return [Finding(RULE.id, Verdict.BLOCK, "a dispute is open: verify the debt first")]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [
        Hit(
            t.dispute_open & (t.purpose == "collect"),
            Verdict.BLOCK,
            "a dispute is open: verify the debt first",
        )
    ]


RULE = Rule(
    "US-DISP-01",
    "Disputes stop collection until verified",
    "15 USC 1692g(b); 12 CFR 1006.38",
    "R",
    {},
    check,
    BatchFace(batch),
)
