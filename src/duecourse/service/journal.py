"""Keeps the journals in step with schedules, payments and promises.

Whenever a loan's schedule or payments change, the ledger re-posts all of its payments and the
loan's ``allocations`` and ``penalty_charges`` rows are replaced; whenever its promises or
payments change, its promises are matched again (``domain.promises``) and its
``promise_states`` rows replaced. Facts read the journals as of any date, so a backdated payment
corrects every later day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from duecourse.adapters import records
from duecourse.adapters.messages import text
from duecourse.adapters.schema import ALLOCATIONS, PENALTY_CHARGES, PROMISE_STATES, STORE_TABLES
from duecourse.adapters.store import replace_rows_for, rows_for
from duecourse.domain.facts import ledger_terms
from duecourse.domain.ledger import DEFAULT_ORDER, Component, run_ledger
from duecourse.domain.model import Instalment, Loan, Payment, PromiseToPay
from duecourse.domain.money import to_cents
from duecourse.domain.promises import DEFAULT_PROMISE_GRACE_DAYS, track_promises
from duecourse.service.progress import Progress, Silent


def journal_rows(
    loans: Iterable[Loan],
    schedule: Mapping[str, Sequence[Instalment]],
    paid: Mapping[str, Sequence[Payment]],
    order: tuple[Component, ...] = DEFAULT_ORDER,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``allocations`` and ``penalty_charges`` store rows of the given loans."""
    allocation_rows: list[dict[str, Any]] = []
    charge_rows: list[dict[str, Any]] = []
    for loan in loans:
        terms = ledger_terms(loan, order)
        result = run_ledger(schedule.get(loan.loan_id, ()), paid.get(loan.loan_id, ()), terms)
        allocation_rows += [
            {
                "loan_id": loan.loan_id,
                "payment_id": a.payment_id,
                "seq": a.seq,
                "component": a.component.value,
                "on_date": a.on,
                "amount_cents": to_cents(a.amount),
            }
            for a in result.allocations
        ]
        charge_rows += [
            {
                "loan_id": loan.loan_id,
                "seq": c.seq,
                "on_date": c.on,
                "amount_cents": to_cents(c.amount),
            }
            for c in result.charges
        ]
    return allocation_rows, charge_rows


def promise_rows(
    promises: Iterable[PromiseToPay],
    payments: Iterable[Payment],
    grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> list[dict[str, Any]]:
    """The ``promise_states`` store rows of the given promises (and their loans' payments)."""
    return records.promise_state_rows(track_promises(promises, payments, grace_days))


def repost_promises(
    connection: Connection,
    loan_ids: Collection[str],
    grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> tuple[int, int]:
    """Match the payments of ``loan_ids`` to their promises again; returns the
    ``promise_states`` rows removed and written (new or different)."""
    ids = sorted(loan_ids)
    promises = [
        records.promise(r) for r in rows_for(connection, STORE_TABLES["promises"], "loan_id", ids)
    ]
    wanted = {p.loan_id for p in promises}
    paid = [
        records.payment(r)
        for r in rows_for(connection, STORE_TABLES["payments"], "loan_id", sorted(wanted))
    ]
    rows = promise_rows(promises, paid, grace_days)
    return replace_rows_for(connection, PROMISE_STATES, "loan_id", ids, rows)


@dataclass(frozen=True, slots=True)
class JournalChange:
    """What re-posting changed in the journal: rows written (new or different) and removed."""

    allocations: int  # allocation rows of the re-posted loans, changed or not
    allocations_written: int = 0
    allocations_removed: int = 0
    charges_written: int = 0
    charges_removed: int = 0
    promises_written: int = 0
    promises_removed: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.allocations_written,
                self.allocations_removed,
                self.charges_written,
                self.charges_removed,
                self.promises_written,
                self.promises_removed,
            )
        )


def rebuild_journal(
    connection: Connection,
    loan_ids: Collection[str],
    order: tuple[Component, ...] = DEFAULT_ORDER,
    progress: Progress | None = None,
    promise_grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> JournalChange:
    """Re-post the payments of ``loan_ids`` and match them to the loans' promises again;
    returns what changed in the journals."""
    progress = progress or Silent()
    ids = sorted(loan_ids)
    loans = [records.loan(r) for r in rows_for(connection, STORE_TABLES["loans"], "loan_id", ids)]
    schedule: dict[str, list[Instalment]] = defaultdict(list)
    for r in rows_for(connection, STORE_TABLES["instalments"], "loan_id", ids):
        schedule[r["loan_id"]].append(records.instalment(r))
    paid: dict[str, list[Payment]] = defaultdict(list)
    for r in rows_for(connection, STORE_TABLES["payments"], "loan_id", ids):
        paid[r["loan_id"]].append(records.payment(r))
    allocation_rows, charge_rows = journal_rows(
        progress.track(loans, text("posting payments"), total=len(loans)), schedule, paid, order
    )
    # Only the difference is written: a day's new payments add rows and change nothing else.
    removed, written = replace_rows_for(connection, ALLOCATIONS, "loan_id", ids, allocation_rows)
    charges_removed, charges = replace_rows_for(
        connection, PENALTY_CHARGES, "loan_id", ids, charge_rows
    )
    promises = [
        records.promise(r) for r in rows_for(connection, STORE_TABLES["promises"], "loan_id", ids)
    ]
    promised = {p.loan_id for p in promises}
    states = promise_rows(
        promises, [p for loan in promised for p in paid.get(loan, ())], promise_grace_days
    )
    promises_removed, promises_written = replace_rows_for(
        connection, PROMISE_STATES, "loan_id", ids, states
    )
    return JournalChange(
        len(allocation_rows),
        written,
        removed,
        charges,
        charges_removed,
        promises_written,
        promises_removed,
    )
