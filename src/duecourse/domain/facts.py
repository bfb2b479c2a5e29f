"""Account facts as of a date: the definitions, and the pure-Python reference computation.

The batch engine computes the same facts as ibis expressions (``duecourse.batch.facts``); this
module is the oracle it is tested against, and the place where each fact's meaning is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from duecourse.domain.contact import ContactThresholds, derive_contactability
from duecourse.domain.ledger import DEFAULT_ORDER, Component, LedgerResult, LedgerTerms, run_ledger
from duecourse.domain.model import (
    AccountFlag,
    Arrangement,
    Borrower,
    ContactAttempt,
    FlagKind,
    Instalment,
    Loan,
    Payment,
    Portfolio,
    PromiseToPay,
)
from duecourse.domain.money import ZERO, round_money
from duecourse.domain.promises import DEFAULT_PROMISE_GRACE_DAYS, PromiseState, track_promises

#: Far-future stand-in for "not yet settled" when merging overdue intervals.
OPEN_END = date(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class Buckets:
    """Delinquency buckets by days past due: ``M0`` is current, ``M1`` is 1..bounds[0], ...

    The default bounds give M1 1–30, M2 31–60, ... M6 151–180 and M7+ beyond.
    """

    bounds: tuple[int, ...] = (30, 60, 90, 120, 150, 180)

    def __post_init__(self) -> None:
        if not self.bounds or any(
            b <= a for a, b in zip((0, *self.bounds), self.bounds, strict=False)
        ):
            raise ValueError(f"bucket bounds must be positive and increasing: {self.bounds}")

    @property
    def labels(self) -> tuple[str, ...]:
        return ("M0", *(f"M{i}" for i in range(1, len(self.bounds) + 1)), self.last_label)

    @property
    def last_label(self) -> str:
        return f"M{len(self.bounds) + 1}+"

    def label(self, days_past_due: int) -> str:
        if days_past_due <= 0:
            return "M0"
        for index, bound in enumerate(self.bounds, start=1):
            if days_past_due <= bound:
                return f"M{index}"
        return self.last_label


@dataclass(frozen=True, slots=True)
class FactsConfig:
    """Parameters of the facts computation.

    Attributes:
        history_days: window for ``prior_overdues`` (24 months = 730 days).
        allocation_order: component order used by the ledger.
        promise_grace_days: days after its due date a promise may still be kept
            (``domain.promises``); the store's promise journal is posted with the same setting.
        arrangement_grace_days: days an instalment due since an arrangement started may be
            unpaid before the arrangement counts as not kept.
    """

    buckets: Buckets = field(default_factory=Buckets)
    contact: ContactThresholds = field(default_factory=ContactThresholds)
    history_days: int = 730
    allocation_order: tuple[Component, ...] = DEFAULT_ORDER
    promise_grace_days: int = DEFAULT_PROMISE_GRACE_DAYS
    arrangement_grace_days: int = 0


FLAG_COLUMNS: tuple[str, ...] = tuple(f"flag_{kind.value}" for kind in FlagKind)


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """One account (loan) as of a date.

    Attributes:
        days_past_due: days since the due date of the oldest unsettled instalment (0 if none is
            past due; an instalment due today is not past due).
        bucket: delinquency bucket of ``days_past_due`` (see :class:`Buckets`).
        amount_overdue: unpaid fee, interest and principal of instalments past due.
        outstanding_principal: principal not yet repaid, past due or not.
        accrued_penalty: penalty charged or accrued up to the as-of date and not yet paid.
        prior_overdues: completed overdue episodes (continuous delinquency) that ended within
            ``history_days``; the current episode is not counted.
        contact: ``reachable``, ``unresponsive`` or ``lost`` (see ``domain.contact``).
        broken_promises: promises judged broken: nothing was paid towards them by their due
            date plus the grace (``domain.promises``; partially kept ones are not counted).
        days_since_last_payment: days since the last payment's value date; ``None`` if never paid.
        address_verified: the borrower has at least one verified address.
        negotiating: an open promise to pay (made, not yet kept, within its due date plus the
            grace), or an arrangement in force and kept: between its start and end dates, not
            cancelled, and no instalment due since it started unpaid for more than
            ``arrangement_grace_days``.
        flags: the account flags active on the as-of date, by name (``flag_dispute`` ...).
    """

    account_id: str
    borrower_id: str
    lender: str
    lender_type: str
    product: str
    region: str
    timezone: str
    as_of: date
    days_past_due: int
    bucket: str
    amount_overdue: Decimal
    outstanding_principal: Decimal
    accrued_penalty: Decimal
    prior_overdues: int
    contact: str
    consecutive_failed_calls: int
    days_unreachable: int
    number_invalid: bool
    broken_promises: int
    days_since_last_payment: int | None
    address_verified: bool
    negotiating: bool
    flags: dict[str, bool]


def ledger_terms(loan: Loan, order: tuple[Component, ...] = DEFAULT_ORDER) -> LedgerTerms:
    """The ledger terms of a loan: its penalty rate and its cap in yuan."""
    return LedgerTerms(
        daily_rate=loan.penalty_daily_rate,
        cap=round_money(loan.principal * loan.penalty_cap_ratio),
        order=order,
    )


def count_prior_overdues(result: LedgerResult, as_of: date, history_days: int) -> int:
    """Completed overdue episodes that ended within the window before ``as_of``."""
    late = sorted(
        (p.due_date, p.settled_on or OPEN_END)
        for p in result.positions
        if p.due_date < as_of and (p.settled_on is None or p.settled_on > p.due_date)
    )
    episodes: list[date] = []
    for start, end in late:
        if episodes and start < episodes[-1]:
            episodes[-1] = max(episodes[-1], end)
        else:
            episodes.append(end)
    window_start = as_of - timedelta(days=history_days)
    return sum(1 for end in episodes if end != OPEN_END and end >= window_start)


@dataclass(slots=True)
class _LoanRecords:
    instalments: list[Instalment] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    promises: list[PromiseToPay] = field(default_factory=list)
    arrangements: list[Arrangement] = field(default_factory=list)
    flags: list[AccountFlag] = field(default_factory=list)


def reference_facts(
    portfolio: Portfolio, as_of: date, config: FactsConfig | None = None
) -> list[AccountFacts]:
    """Compute every account's facts one by one, in plain Python (the oracle).

    An account is a loan lent by ``as_of`` (``start_date`` on or before it): a loan lent
    later does not exist yet that day."""
    config = config or FactsConfig()
    by_loan: dict[str, _LoanRecords] = defaultdict(_LoanRecords)
    for i in portfolio.instalments:
        by_loan[i.loan_id].instalments.append(i)
    for p in portfolio.payments:
        by_loan[p.loan_id].payments.append(p)
    for pr in portfolio.promises:
        by_loan[pr.loan_id].promises.append(pr)
    for ar in portfolio.arrangements:
        by_loan[ar.loan_id].arrangements.append(ar)
    for fl in portfolio.flags:
        by_loan[fl.loan_id].flags.append(fl)
    attempts: dict[str, list[ContactAttempt]] = defaultdict(list)
    for attempt in portfolio.attempts:
        attempts[attempt.borrower_id].append(attempt)
    verified = {a.borrower_id for a in portfolio.addresses if a.verified}
    borrowers = {b.borrower_id: b for b in portfolio.borrowers}
    return [
        _account_facts(
            loan,
            by_loan[loan.loan_id],
            attempts[loan.borrower_id],
            borrowers[loan.borrower_id],
            loan.borrower_id in verified,
            as_of,
            config,
        )
        for loan in sorted(portfolio.loans, key=lambda x: x.loan_id)
        if loan.start_date <= as_of
    ]


def _account_facts(
    loan: Loan,
    records: _LoanRecords,
    attempts: Sequence[ContactAttempt],
    borrower: Borrower,
    address_verified: bool,
    as_of: date,
    config: FactsConfig,
) -> AccountFacts:
    payments = records.payments
    terms = ledger_terms(loan, config.allocation_order)
    result = run_ledger(records.instalments, payments, terms, as_of)
    past_due = [p for p in result.positions if p.due_date < as_of and p.contractual_left > 0]
    dpd = (as_of - min(p.due_date for p in past_due)).days if past_due else 0
    paid_dates = [p.paid_at.date() for p in payments if p.paid_at.date() <= as_of]

    states = [
        track.state(as_of)
        for track in track_promises(records.promises, payments, config.promise_grace_days)
    ]
    broken = states.count(PromiseState.BROKEN)
    open_promise = PromiseState.OPEN in states
    cutoff = as_of - timedelta(days=config.arrangement_grace_days)

    def kept(r: Arrangement) -> bool:
        return not any(
            r.start_date <= p.due_date < cutoff and p.contractual_left > 0 for p in result.positions
        )

    active_plan = any(
        r.start_date <= as_of <= r.end_date
        and (r.cancelled_on is None or r.cancelled_on > as_of)
        and kept(r)
        for r in records.arrangements
    )
    active_flags = {
        r.flag.value
        for r in records.flags
        if r.start_date <= as_of and (r.end_date is None or as_of < r.end_date)
    }
    contact = derive_contactability(attempts, as_of, config.contact)
    return AccountFacts(
        account_id=loan.loan_id,
        borrower_id=loan.borrower_id,
        lender=loan.lender,
        lender_type=loan.lender_type.value,
        product=loan.product,
        region=borrower.region,
        timezone=borrower.timezone,
        as_of=as_of,
        days_past_due=dpd,
        bucket=config.buckets.label(dpd),
        amount_overdue=sum((p.contractual_left for p in past_due), ZERO),
        outstanding_principal=sum(
            (p.remaining[Component.PRINCIPAL] for p in result.positions), ZERO
        ),
        accrued_penalty=result.unpaid_penalty,
        prior_overdues=count_prior_overdues(result, as_of, config.history_days),
        contact=contact.status.value,
        consecutive_failed_calls=contact.consecutive_failed_calls,
        days_unreachable=contact.days_unreachable,
        number_invalid=contact.number_invalid,
        broken_promises=broken,
        days_since_last_payment=(as_of - max(paid_dates)).days if paid_dates else None,
        address_verified=address_verified,
        negotiating=open_promise or active_plan,
        flags={f"flag_{kind.value}": kind.value in active_flags for kind in FlagKind},
    )
