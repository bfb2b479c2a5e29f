"""US-E-02: no communication through a medium the person asked not to be used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if request.contact.channel not in request.debtor.opted_out_channels:
        return []
    return [Finding(RULE.id, Verdict.BLOCK, f"the consumer opted out of {request.contact.channel}")]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [Hit(t.channel_opted_out, Verdict.BLOCK, "the consumer opted out of this medium")]


RULE = Rule(
    "US-E-02", "Honour medium opt-outs", "12 CFR 1006.14(h)", "R", {}, check, BatchFace(batch)
)
