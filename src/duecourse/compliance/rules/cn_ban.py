"""CN-BAN-1..6: the content of a message (``contact.text``) passes the message checker.

Each violation or scam pattern found blocks the contact under its own rule id; a lawful mention
of a visit or a lawsuit does not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.message.checker import check_message
from duecourse.compliance.message.patterns import SCAMS, VIOLATIONS
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    text = request.contact.text
    if not text:
        return []
    out = []
    for f in check_message(text).findings:
        if f.code in VIOLATIONS or f.code in SCAMS:
            quoted = text[f.span[0] : f.span[1]]
            out.append(
                Finding(
                    f.rule or RULE.id,
                    Verdict.BLOCK,
                    f"{f.explanation}: 「{quoted}」 ({f.code.value})",
                )
            )
    return out


RULE = Rule(
    "CN-BAN",
    "Forbidden message content (CN-BAN-1..6)",
    "CBA 2026 指引; 小贷办法 2025; 信用卡办法 art. 68; 消金办法 2024",
    "S",
    {},
    check,
)
