"""Promises to pay (承诺还款) as a state machine, and how payments are matched to them.

A promise is **open** from the day it is made. It becomes **kept** on the day the payments
matched to it reach its amount. A promise not kept by the end of its due date plus the grace
(``grace_days``) is judged the next day: **partially kept** (部分履约) when some money was
matched to it, **broken** (违约) when none was. Kept, partially kept and broken are final.

Matching: a loan's payments are taken in value order (``paid_at``, then ``payment_id``); each
payment's yuan go to the loan's promises oldest first (``made_at``, then ``promise_id``), to
those that are still short of their amount and whose window holds the payment's value date —
from the day the promise was made to its due date plus the grace. A yuan is matched to one
promise at most; money beyond every open promise is not promise money.

Matching runs in date order and only looks back, so what is matched up to a day never depends on
later records: the state on any day is read from :class:`PromiseTrack` alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from duecourse.domain.model import Payment, PromiseToPay
from duecourse.domain.money import ZERO

#: Days after its due date a promise may still be kept; the lender's setting.
DEFAULT_PROMISE_GRACE_DAYS = 0


class PromiseState(StrEnum):
    """Where a promise to pay stands on a day."""

    OPEN = "open"
    KEPT = "kept"
    PARTIALLY_KEPT = "partially_kept"
    BROKEN = "broken"


#: States a promise never leaves.
FINAL_STATES = frozenset({PromiseState.KEPT, PromiseState.PARTIALLY_KEPT, PromiseState.BROKEN})


@dataclass(frozen=True, slots=True)
class PromiseMatch:
    """Part of a payment matched to a promise, on the payment's value date."""

    promise_id: str
    payment_id: str
    on: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class PromiseTrack:
    """A promise and the money matched to it.

    Attributes:
        made_on: the day it was made (its value date).
        judged_on: the first day a promise not kept is partially kept or broken (the day after
            its due date plus the grace).
        matched: all money matched to it (every match falls before ``judged_on``).
        kept_on: the day the matched money reached ``amount``; ``None`` if it never did.
        matches: the parts of payments matched to it, in date order.
    """

    promise_id: str
    loan_id: str
    made_on: date
    due_date: date
    judged_on: date
    amount: Decimal
    matched: Decimal
    kept_on: date | None
    matches: tuple[PromiseMatch, ...]

    def state(self, day: date) -> PromiseState | None:
        """The state at the end of ``day``; ``None`` before the promise was made."""
        if day < self.made_on:
            return None
        if self.kept_on is not None and self.kept_on <= day:
            return PromiseState.KEPT
        if day >= self.judged_on:
            return PromiseState.PARTIALLY_KEPT if self.matched > ZERO else PromiseState.BROKEN
        return PromiseState.OPEN


def track_promises(
    promises: Iterable[PromiseToPay],
    payments: Iterable[Payment],
    grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> list[PromiseTrack]:
    """Match payments to promises (see the module docstring); one track per promise, ordered by
    loan and then oldest first."""
    if grace_days < 0:
        raise ValueError(f"the promise grace must be 0 days or more: {grace_days}")
    by_loan: dict[str, list[PromiseToPay]] = defaultdict(list)
    for promise in promises:
        by_loan[promise.loan_id].append(promise)
    paid: dict[str, list[Payment]] = defaultdict(list)
    for payment in payments:
        paid[payment.loan_id].append(payment)
    tracks: list[PromiseTrack] = []
    for loan_id in sorted(by_loan):
        tracks += _track_loan(by_loan[loan_id], paid.get(loan_id, []), grace_days)
    return tracks


def _track_loan(
    promises: list[PromiseToPay], payments: list[Payment], grace_days: int
) -> list[PromiseTrack]:
    ordered = sorted(promises, key=lambda p: (p.made_at, p.promise_id))
    grace = timedelta(days=grace_days)
    short = {p.promise_id: p.amount for p in ordered}
    kept_on: dict[str, date] = {}
    matches: dict[str, list[PromiseMatch]] = defaultdict(list)
    for payment in sorted(payments, key=lambda p: (p.paid_at, p.payment_id)):
        on = payment.paid_at.date()
        left = payment.amount
        for promise in ordered:
            if left <= ZERO:
                break
            pid = promise.promise_id
            if short[pid] <= ZERO or not promise.made_at.date() <= on <= promise.due_date + grace:
                continue
            take = min(left, short[pid])
            matches[pid].append(PromiseMatch(pid, payment.payment_id, on, take))
            short[pid] -= take
            left -= take
            if short[pid] <= ZERO:
                kept_on[pid] = on
    return [
        PromiseTrack(
            promise_id=p.promise_id,
            loan_id=p.loan_id,
            made_on=p.made_at.date(),
            due_date=p.due_date,
            judged_on=p.due_date + grace + timedelta(days=1),
            amount=p.amount,
            matched=p.amount - short[p.promise_id],
            kept_on=kept_on.get(p.promise_id, p.made_at.date() if p.amount <= ZERO else None),
            matches=tuple(matches[p.promise_id]),
        )
        for p in ordered
    ]


def count_states(tracks: Iterable[PromiseTrack], day: date) -> dict[PromiseState, int]:
    """How many promises stand in each state on ``day`` (promises not yet made left out)."""
    counts = dict.fromkeys(PromiseState, 0)
    for track in tracks:
        state = track.state(day)
        if state is not None:
            counts[state] += 1
    return counts
