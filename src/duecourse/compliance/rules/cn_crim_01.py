"""CN-CRIM-01: collecting an illegal debt (usury and the like) by violence, coercion, entering
a home, intimidation or harassment is a crime (刑法 §293-1). Such a debt's coercive contacts are
blocked and escalated; its other contacts are flagged."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.message.checker import codes
from duecourse.compliance.message.codes import Code
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

COERCIVE_TEXT = (Code.THREAT_VIOLENCE, Code.HARASSMENT)
BLOCK = "非法债务不得上门、威胁或骚扰催收，须上报 · illegal debt: no coercion; escalate"
WARN = "利率超过法定上限，超出部分不受法律保护 · rate above the legal line: only the lawful part"


def _illegal(rate: Decimal | None, params: Mapping[str, Any]) -> bool:
    return rate is not None and rate > Decimal(params["illegal_rate_above"])


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    if not _illegal(request.debtor.annual_cost_rate, params):
        return []
    contact = request.contact
    coercive = contact.channel == "visit" or bool(set(COERCIVE_TEXT) & codes(contact.text))
    if coercive:
        return [Finding(RULE.id, Verdict.BLOCK, BLOCK)]
    return [Finding(RULE.id, Verdict.WARN, WARN)]


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    illegal = t.annual_cost_rate > float(params["illegal_rate_above"])
    coercive = t.channel == "visit"
    for code in COERCIVE_TEXT:
        coercive |= t.text_codes.contains(f",{code.value},")
    return [
        Hit(illegal & coercive, Verdict.BLOCK, BLOCK),
        Hit(illegal & ~coercive, Verdict.WARN, WARN),
    ]


RULE = Rule(
    "CN-CRIM-01",
    "No coercive collection of illegal debts",
    "刑法 §293-1 (修正案十一); 非法放贷意见 2019 (36%)",
    "V",
    {"illegal_rate_above": "0.36"},
    check,
    BatchFace(batch),
)
