"""Build a repayment plan from a proposal: discounts, treatments, deferral, down payment,
schedule and cost, in that order.

1. Each component's discount (a share, rounded half up to the fen, or an amount) comes off it.
2. What is left is waived (forgiven), carried (added to the principal amortised) or enforced
   (a separate amount due with the first instalment, no interest). Principal is always carried.
3. The down payment, paid at the start, comes off the amount carried.
4. Deferral interest is simple interest at the plan rate on that amount for the deferral
   months, rounded half up to the fen, then waived, carried or enforced.
5. The amount is amortised (``amortise``); instalment *k* falls ``deferral + k`` months after
   the start.
6. The cost is the IRR (``cost``) of: month 0, the credit — principal and contractual interest
   still owed after discounts (interest only when not waived) less the down payment; then every
   payment. Penalty, fees, deferral interest and plan interest are therefore all cost.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from duecourse.domain.money import ZERO, round_money
from duecourse.domain.repayment.amortise import amortise, monthly_rate, rate_places_ok
from duecourse.domain.repayment.cost import Cost, irr
from duecourse.domain.repayment.terms import Component, Proposal, Treatment


class ProposalError(ValueError):
    """A proposal that cannot be computed; ``field`` names the input, with a bilingual reason."""

    def __init__(self, field: str, zh: str, en: str) -> None:
        super().__init__(f"{field}: {zh} · {en}")
        self.field = field
        self.zh = zh
        self.en = en


@dataclass(frozen=True, slots=True)
class PlanInstalment:
    """One instalment of a plan: ``payment = principal + interest + separate``."""

    seq: int
    month: int  # months after the start
    due_date: date | None
    principal: Decimal
    interest: Decimal
    separate: Decimal  # enforced amounts (and enforced deferral interest), first instalment only
    balance: Decimal  # principal still to amortise after this instalment

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest + self.separate


@dataclass(frozen=True, slots=True)
class Plan:
    """A computed plan.

    Attributes:
        proposal: what was proposed (``annual_rate`` is the rate actually used).
        forgiven: per component, its discount plus, when waived, the rest of it.
        carried: per component, the amount added to the principal amortised.
        enforced: per component, the amount due separately with the first instalment.
        deferral_interest: interest for the deferral months (see its treatment).
        amount_financed: what the schedule amortises (after the down payment and any carried
            deferral interest).
        credit: the credit the cost is measured on (month-0 flow, see the module docstring).
        instalments: the schedule.
        cost: the annualised IRR.
    """

    proposal: Proposal
    forgiven: dict[Component, Decimal]
    carried: dict[Component, Decimal]
    enforced: dict[Component, Decimal]
    deferral_interest: Decimal
    amount_financed: Decimal
    credit: Decimal
    instalments: tuple[PlanInstalment, ...]
    cost: Cost

    @property
    def total_forgiven(self) -> Decimal:
        return sum(self.forgiven.values(), ZERO)

    @property
    def amount_payable(self) -> Decimal:
        """The debt less everything forgiven (before deferral and plan interest)."""
        return self.proposal.debt.total - self.total_forgiven

    @property
    def total_interest(self) -> Decimal:
        return sum((i.interest for i in self.instalments), ZERO)

    @property
    def total_payable(self) -> Decimal:
        """Down payment plus every instalment."""
        paid = sum((i.payment for i in self.instalments), ZERO)
        return self.proposal.down_payment + paid


def build_plan(proposal: Proposal) -> Plan:
    """Compute the plan a proposal describes (no guardrails); raise ``ProposalError``."""
    _check(proposal)
    debt = proposal.debt
    forgiven: dict[Component, Decimal] = {}
    carried: dict[Component, Decimal] = {}
    enforced: dict[Component, Decimal] = {}
    for component in Component:
        value = debt.of(component)
        off = _discount(proposal, component, value)
        rest = value - off
        treatment = proposal.treatment(component)
        forgiven[component] = off + (rest if treatment is Treatment.WAIVE else ZERO)
        carried[component] = rest if treatment is Treatment.CARRY else ZERO
        enforced[component] = rest if treatment is Treatment.ENFORCE else ZERO
    carried_total = sum(carried.values(), ZERO)
    if proposal.down_payment > carried_total:
        raise ProposalError(
            "down_payment",
            f"首付超过分期本金 {carried_total}",
            f"exceeds the amount to be amortised, {carried_total}",
        )
    amount = carried_total - proposal.down_payment
    deferral_interest = round_money(
        amount * monthly_rate(proposal.annual_rate) * proposal.deferral_months
    )
    separate = sum(enforced.values(), ZERO)
    if proposal.deferral_interest is Treatment.CARRY:
        amount += deferral_interest
    elif proposal.deferral_interest is Treatment.ENFORCE:
        separate += deferral_interest
    rows = amortise(amount, proposal.annual_rate, proposal.term_months, proposal.method)
    instalments = tuple(
        PlanInstalment(
            seq=row.seq,
            month=proposal.deferral_months + row.seq,
            due_date=add_months(proposal.start, proposal.deferral_months + row.seq)
            if proposal.start
            else None,
            principal=row.principal,
            interest=row.interest,
            separate=separate if row.seq == 1 else ZERO,
            balance=row.balance,
        )
        for row in rows
    )
    owed_interest = debt.interest - forgiven[Component.INTEREST]
    credit = debt.principal - forgiven[Component.PRINCIPAL] + owed_interest - proposal.down_payment
    flows = [ZERO] * (proposal.deferral_months + proposal.term_months + 1)
    flows[0] = -credit
    for instalment in instalments:
        flows[instalment.month] += instalment.payment
    return Plan(
        proposal=proposal,
        forgiven=forgiven,
        carried=carried,
        enforced=enforced,
        deferral_interest=deferral_interest,
        amount_financed=amount,
        credit=credit,
        instalments=instalments,
        cost=irr(flows),
    )


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _discount(proposal: Proposal, component: Component, value: Decimal) -> Decimal:
    rule = proposal.discounts.get(component)
    if rule is None:
        return ZERO
    name = f"discounts.{component.value}"
    if (rule.share is None) == (rule.amount is None):
        raise ProposalError(
            name, "须给出 share 或 amount 之一", "give exactly one of share, amount"
        )
    if rule.share is not None:
        if not 0 <= rule.share <= 1:
            raise ProposalError(f"{name}.share", "须在 0 到 1 之间", "must be between 0 and 1")
        return round_money(value * rule.share)
    assert rule.amount is not None
    _money(f"{name}.amount", rule.amount)
    if rule.amount > value:
        raise ProposalError(
            f"{name}.amount", f"超过该项金额 {value}", f"exceeds the {component.value}, {value}"
        )
    return rule.amount


def _check(proposal: Proposal) -> None:
    for component in Component:
        _money(f"debt.{component.value}", proposal.debt.of(component))
    _money("down_payment", proposal.down_payment)
    if not proposal.annual_rate.is_finite() or proposal.annual_rate < 0:
        raise ProposalError("annual_rate", "不能为负", "must be ≥ 0")
    if not rate_places_ok(proposal.annual_rate):
        raise ProposalError("annual_rate", "最多六位小数", "at most 6 decimal places")
    if proposal.term_months < 1:
        raise ProposalError("term_months", "至少 1 期", "must be at least 1")
    if proposal.deferral_months < 0:
        raise ProposalError("deferral_months", "不能为负", "must be ≥ 0")
    if proposal.deferral_months + proposal.term_months > 1200:
        raise ProposalError("term_months", "期限过长", "deferral plus term exceeds 100 years")


def _money(field: str, value: Decimal) -> None:
    if not value.is_finite() or value < 0:
        raise ProposalError(field, "须为非负金额", "must be a non-negative amount")
    if value != round_money(value):
        raise ProposalError(field, "最多两位小数（分）", "at most two decimal places (fen)")
