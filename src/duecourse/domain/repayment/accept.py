"""An accepted repayment plan replaces what is left of a loan's schedule.

On the day of acceptance the ledger says what each instalment has been paid. An instalment paid
in full stays as it is; one paid in part keeps only what was paid of each of its fee, interest
and principal (so it is settled, on the day of its last payment); one paid nothing goes. The
plan's instalments follow: the down payment, if any, due on the day of acceptance, then each
plan instalment (its ``separate`` amounts as the fee) on its due date counted from that day.
The loan's records keep the plan as an arrangement from the day of acceptance to the last
instalment's due date; facts show the account ``negotiating`` while the plan is kept
(``domain/facts.py``).

The plan must be for this account: its debt's principal must be the principal the account
still owes on the day of acceptance.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from duecourse.domain.facts import ledger_terms
from duecourse.domain.ledger import DEFAULT_ORDER, Component, run_ledger
from duecourse.domain.model import Arrangement, ArrangementKind, Instalment, Loan, Payment
from duecourse.domain.money import ZERO
from duecourse.domain.repayment.plan import Plan, ProposalError, add_months, build_plan
from duecourse.domain.repayment.terms import Proposal


@dataclass(frozen=True, slots=True)
class Acceptance:
    """The loan's new schedule (kept instalments, then the plan's) and its arrangement."""

    schedule: tuple[Instalment, ...]
    arrangement: Arrangement
    plan: Plan


def dated(proposal: Proposal, accepted_on: date) -> Proposal:
    """The proposal starting on the day it is accepted (its due dates count from then)."""
    return replace(proposal, start=accepted_on)


def accept_plan(
    loan: Loan,
    instalments: Iterable[Instalment],
    payments: Iterable[Payment],
    proposal: Proposal,
    accepted_on: date,
    arrangement_id: str,
    order: tuple[Component, ...] = DEFAULT_ORDER,
) -> Acceptance:
    """The schedule and arrangement after ``proposal`` is accepted on ``accepted_on``."""
    schedule = sorted(instalments, key=lambda i: (i.due_date, i.seq))
    result = run_ledger(schedule, payments, ledger_terms(loan, order), accepted_on)
    owed = sum((p.remaining[Component.PRINCIPAL] for p in result.positions), ZERO)
    if proposal.debt.principal != owed:
        raise ProposalError(
            "debt.principal",
            f"与账户 {loan.loan_id} 在 {accepted_on} 的剩余本金 {owed} 不符",
            f"is {proposal.debt.principal}, but account {loan.loan_id} owes {owed} of "
            f"principal on {accepted_on}",
        )
    plan = build_plan(dated(proposal, accepted_on))
    position = {p.seq: p for p in result.positions}
    kept: list[Instalment] = []
    for i in schedule:
        left = position[i.seq].remaining
        paid = replace(
            i,
            fee=i.fee - left[Component.FEE],
            interest=i.interest - left[Component.INTEREST],
            principal=i.principal - left[Component.PRINCIPAL],
        )
        if paid.contractual > ZERO:
            kept.append(paid)
    seq = max((i.seq for i in kept), default=0)
    new: list[Instalment] = []
    down = plan.proposal.down_payment
    if down > ZERO:
        seq += 1
        new.append(Instalment(loan.loan_id, seq, accepted_on, down, ZERO, ZERO))
    for row in plan.instalments:
        seq += 1
        due = row.due_date or add_months(accepted_on, plan.proposal.deferral_months + row.seq)
        new.append(Instalment(loan.loan_id, seq, due, row.principal, row.interest, row.separate))
    end = max((i.due_date for i in new), default=accepted_on)
    kind = (
        ArrangementKind.DEFERRAL
        if plan.proposal.deferral_months and plan.proposal.term_months == 1
        else ArrangementKind.INSTALMENT_PLAN
    )
    arrangement = Arrangement(arrangement_id, loan.loan_id, kind, accepted_on, end)
    return Acceptance(tuple(kept + new), arrangement, plan)
