"""CN-FREQ-01: at most 3 effective voice conversations with the debtor a day (AI included),
shared across the lender and all its agencies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.cn_freq import daily_cap, daily_cap_face
from duecourse.compliance.verdict import Finding


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    return daily_cap(
        request,
        RULE.id,
        params["zone"],
        params["max_effective_convos_per_day"],
        lambda p: p.channel == "call" and p.outcome == "conversation",
        ("有效通话", "effective conversations"),
    )


RULE = Rule(
    "CN-FREQ-01",
    "At most 3 effective conversations a day",
    "GB/T 45251-2025",
    "S",
    {"zone": "Asia/Shanghai", "max_effective_convos_per_day": 3},
    check,
    daily_cap_face(
        "cn_freq_01",
        "max_effective_convos_per_day",
        lambda p: (p.h_channel == "call") & (p.h_outcome == "conversation"),
        ("有效通话", "effective conversations"),
    ),
)
