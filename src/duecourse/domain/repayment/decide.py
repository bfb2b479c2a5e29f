"""Check a proposal against a lender's guardrails: accepted, rejected with reasons, or sent
for approval naming the roles.

Order: the plan is built (``plan.build_plan``); a cost above the cap is rejected, or with
``on_cap: clip`` the plan rate is lowered to the highest whole basis point within the cap (a
plan whose penalty, fees and deferral interest alone exceed the cap stays rejected); then every
hard limit is checked and every breach is a reason; with none, every approval threshold
exceeded adds its role (each role once, in the guardrails' order; the last is the most senior).
Every decision carries the honesty notes of ``texts``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

from duecourse.domain.money import ZERO, round_money
from duecourse.domain.repayment import texts
from duecourse.domain.repayment.plan import Plan, build_plan
from duecourse.domain.repayment.terms import Component, Guardrails, Measure, Proposal, Treatment
from duecourse.domain.repayment.texts import Text, pct

BASIS_POINT = Decimal("0.0001")


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    APPROVAL = "approval"


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to a proposal.

    Attributes:
        verdict: accepted, rejected or approval.
        plan: the plan as computed (at the clipped rate when clipped), also when rejected.
        reasons: why it was rejected or needs approval (empty when accepted).
        approvers: the roles that must approve, junior first (empty unless ``approval``).
        notes: what the reader must know whatever the verdict (honesty rules).
    """

    verdict: Verdict
    plan: Plan
    reasons: tuple[Text, ...]
    approvers: tuple[str, ...]
    notes: tuple[Text, ...]


def measures(plan: Plan) -> dict[Measure, Decimal]:
    """The values approval thresholds look at."""
    debt = plan.proposal.debt
    principal_off = plan.forgiven[Component.PRINCIPAL]
    return {
        Measure.TERM_MONTHS: Decimal(plan.proposal.term_months),
        Measure.DEFERRAL_MONTHS: Decimal(plan.proposal.deferral_months),
        Measure.DISCOUNT_SHARE: plan.total_forgiven / debt.total if debt.total else ZERO,
        Measure.PRINCIPAL_DISCOUNT_SHARE: principal_off / debt.principal
        if debt.principal
        else ZERO,
        Measure.DISCOUNT_AMOUNT: plan.total_forgiven,
        Measure.AMOUNT_FINANCED: plan.amount_financed,
    }


def decide(proposal: Proposal, guardrails: Guardrails) -> Decision:
    """Build the plan and decide on it; ``ProposalError`` when it cannot be computed."""
    plan = build_plan(proposal)
    reasons: list[Text] = []
    notes: list[Text] = []
    if plan.cost.above(guardrails.cost_cap):
        clipped = _clip(proposal, guardrails.cost_cap) if guardrails.on_cap == "clip" else None
        if clipped is None:
            reasons.append(_over_cap(plan, guardrails.cost_cap))
        else:
            notes.append(
                texts.clipped(
                    proposal.annual_rate, clipped.proposal.annual_rate, guardrails.cost_cap
                )
            )
            plan = clipped
    reasons += _limits(plan, guardrails)
    approvers: list[str] = []
    approval_reasons: list[Text] = []
    if not reasons:
        values = measures(plan)
        for rule in guardrails.approvals:
            if values[rule.measure] > rule.above:
                approval_reasons.append(
                    _needs(rule.role, rule.measure, values[rule.measure], rule.above)
                )
                if rule.role not in approvers:
                    approvers.append(rule.role)
    verdict = Verdict.REJECTED if reasons else Verdict.APPROVAL if approvers else Verdict.ACCEPTED
    return Decision(
        verdict=verdict,
        plan=plan,
        reasons=tuple(reasons or approval_reasons),
        approvers=tuple(approvers),
        notes=tuple(notes) + _honesty(plan),
    )


def minimum_down_payment(plan: Plan, guardrails: Guardrails) -> Decimal:
    """The larger of the share (of the amount payable, rounded half up) and the amount
    (at most the amount payable)."""
    payable = plan.amount_payable
    by_share = round_money(payable * guardrails.min_down_payment_share)
    return max(by_share, min(guardrails.min_down_payment_amount, payable))


