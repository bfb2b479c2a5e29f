"""The annualised cost of credit of a plan: its internal rate of return (IRR), by bisection.

Cash flows are monthly: month 0 is the day the plan starts. The borrower's flows are the credit
the plan extends at month 0 (a negative amount here, the lender's outlay) and every payment
after it. The monthly IRR *m* solves ``Σ flow_t / (1+m)^t = 0``; it is found by bisection in
``Decimal`` (40 digits) to within 10⁻¹⁶ per month, so no float enters.

The annualised rate is stated two ways: ``nominal = 12·m`` (年化利率 by the IRR method, the
convention of Chinese disclosure rules; the cap is checked on this one) and
``effective = (1+m)^12 − 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

PRECISION = 40
TOLERANCE = Decimal("1e-16")
MAX_MONTHLY = Decimal(1)  # 100% a month (1200% a year): beyond it the IRR is reported as "above"
RATE_PLACES = Decimal("0.000001")  # rates are shown to 6 places (0.0001%)


@dataclass(frozen=True, slots=True)
class Cost:
    """A plan's annualised cost of credit.

    Attributes:
        monthly: the monthly IRR, unrounded; ``None`` when it exceeds 100% a month or no credit
            is extended while charges are still paid (the cost is then unbounded).
        nominal: ``12 × monthly`` rounded half up to 6 places, or ``None`` as above.
        effective: ``(1 + monthly)^12 − 1`` rounded half up to 6 places, or ``None``.
    """

    monthly: Decimal | None
    nominal: Decimal | None
    effective: Decimal | None

    def above(self, cap: Decimal) -> bool:
        """True when the nominal annual cost exceeds ``cap`` (unbounded costs exceed any cap)."""
        if self.monthly is None:
            return True
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return self.monthly * 12 > cap


def npv(flows: Sequence[Decimal], monthly: Decimal) -> Decimal:
    """Net present value at month 0 of ``flows[t]`` (month t) at a monthly rate."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        total = Decimal(0)
        factor = Decimal(1)
        step = 1 / (1 + monthly)
        for flow in flows:
            total += flow * factor
            factor *= step
        return total


def irr(flows: Sequence[Decimal]) -> Cost:
    """The cost of ``flows``: month 0 holds −(credit extended), later months the payments.

    Payments must be ≥ 0 and, in total, at least the credit (so the IRR is ≥ 0): a plan that
    repays less than it lends has no cost, which the plans built here never do.
    """
    credit = -flows[0] if flows else Decimal(0)
    paid = sum(flows[1:], Decimal(0))
    if credit <= 0:
        return Cost(Decimal(0), Decimal(0), Decimal(0)) if paid == 0 else Cost(None, None, None)
    if paid < credit:
        raise ValueError("the payments repay less than the credit")
    if npv(flows, MAX_MONTHLY) > 0:
        return Cost(None, None, None)
    low, high = Decimal(0), MAX_MONTHLY
    with localcontext() as ctx:
        ctx.prec = PRECISION
        while high - low > TOLERANCE:
            mid = (low + high) / 2
            if npv(flows, mid) > 0:
                low = mid
            else:
                high = mid
        monthly = (low + high) / 2
        effective = (1 + monthly) ** 12 - 1
        return Cost(
            monthly,
            (monthly * 12).quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
            effective.quantize(RATE_PLACES, rounding=ROUND_HALF_UP),
        )
