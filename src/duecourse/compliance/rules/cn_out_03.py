"""CN-OUT-03: collectors are trained and assessed before they start and at least once a year
after (collection conduct and cybersecurity)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.clock import local_date
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.cn_out import months
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    trained = request.contact.collector_trained_on
    if trained is None or request.contact.by == "ai":
        return []
    today = local_date(request.at, params["zone"])
    if today <= trained + months(params["training_months"]):
        return []
    return [
        Finding(
            RULE.id,
            Verdict.BLOCK,
            f"催收人员年度培训已过期 · the collector's yearly training lapsed (last {trained})",
        )
    ]


RULE = Rule(
    "CN-OUT-03",
    "Collectors trained at least yearly",
    "GB/T 45251-2025",
    "S",
    {"training_months": 12, "zone": "Asia/Shanghai"},
    check,
)