def _limits(plan: Plan, g: Guardrails) -> list[Text]:
    p = plan.proposal
    out: list[Text] = []
    if p.term_months > g.max_term_months:
        out.append(
            Text(
                "TERM_TOO_LONG",
                f"期数 {p.term_months} 超过上限 {g.max_term_months} 期。",
                f"term_months {p.term_months} exceeds the maximum of {g.max_term_months}.",
            )
        )
    if p.deferral_months > g.max_deferral_months:
        out.append(
            Text(
                "DEFERRAL_TOO_LONG",
                f"延期 {p.deferral_months} 个月超过上限 {g.max_deferral_months} 个月。",
                f"deferral_months {p.deferral_months} exceeds the maximum of "
                f"{g.max_deferral_months}.",
            )
        )
    least = minimum_down_payment(plan, g)
    if p.down_payment < least:
        out.append(
            Text(
                "DOWN_PAYMENT_TOO_LOW",
                f"首付 {p.down_payment:,.2f} 元低于最低要求 {least:,.2f} 元。",
                f"down_payment {p.down_payment:,.2f} is below the minimum of {least:,.2f} yuan.",
            )
        )
    values = measures(plan)
    share = values[Measure.DISCOUNT_SHARE]
    if share > g.max_discount_share:
        out.append(
            Text(
                "DISCOUNT_TOO_HIGH",
                f"减免 {plan.total_forgiven:,.2f} 元（占债务 {pct(share.quantize(BASIS_POINT))}）"
                f"超过上限 {pct(g.max_discount_share)}。",
                f"the discount of {plan.total_forgiven:,.2f} yuan "
                f"({pct(share.quantize(BASIS_POINT))} of the debt) exceeds the maximum "
                f"of {pct(g.max_discount_share)}.",
            )
        )
    principal_share = values[Measure.PRINCIPAL_DISCOUNT_SHARE]
    if principal_share > g.max_principal_discount_share:
        out.append(
            Text(
                "PRINCIPAL_DISCOUNT_TOO_HIGH",
                f"本金减免占本金 {pct(principal_share.quantize(BASIS_POINT))}，超过上限 "
                f"{pct(g.max_principal_discount_share)}。",
                f"the principal discount ({pct(principal_share.quantize(BASIS_POINT))} of "
                f"the principal) exceeds the maximum of "
                f"{pct(g.max_principal_discount_share)}.",
            )
        )
    return out


def _over_cap(plan: Plan, cap: Decimal) -> Text:
    nominal = plan.cost.nominal
    zh_cost = pct(nominal) if nominal is not None else "无上限（几乎没有提供信贷）"
    en_cost = pct(nominal) if nominal is not None else "unbounded (almost no credit extended)"
    return Text(
        "COST_ABOVE_CAP",
        f"综合年化成本（IRR，含利息、罚息和费用）{zh_cost} 超过上限 {pct(cap)}。",
        f"the total cost of credit (IRR, all interest, penalty and fees) of {en_cost} "
        f"exceeds the cap of {pct(cap)}.",
    )


def _clip(proposal: Proposal, cap: Decimal) -> Plan | None:
    """The plan at the highest whole-basis-point rate whose cost is within ``cap``."""
    low, high = 0, int(proposal.annual_rate / BASIS_POINT)
    best = build_plan(replace(proposal, annual_rate=ZERO))
    if best.cost.above(cap):
        return None
    while low < high:  # invariant: the rate low × 1bp is within the cap
        mid = (low + high + 1) // 2
        plan = build_plan(replace(proposal, annual_rate=mid * BASIS_POINT))
        if plan.cost.above(cap):
            high = mid - 1
        else:
            low, best = mid, plan
    return best


def _needs(role: str, measure: Measure, value: Decimal, above: Decimal) -> Text:
    shown = pct(value.quantize(BASIS_POINT)) if measure.value.endswith("share") else f"{value}"
    limit = pct(above) if measure.value.endswith("share") else f"{above}"
    return Text(
        "NEEDS_APPROVAL",
        f"{measure.value} = {shown} 超过 {limit}，需 {role} 审批。",
        f"{measure.value} = {shown} is above {limit}: {role} must approve.",
    )


def _honesty(plan: Plan) -> tuple[Text, ...]:
    p = plan.proposal
    out = [texts.NOT_A_RIGHT, texts.NOT_BINDING, texts.LIMITATION, texts.CREDIT_RECORD]
    carried_charges = plan.carried[Component.PENALTY] + plan.carried[Component.FEES]
    if carried_charges > 0 and p.annual_rate > 0:
        out.append(texts.CARRY_INTEREST)
    if plan.total_forgiven > 0:
        out.append(texts.settlement(plan.total_forgiven, plan.total_payable))
    if p.deferral_months > 0:
        out.append(
            texts.deferral(p.deferral_months, plan.deferral_interest, p.deferral_interest.value)
        )
    return tuple(out)


__all__ = ["Decision", "Treatment", "Verdict", "decide", "measures", "minimum_down_payment"]
