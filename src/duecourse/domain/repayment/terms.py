"""The records of a repayment proposal and of a lender's guardrails (frozen, typed, Decimal).

Amounts are yuan with at most two places; rates and shares are fractions (0.24 = 24%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from duecourse.domain.repayment.amortise import Method


class Treatment(StrEnum):
    """What a plan does with an amount other than principal (after any discount on it).

    * ``waive``: forgiven (减免); it counts towards the discount.
    * ``carry``: added to the principal the plan amortises, so the plan's rate applies to it.
    * ``enforce``: kept as a separate amount, due with the first instalment, without interest.
    """

    WAIVE = "waive"
    CARRY = "carry"
    ENFORCE = "enforce"


class Component(StrEnum):
    """The parts of the debt a proposal can discount or treat."""

    PRINCIPAL = "principal"
    INTEREST = "interest"
    PENALTY = "penalty"
    FEES = "fees"


@dataclass(frozen=True, slots=True)
class Debt:
    """What is owed when the plan is proposed, yuan: principal outstanding, contractual
    interest due and unpaid, penalty (罚息/违约金) and fees."""

    principal: Decimal
    interest: Decimal = Decimal("0.00")
    penalty: Decimal = Decimal("0.00")
    fees: Decimal = Decimal("0.00")

    def of(self, component: Component) -> Decimal:
        return {
            Component.PRINCIPAL: self.principal,
            Component.INTEREST: self.interest,
            Component.PENALTY: self.penalty,
            Component.FEES: self.fees,
        }[component]

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.penalty + self.fees


@dataclass(frozen=True, slots=True)
class Discount:
    """A discount (减免) on one component: a share of it (rounded half up to the fen) or an
    amount in yuan; exactly one of the two."""

    share: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed repayment plan.

    Attributes:
        debt: what is owed now.
        method: equal instalment (等额本息) or equal principal (等额本金).
        annual_rate: the plan's nominal annual rate on the amount it amortises.
        term_months: number of monthly instalments.
        down_payment: paid when the plan starts; it reduces the amount amortised.
        deferral_months: the first instalment falls ``deferral_months + 1`` months after the
            start (延期/缓还); 0 for none.
        deferral_interest: what happens to interest for the deferral months (simple interest at
            ``annual_rate`` on the amount amortised): waived, carried or enforced.
        interest, penalty, fees: the treatment of each (principal is always amortised).
        discounts: per component, applied before the treatment.
        start: the plan's start date, for due dates (optional).
    """

    debt: Debt
    method: Method
    annual_rate: Decimal
    term_months: int
    down_payment: Decimal = Decimal("0.00")
    deferral_months: int = 0
    deferral_interest: Treatment = Treatment.WAIVE
    interest: Treatment = Treatment.CARRY
    penalty: Treatment = Treatment.WAIVE
    fees: Treatment = Treatment.WAIVE
    discounts: dict[Component, Discount] = field(default_factory=dict)
    start: date | None = None

    def treatment(self, component: Component) -> Treatment:
        if component is Component.PRINCIPAL:
            return Treatment.CARRY
        return {
            Component.INTEREST: self.interest,
            Component.PENALTY: self.penalty,
            Component.FEES: self.fees,
        }[component]


class Measure(StrEnum):
    """What an approval threshold looks at."""

    TERM_MONTHS = "term_months"
    DEFERRAL_MONTHS = "deferral_months"
    DISCOUNT_SHARE = "discount_share"  # all forgiven amounts / total debt
    PRINCIPAL_DISCOUNT_SHARE = "principal_discount_share"  # principal forgiven / principal
    DISCOUNT_AMOUNT = "discount_amount"  # all forgiven amounts, yuan
    AMOUNT_FINANCED = "amount_financed"  # principal the plan amortises, yuan


@dataclass(frozen=True, slots=True)
class Approval:
    """A proposal whose ``measure`` is above ``above`` needs ``role`` to approve it."""

    role: str
    measure: Measure
    above: Decimal


@dataclass(frozen=True, slots=True)
class Guardrails:
    """A lender's limits on repayment plans. Outside a hard limit a proposal is rejected;
    inside them but above an approval threshold it goes to the named roles.

    Attributes:
        cost_cap: the most the plan's nominal annual IRR may be (all interest, penalty and fees
            counted); borrower-law.md A14: 24% is the current line for licensed lenders, 36%
            the old outer limit.
        on_cap: ``reject`` a plan above the cap, or ``clip`` its rate down to the cap.
        max_term_months: the longest term (credit-card 个性化分期: 60, borrower-law.md A1).
        max_deferral_months: the longest deferral before the first instalment.
        min_down_payment_share: down payment at least this share of the amount payable
            (the debt less everything forgiven).
        min_down_payment_amount: and at least this many yuan (capped at the amount payable).
        max_discount_share: everything forgiven at most this share of the total debt.
        max_principal_discount_share: principal forgiven at most this share of the principal.
        approvals: thresholds above which a role must approve, junior first.
    """

    cost_cap: Decimal = Decimal("0.24")
    on_cap: str = "reject"
    max_term_months: int = 60
    max_deferral_months: int = 6
    min_down_payment_share: Decimal = Decimal("0")
    min_down_payment_amount: Decimal = Decimal("0.00")
    max_discount_share: Decimal = Decimal("0.5")
    max_principal_discount_share: Decimal = Decimal("0.2")
    approvals: tuple[Approval, ...] = (
        Approval("collections_supervisor", Measure.TERM_MONTHS, Decimal(24)),
        Approval("collections_supervisor", Measure.DEFERRAL_MONTHS, Decimal(3)),
        Approval("collections_supervisor", Measure.DISCOUNT_SHARE, Decimal("0.1")),
        Approval("risk_manager", Measure.DISCOUNT_SHARE, Decimal("0.3")),
        Approval("risk_manager", Measure.PRINCIPAL_DISCOUNT_SHARE, Decimal(0)),
    )
