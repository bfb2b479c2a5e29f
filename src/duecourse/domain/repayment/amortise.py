"""Amortisation schedules: equal instalment (等额本息) and equal principal (等额本金).

Rounding, stated once: the monthly rate is ``annual_rate / 12`` (exact ``Decimal``); every
amount in a schedule is rounded ``ROUND_HALF_UP`` to the fen, per instalment:

* interest of instalment *k* = round(balance before *k* × monthly rate);
* equal instalment: the level payment is the textbook payment
  ``P·r·(1+r)^n / ((1+r)^n − 1)`` (``P / n`` when ``r = 0``) rounded half up; each principal
  part is the payment minus that instalment's interest;
* equal principal: each principal part is ``P / n`` rounded half up;
* the **last instalment absorbs the rounding residue**: its principal part is the balance left,
  so the principal parts sum to ``P`` exactly and the balance ends at exactly 0.

When the rounded-up level payment (or principal part) would repay the whole balance before the
last instalment (only for a few fen spread over many months), it is lowered by one fen; once
below the exact value the schedule always closes, so this happens at most once.

Tolerances (what the last instalment may differ by, all others being exactly equal):

* equal principal: ``|last principal − principal part| ≤ 0.01 × n``;
* equal instalment: ``|last payment − level payment| ≤ 0.02 × s`` with
  ``s = ((1+r)^n − 1) / r`` (``n`` when ``r = 0``): the level payment is within 0.015 of the
  exact one and each interest rounding within 0.005, and both compound to the last month.
  For 12,000 yuan at 12% over 12 months the bound is 0.25 yuan; in practice a few fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from duecourse.domain.money import CENT, round_money

PRECISION = 40  # digits for the intermediate (unrounded) arithmetic
RATE_PLACES = 6  # rates have at most 6 decimal places (as in docs/data-model.md)


class Method(StrEnum):
    """How the principal is spread over the instalments."""

    EQUAL_INSTALMENT = "equal_instalment"  # 等额本息: level payment
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金: level principal, falling interest


@dataclass(frozen=True, slots=True)
class Row:
    """One amortised instalment: the principal and interest parts and the balance after it."""

    seq: int
    principal: Decimal
    interest: Decimal
    balance: Decimal

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest


def rate_places_ok(rate: Decimal) -> bool:
    """True when a finite ``rate`` has at most ``RATE_PLACES`` decimal places."""
    if not rate.is_finite():
        return False
    exponent = rate.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -RATE_PLACES


def monthly_rate(annual_rate: Decimal) -> Decimal:
    """The monthly rate ``annual_rate / 12``, unrounded (40 significant digits)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return annual_rate / 12


def level_payment(principal: Decimal, annual_rate: Decimal, term: int) -> Decimal:
    """The textbook equal-instalment payment, rounded half up to the fen."""
    r = monthly_rate(annual_rate)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if r == 0:
            exact = principal / term
        else:
            growth = (1 + r) ** term
            exact = principal * r * growth / (growth - 1)
    return round_money(exact)


def amortise(principal: Decimal, annual_rate: Decimal, term: int, method: Method) -> list[Row]:
    """The schedule of ``term`` monthly instalments repaying ``principal`` at ``annual_rate``.

    Args:
        principal: amount to amortise, yuan, ≥ 0 with at most two places.
        annual_rate: nominal annual rate as a fraction (0.12 = 12%), ≥ 0, ≤ 6 places.
        term: number of monthly instalments, ≥ 1.
        method: equal instalment or equal principal.
    """
    if term < 1:
        raise ValueError("term must be at least 1 month")
    if principal < 0 or principal != round_money(principal):
        raise ValueError("principal must be a non-negative amount in fen")
    if annual_rate < 0 or not rate_places_ok(annual_rate):
        raise ValueError("annual_rate must be ≥ 0 with at most 6 decimal places")
    r = monthly_rate(annual_rate)
    if method is Method.EQUAL_INSTALMENT:
        level = level_payment(principal, annual_rate, term)
    else:
        level = round_money(principal / term)
    while True:
        rows = _schedule(principal, r, term, method, level)
        if rows is not None:
            return rows
        level -= CENT  # only for a few fen over many months; see the module docstring


def _schedule(
    principal: Decimal, r: Decimal, term: int, method: Method, level: Decimal
) -> list[Row] | None:
    """The rows for a given level payment (or principal part); None when it overshoots."""
    rows: list[Row] = []
    balance = principal
    for seq in range(1, term + 1):
        interest = _interest(balance, r)
        if seq == term:
            part = balance
        elif method is Method.EQUAL_INSTALMENT:
            part = level - interest
        else:
            part = level
        if part < 0:
            raise ArithmeticError("the level payment is below the interest due")
        if part > balance or (seq < term and part == balance and balance > 0):
            return None
        balance -= part
        rows.append(Row(seq, part, interest, balance))
    return rows


def _interest(balance: Decimal, r: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return round_money(balance * r)
