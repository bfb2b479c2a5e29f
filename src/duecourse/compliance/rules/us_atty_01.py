"""US-ATTY-01: with an attorney on file for the debt, contact the attorney only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if not request.debtor.attorney_on_file or request.contact.to != "debtor":
        return []
    if request.contact.consented:
        return []
    return [Finding(RULE.id, Verdict.BLOCK, "the consumer has an attorney: contact the attorney")]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [
        Hit(
            t.attorney_on_file & (t.to == "debtor") & ~t.consented,
            Verdict.BLOCK,
            "the consumer has an attorney: contact the attorney",
        )
    ]


RULE = Rule(
    "US-ATTY-01",
    "Attorney on file: contact the attorney only",
    "15 USC 1692c(a)(2)",
    "V",
    {},
    check,
    BatchFace(batch),
)
