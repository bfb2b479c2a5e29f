"""CN-OUT-02: each agency is evaluated at least once a year, and again before its contract
expires (conduct, task quality, information security)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from duecourse.compliance.clock import local_date
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.cn_out import agency_of, months
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    agency, out = agency_of(request, RULE.id)
    if agency is None:
        return out
    today = local_date(request.at, params["zone"])
    last = agency.last_evaluated_on
    if last is None or today > last + months(params["evaluation_months"]):
        out.append(
            Finding(
                RULE.id,
                Verdict.BLOCK,
                f"委外机构年度评估已过期 · agency evaluation overdue (last: {last or 'never'})",
            )
        )
        return out
    ends = agency.contract_ends_on
    window = timedelta(days=params["evaluate_before_expiry_days"])
    if ends is not None and today >= ends - window and last < ends - window:
        out.append(
            Finding(
                RULE.id,
                Verdict.REVIEW,
                f"合同到期前须再次评估 · evaluate again before the contract ends on {ends}",
            )
        )
    return out


RULE = Rule(
    "CN-OUT-02",
    "Agencies evaluated yearly and before expiry",
    "GB/T 45251-2025",
    "S",
    {"evaluation_months": 12, "evaluate_before_expiry_days": 30, "zone": "Asia/Shanghai"},
    check,
)
