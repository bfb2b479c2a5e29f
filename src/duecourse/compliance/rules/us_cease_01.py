"""US-CEASE-01: after a written refusal or cease request, only termination or remedy notices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if not request.debtor.cease_requested or request.contact.purpose in params["allowed"]:
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            "cease request on file: only termination or remedy notices may be sent",
        )
    ]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [
        Hit(
            t.cease_requested & ~t.purpose.isin(tuple(params["allowed"])),
            Verdict.BLOCK,
            "cease request on file: only termination or remedy notices may be sent",
        )
    ]


RULE = Rule(
    "US-CEASE-01",
    "Cease requests stop communication",
    "15 USC 1692c(c)",
    "V",
    {"allowed": ("termination", "remedy_notice")},
    check,
    BatchFace(batch),
)
