"""US-E-01: every e-mail, text or other electronic message says, clearly and simply, how to
opt out (for example "Reply STOP")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.message.checker import has_opt_out
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

REASON = "electronic messages must include a simple way to opt out"


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel in params["electronic"] and not has_opt_out(contact.text):
        return [Finding(RULE.id, Verdict.BLOCK, REASON)]
    return []


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    electronic = t.channel.isin(tuple(params["electronic"]))
    return [Hit(electronic & ~t.text_opt_out, Verdict.BLOCK, REASON)]


RULE = Rule(
    "US-E-01",
    "Electronic messages carry an opt-out",
    "12 CFR 1006.6(e)",
    "R",
    {"electronic": ("sms", "email", "im")},
    check,
    BatchFace(batch),
)
