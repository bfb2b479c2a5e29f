"""The servicing ledger: how payments are allocated and penalty interest accrues.

Rules (all pure, all ``Decimal``):

* Instalments are paid oldest first (lowest ``seq``); within an instalment the components are paid
  in the configured order, by default fees → penalty → interest → principal. Money left after the
  whole schedule is paid is kept as ``unapplied`` credit; nothing is lost.
* Penalty interest accrues per instalment on its unpaid principal, for every day after its due
  date, at ``daily_rate``. It is charged (rounded to the fen, per instalment) whenever a payment
  arrives and, for reporting, up to the as-of date. The total ever charged never exceeds
  ``cap``; the cap room goes to the oldest instalments first.
* An instalment is *settled* when its fee, interest and principal are paid; an unpaid penalty
  balance alone does not keep it past due. The delinquency clock follows contractual dues.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from duecourse.domain.model import Instalment, Payment
from duecourse.domain.money import ZERO, round_money


class Component(StrEnum):
    """A part of an instalment that money can be allocated to."""

    FEE = "fee"
    PENALTY = "penalty"
    INTEREST = "interest"
    PRINCIPAL = "principal"


DEFAULT_ORDER: tuple[Component, ...] = (
    Component.FEE,
    Component.PENALTY,
    Component.INTEREST,
    Component.PRINCIPAL,
)
CONTRACTUAL = frozenset({Component.FEE, Component.INTEREST, Component.PRINCIPAL})


def parse_order(text: str) -> tuple[Component, ...]:
    """Parse ``"fee,penalty,interest,principal"``; every component exactly once."""
    order = tuple(Component(part.strip()) for part in text.split(",") if part.strip())
    if sorted(order) != sorted(Component):
        raise ValueError(
            f"allocation order must name each of {', '.join(Component)} exactly once: {text!r}"
        )
    return order


@dataclass(frozen=True, slots=True)
class LedgerTerms:
    """Per-loan terms of the ledger.

    Attributes:
        daily_rate: penalty interest per day on overdue principal.
        cap: the most penalty that may ever be charged on the loan, in yuan.
        order: allocation order within an instalment.
    """

    daily_rate: Decimal
    cap: Decimal
    order: tuple[Component, ...] = DEFAULT_ORDER


@dataclass(frozen=True, slots=True)
class Allocation:
    """A part of a payment applied to one component of one instalment on its value date."""

    payment_id: str
    seq: int
    on: date
    component: Component
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PenaltyCharge:
    """Penalty interest charged on one instalment on a charge date."""

    seq: int
    on: date
    amount: Decimal


@dataclass(slots=True)
class _Balance:
    due_date: date
    principal: Decimal
    remaining: dict[Component, Decimal]

    @property
    def contractual_left(self) -> Decimal:
        r = self.remaining
        return r[Component.FEE] + r[Component.INTEREST] + r[Component.PRINCIPAL]


@dataclass(frozen=True, slots=True)
class InstalmentPosition:
    """An instalment as of a date: what is left of each component and when it was settled."""

    seq: int
    due_date: date
    remaining: dict[Component, Decimal]
    settled_on: date | None

    @property
    def contractual_left(self) -> Decimal:
        return sum((self.remaining[c] for c in CONTRACTUAL), ZERO)


@dataclass(frozen=True, slots=True)
class LedgerResult:
    """Everything the ledger derived from a schedule and its payments up to ``as_of``.

    Attributes:
        pending_penalty: accrued since the last charge up to ``as_of``, not yet charged (capped).
        unapplied: money received beyond the whole schedule.
    """

    as_of: date | None
    allocations: tuple[Allocation, ...]
    charges: tuple[PenaltyCharge, ...]
    positions: tuple[InstalmentPosition, ...]
    pending_penalty: Decimal
    unapplied: Decimal = ZERO
    charged_total: Decimal = field(default=ZERO)

    @property
    def unpaid_penalty(self) -> Decimal:
        """Penalty charged and accrued, less penalty paid."""
        charged_left = sum((p.remaining[Component.PENALTY] for p in self.positions), ZERO)
        return charged_left + self.pending_penalty


def _accrue(
    balances: Sequence[_Balance],
    first: int,
    since: date | None,
    on: date,
    terms: LedgerTerms,
    room: Decimal,
) -> list[tuple[int, Decimal]]:
    """Penalty per instalment (index, amount) for the days after ``since`` up to ``on``.

    Instalments before ``first`` are fully paid; the total stays within the cap ``room``.
    """
    charges: list[tuple[int, Decimal]] = []
    for index in range(first, len(balances)):
        bal = balances[index]
        if bal.due_date >= on:
            break  # the schedule is in due-date order: nothing later is overdue yet
        principal_left = bal.remaining[Component.PRINCIPAL]
        start = bal.due_date if since is None or since < bal.due_date else since
        days = (on - start).days
        if principal_left <= 0 or days <= 0:
            continue
        amount = min(round_money(terms.daily_rate * principal_left * days), room)
        if amount > 0:
            charges.append((index, amount))
            room -= amount
    return charges


def run_ledger(
    instalments: Iterable[Instalment],
    payments: Iterable[Payment],
    terms: LedgerTerms,
    as_of: date | None = None,
) -> LedgerResult:
    """Post every payment valued on or before ``as_of`` (all of them when ``None``)."""
    schedule = sorted(instalments, key=lambda i: (i.due_date, i.seq))
    balances = [
        _Balance(
            due_date=i.due_date,
            principal=i.principal,
            remaining={
                Component.FEE: i.fee,
                Component.PENALTY: ZERO,
                Component.INTEREST: i.interest,
                Component.PRINCIPAL: i.principal,
            },
        )
        for i in schedule
    ]
    settled: list[date | None] = [None if b.contractual_left > 0 else b.due_date for b in balances]
    ordered = sorted(payments, key=lambda p: (p.paid_at, p.payment_id))
    allocations: list[Allocation] = []
    charges: list[PenaltyCharge] = []
    charged_total = ZERO
    unapplied = ZERO
    first = 0  # instalments before this index are fully paid, penalty included
    last_charge: date | None = None
    for payment in ordered:
        on = payment.paid_at.date()
        if as_of is not None and on > as_of:
            break
        for index, amount in _accrue(
            balances, first, last_charge, on, terms, terms.cap - charged_total
        ):
            balances[index].remaining[Component.PENALTY] += amount
            charges.append(PenaltyCharge(schedule[index].seq, on, amount))
            charged_total += amount
        last_charge = on if last_charge is None else max(last_charge, on)
        left = payment.amount
        index = first
        while left > 0 and index < len(balances):
            remaining = balances[index].remaining
            for component in terms.order:
                due = remaining[component]
                if due <= 0:
                    continue
                take = due if due <= left else left
                remaining[component] = due - take
                left -= take
                allocations.append(
                    Allocation(payment.payment_id, schedule[index].seq, on, component, take)
                )
                if left <= 0:
                    break
            if settled[index] is None and balances[index].contractual_left <= 0:
                settled[index] = on
            index += 1
        while first < len(balances) and not any(balances[first].remaining.values()):
            first += 1
        unapplied += left
    pending = ZERO
    if as_of is not None:
        accrued = _accrue(balances, first, last_charge, as_of, terms, terms.cap - charged_total)
        pending = sum((a for _, a in accrued), ZERO)
    positions = tuple(
        InstalmentPosition(i.seq, i.due_date, dict(b.remaining), s)
        for i, b, s in zip(schedule, balances, settled, strict=True)
    )
    return LedgerResult(
        as_of=as_of,
        allocations=tuple(allocations),
        charges=tuple(charges),
        positions=positions,
        pending_penalty=pending,
        unapplied=unapplied,
        charged_total=charged_total,
    )
