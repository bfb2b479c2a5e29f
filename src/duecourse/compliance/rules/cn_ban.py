"""CN-BAN-1..8: the content of a message (``contact.text``) passes the message checker.

Each violation or scam pattern found blocks the contact under its own rule id; a lawful mention
of a visit or a lawsuit does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.message.checker import findings
from duecourse.compliance.message.codes import SCAMS, VIOLATIONS
from duecourse.compliance.message.lexicon import lexicon
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

FORBIDDEN = VIOLATIONS | SCAMS
#: Every id a forbidden pattern may report (CN-BAN for those without a finer one).
TEXT_RULE_IDS = lexicon().rule_ids(FORBIDDEN)


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    text = request.contact.text or ""
    out = []
    for f in findings(text):
        if f.code in FORBIDDEN:
            quoted = text[f.span[0] : f.span[1]]
            out.append(
                Finding(
                    f.rule or RULE.id,
                    Verdict.BLOCK,
                    f"{f.explanation}: 「{quoted}」 ({f.code.value})",
                )
            )
    return out


def text_rules(text: str | None) -> tuple[str, ...]:
    """The rule ids the message checker finds in ``text`` (what the batch ``text_rules`` holds)."""
    found = (f.rule or RULE.id for f in findings(text) if f.code in FORBIDDEN)
    return tuple(dict.fromkeys(found))


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    return [
        Hit(
            t.text_rules.contains(f",{rule},"),
            Verdict.BLOCK,
            "信息内容违规 · the message text is not allowed",
            rule=rule,
        )
        for rule in TEXT_RULE_IDS
    ]


RULE = Rule(
    "CN-BAN",
    "Forbidden message content (CN-BAN-1..8)",
    "CBA 2026 指引; 小贷办法 2025; 信用卡办法 art. 68; 消金办法 2024",
    "S",
    {},
    check,
    BatchFace(batch),
)
