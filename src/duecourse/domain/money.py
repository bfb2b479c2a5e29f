"""Money is ``Decimal`` yuan with two places; stores and batch engines keep integer fen (cents).

Every rounding in duecourse goes through :func:`round_money` (half away from zero, as DuckDB and
PostgreSQL round decimals), so the ledger, the reference facts and the compiled facts agree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MICRO = 1_000_000  # daily penalty rates are stored as integer parts per million
BASIS_POINTS = 10_000  # caps are stored as integer basis points of principal


def round_money(value: Decimal) -> Decimal:
    """Round to the fen, half away from zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(value: Decimal) -> int:
    """Exact conversion of a yuan amount with at most two places to integer fen."""
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{value} has more than two decimal places")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    """Integer fen to yuan."""
    return (Decimal(cents) / 100).quantize(CENT)


def div_round_half_up(numerator: int, denominator: int) -> int:
    """Integer division rounding half away from zero, for non-negative numerators."""
    if numerator < 0 or denominator <= 0:
        raise ValueError("div_round_half_up takes a non-negative numerator and positive divisor")
    return (numerator + denominator // 2) // denominator
