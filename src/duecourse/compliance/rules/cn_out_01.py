"""CN-OUT-01: an agency works cases only when it is on the white-list the lender publishes on
its website and a written agreement was signed first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rules.cn_out import agency_of
from duecourse.compliance.verdict import Finding, Verdict


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    agency, out = agency_of(request, RULE.id)
    if agency is None:
        return out
    if not agency.whitelisted:
        out.append(
            Finding(RULE.id, Verdict.BLOCK, "委外机构不在公示白名单 · agency not on the white-list")
        )
    if not agency.agreement_signed:
        out.append(Finding(RULE.id, Verdict.BLOCK, "未签书面协议 · no written agreement"))
    return out


# No batch face (CN-OUT-01..03): the store does not yet hold agencies or collectors.
RULE = Rule("CN-OUT-01", "Agencies on the published white-list", "CBA 2026 指引", "S", {}, check)
