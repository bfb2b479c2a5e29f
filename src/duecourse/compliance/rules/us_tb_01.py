"""US-TB-01: never sue or threaten to sue on a time-barred debt (strict liability).

The limitation period is state law; ``limitation_years`` is the lender's setting per portfolio.
"""

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

REASON = "time-barred debt: no suit and no threat of suit"


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    ended = barred_since(request, params["limitation_years"], params["zone"])
    if ended is None or not threatens_court(request.contact):
        return []
    return [Finding(RULE.id, Verdict.BLOCK, f"{REASON} (limitation ended {ended})")]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    barred = barred_expr(t, params["limitation_years"], params["zone"])
    return [Hit(barred & claims_court(t), Verdict.BLOCK, REASON)]


RULE = Rule(
    "US-TB-01",
    "No suit or threat of suit on time-barred debts",
    "12 CFR 1006.26(b)",
    "V",
    {"limitation_years": 3, "zone": "America/New_York"},
    check,
    BatchFace(batch),
)
