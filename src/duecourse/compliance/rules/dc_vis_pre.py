"""DC-VIS-PRE: duecourse's visit preconditions, from the seeds' account of lawful visits (S7, S8).

A visit needs a verified address, remote contact exhausted (the debtor lost or unresponsive),
the collectors' ID and authorisation letter recorded, and prior notice through an official
channel at least ``notice_lead_days`` before. A fact that is not given means a person must
check (``review``); a fact that is false blocks. The lender's minimum days past due and balance
for visits (``min_dpd``, ``min_balance``) are account facts, not part of a contact request: the
strategy lint checks them against the visit rows of a strategy.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance.batch import BatchFace, Hit
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Verdict

BELOW_DPD = "逾期天数低于外访下限 · below the lender's minimum days past due for visits"
BELOW_BALANCE = "逾期金额低于外访下限 · below the lender's minimum balance for visits"


def check(request: ContactRequest, params: Mapping[str, Any]) -> list[Finding]:
    contact = request.contact
    if contact.channel != "visit":
        return []
    visit = contact.visit
    if visit is None:
        return [
            Finding(RULE.id, Verdict.REVIEW, "未提供外访前置条件 · visit preconditions not given")
        ]
    out: list[Finding] = []

    def need(value: bool | None, what: str) -> None:
        if value is None:
            out.append(Finding(RULE.id, Verdict.REVIEW, f"未记录 not recorded: {what}"))
        elif not value:
            out.append(Finding(RULE.id, Verdict.BLOCK, f"不满足 not met: {what}"))

    need(visit.address_verified, "地址已核实 verified address")
    need(visit.id_and_authorisation, "工作证与授权书 ID and authorisation letter")
    d = request.debtor
    remote_exhausted = d.number_invalid or d.consecutive_failed_calls > 0 or d.days_unreachable > 0
    need(remote_exhausted, "远程联系已穷尽 remote contact exhausted (debtor lost or unresponsive)")
    if d.days_past_due is not None and d.days_past_due < params["min_dpd"]:
        out.append(Finding(RULE.id, Verdict.BLOCK, f"{BELOW_DPD} ({params['min_dpd']})"))
    if d.balance_overdue is not None and d.balance_overdue < params["min_balance"]:
        out.append(Finding(RULE.id, Verdict.BLOCK, f"{BELOW_BALANCE} ({params['min_balance']})"))
    lead = timedelta(days=params["notice_lead_days"])
    if visit.notice_sent_at is None:
        out.append(Finding(RULE.id, Verdict.REVIEW, "未记录事先通知 prior notice not recorded"))
    elif visit.notice_sent_at + lead > request.at:
        out.append(
            Finding(
                RULE.id,
                Verdict.BLOCK,
                f"通知后需等待 {params['notice_lead_days']} 天 · notice must precede "
                f"the visit by {params['notice_lead_days']} days",
                visit.notice_sent_at + lead,
            )
        )
    return out


def batch(t: ir.Table, params: Mapping[str, Any]) -> list[Hit]:
    visit = t.channel == "visit"
    given = visit & t.visit_given
    lead = ibis.interval(days=params["notice_lead_days"])
    remote_exhausted = (
        t.number_invalid | (t.consecutive_failed_calls > 0) | (t.days_unreachable > 0)
    )
    hits = [Hit(visit & ~t.visit_given, Verdict.REVIEW, "未提供外访前置条件 · not given")]
    for column, what in (
        ("address_verified", "地址已核实 verified address"),
        ("id_and_authorisation", "工作证与授权书 ID and authorisation letter"),
    ):
        hits += [
            Hit(given & t[column].isnull(), Verdict.REVIEW, f"未记录 not recorded: {what}"),
            Hit(given & ~t[column].fill_null(True), Verdict.BLOCK, f"不满足 not met: {what}"),
        ]
    return [
        *hits,
        Hit(
            given & ~remote_exhausted, Verdict.BLOCK, "远程联系未穷尽 remote contact not exhausted"
        ),
        Hit(given & (t.days_past_due < params["min_dpd"]), Verdict.BLOCK, BELOW_DPD),
        Hit(given & (t.balance_overdue < params["min_balance"]), Verdict.BLOCK, BELOW_BALANCE),
        Hit(given & t.notice_sent_at.isnull(), Verdict.REVIEW, "未记录事先通知 no prior notice"),
        Hit(
            given & (t.notice_sent_at + lead > t.at),
            Verdict.BLOCK,
            f"通知后需等待 {params['notice_lead_days']} 天 · notice lead time not over",
            t.notice_sent_at + lead,
        ),
    ]


RULE = Rule(
    "DC-VIS-PRE",
    "Visit preconditions (seeds S7, S8)",
    "duecourse; seeds S7, S8",
    "S",
    {"notice_lead_days": 3, "min_dpd": 0, "min_balance": 0},
    check,
    BatchFace(batch),
)
