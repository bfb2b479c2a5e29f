"""Champion/challenger: a deterministic split of accounts between strategy arms.

An account's arm depends only on a stable hash of the experiment name and the account id, so a
rerun, another machine or another backend puts every account in the same arm, and accounts stay
in their arm from day to day for as long as the experiment runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

SLOTS = 10_000


@dataclass(frozen=True, slots=True)
class Arm:
    """A named share of the portfolio, in percent (two decimals at most)."""

    name: str
    percent: float


def slot(experiment: str, account_id: str) -> int:
    """The account's slot in 0..9999 for this experiment (SHA-256, first 8 bytes)."""
    digest = hashlib.sha256(f"{experiment}\x1f{account_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % SLOTS


def slot_expr(experiment: str, account_id: ir.StringValue) -> ir.IntegerValue:
    """:func:`slot` as an expression: SHA-256 on the backend (DuckDB), the same number.

    The experiment's name becomes a SQL literal, so it must be printable text.
    """
    _check_name(experiment)
    digest = (ibis.literal(f"{experiment}\x1f") + account_id).hexdigest("sha256")
    first_8_bytes = (ibis.literal("0x") + digest.left(16)).cast("uint64")
    return (first_8_bytes % SLOTS).cast("int64")


def _check_name(experiment: str) -> None:
    if not experiment.isprintable():
        raise ValueError(f"experiment name must be printable text: {experiment!r}")


def _slot_ends(arms: Sequence[Arm]) -> list[int]:
    """Where each arm's consecutive range of slots ends (exclusive), in the given order."""
    ends, upper = [], 0.0
    for arm in arms:
        upper += arm.percent * SLOTS / 100
        ends.append(round(upper))
    return ends


def check_arms(arms: Sequence[Arm]) -> None:
    """Arms must have distinct names and shares adding up to 100 %."""
    names = [a.name for a in arms]
    if len(set(names)) != len(names):
        raise ValueError(f"arm names must be distinct: {names}")
    if any(a.percent < 0 for a in arms) or round(sum(a.percent for a in arms), 2) != 100:
        raise ValueError(f"arm shares must be non-negative and add up to 100: {arms}")


def assign_arm(experiment: str, account_id: str, arms: Sequence[Arm]) -> str:
    """The arm of one account: arms take consecutive ranges of slots in the given order."""
    position = slot(experiment, account_id)
    for arm, end in zip(arms, _slot_ends(arms), strict=True):
        if position < end:
            return arm.name
    return arms[-1].name


def arm_expr(experiment: str, account_id: ir.StringValue, arms: Sequence[Arm]) -> ir.StringValue:
    """:func:`assign_arm` as an expression, so a whole portfolio is split on the backend.

    When one arm holds every slot (a run without a challenger) no account is hashed.
    """
    _check_name(experiment)
    ends = _slot_ends(arms)
    holders = [a for a, start, end in zip(arms, [0, *ends], ends, strict=False) if end > start]
    if len(holders) == 1 and ends[-1] >= SLOTS:
        return ibis.literal(holders[0].name, type="string")
    position = slot_expr(experiment, account_id)
    cases = [(position < end, arm.name) for arm, end in zip(arms, ends, strict=True)]
    return ibis.cases(*cases, else_=arms[-1].name)
