"""CN-FREQ-02: at most 3 connected notification calls (拨通) to the debtor a day."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.cn_freq import daily_cap, daily_cap_face
from duecourse.compliance.verdict import Finding

CONNECTED = frozenset({"conversation", "voicemail"})


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    return daily_cap(
        request,
        RULE.id,
        params["zone"],
        params["max_connected_notice_calls_per_day"],
        lambda p: p.channel == "call" and p.outcome in CONNECTED,
        ("接通", "connected calls"),
    )


RULE = Rule(
    "CN-FREQ-02",
    "At most 3 connected calls a day",
    "互金 interim 指引 (summaries)",
    "S",
    {"zone": "Asia/Shanghai", "max_connected_notice_calls_per_day": 3},
    check,
    daily_cap_face(
        "cn_freq_02",
        "max_connected_notice_calls_per_day",
        lambda p: (p.h_channel == "call") & p.h_outcome.isin(tuple(CONNECTED)),
        ("接通", "connected calls"),
    ),
)
