"""CN-SOL-01: after the 3-year limitation period the debtor may refuse to pay; a time-barred
debt is never presented as enforceable in court (no lawsuit, no lawyer's letter, no threat)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.limitation import (
    barred_expr,
    barred_since,
    claims_court,
    threatens_court,
)
from duecourse.compliance.verdict import Finding, Verdict

COURT = "诉讼时效已过，不得称可诉讼或强制执行 · time-barred: no claim of court enforcement"
WARN = "诉讼时效已过，债务人可拒绝还款 · time-barred: the debtor may refuse to pay"


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    ended = barred_since(request, params["limitation_years"], params["zone"])
    if ended is None:
        return []
    if threatens_court(request.contact):
        return [Finding(RULE.id, Verdict.BLOCK, f"{COURT} (ended {ended})")]
    return [Finding(RULE.id, Verdict.WARN, f"{WARN} (ended {ended})")]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    barred = barred_expr(t, params["limitation_years"], params["zone"])
    court = claims_court(t)
    return [
        Hit(barred & court, Verdict.BLOCK, COURT),
        Hit(barred & ~court, Verdict.WARN, WARN),
    ]


RULE = Rule(
    "CN-SOL-01",
    "Time-barred debts are not enforced in court",
    "民法典 arts. 188, 192",
    "V",
    {"limitation_years": 3, "zone": "Asia/Shanghai"},
    check,
    BatchFace(batch),
)
