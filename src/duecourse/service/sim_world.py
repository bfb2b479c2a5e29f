"""The simulated portfolio: generated accounts as store tables, payments posted through the
pure ledger, and outcomes appended as store records (the recording port).

Accounts start in the states of the behaviour model's ``initial_mix``: an account ``m`` months
late has its first ``m`` instalments past due and unpaid (it has no earlier history); a current
one has its first instalment due after the first day. Due days are spread over 1..28, every
instalment is the same (principal plus 2 % interest), and the schedule runs past the horizon.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import pyarrow as pa

from duecourse.adapters.schema import PLANS
from duecourse.batch.backend import ALL_TABLES, FACT_SOURCES, MemoryTables, arrow_schema
from duecourse.domain.facts import ledger_terms
from duecourse.domain.ledger import CONTRACTUAL, LedgerResult, LedgerTerms, run_ledger
from duecourse.domain.model import Instalment, LenderType, Loan, Payment
from duecourse.domain.money import from_cents, to_cents
from duecourse.lab.behaviour import BehaviourModel
from duecourse.service.record import RecordChange, record_change
from duecourse.service.record_tables import TablesRecordPort

PENALTY_PPM = 500  # 0.05 % a day (as the sample)
CAP_BP = 2400  # penalty cap: 24 % of principal
RATE_PPM = 240_000
NOON = time(12)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (day of month <= 28 in the simulated world)."""
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, day.day)


@dataclass
class World:
    """The accounts (arrays in ``account_id`` order) and what the ledger needs of them.

    Attributes:
        ids: account (loan) ids, ascending; borrower ``i`` owns loan ``i``.
        first_due: each loan's first due date; instalment ``s`` is due ``s - 1`` months on.
        missed: instalments past due at the start of the current cycle.
        next_due: the due date that ends the current cycle.
        cycle_days: the days the current cycle's payment chance is spread over.
        reachable: the borrower has a working number (the model's latent state).
        instalment_cents: principal and interest of every instalment.
    """

    first_day: date
    ids: list[str]
    borrowers: list[str]
    lender_type: str
    first_due: list[date]
    term: np.ndarray
    principal_cents: np.ndarray
    interest_cents: np.ndarray
    missed: np.ndarray
    next_due: list[date]
    cycle_days: np.ndarray
    reachable: np.ndarray
    payments: dict[int, list[Payment]] = field(default_factory=dict)
    #: Per account, its ledger terms and schedule once built (neither changes).
    _contract: dict[int, tuple[LedgerTerms, list[Instalment]]] = field(
        default_factory=dict, repr=False
    )

    @property
    def size(self) -> int:
        return len(self.ids)

    def loan(self, i: int) -> Loan:
        principal = from_cents(int(self.principal_cents[i] * self.term[i]))
        return Loan(
            self.ids[i],
            self.borrowers[i],
            "模拟 simulated",
            LenderType(self.lender_type),
            "cash_loan",
            principal,
            Decimal(RATE_PPM) / 1_000_000,
            int(self.term[i]),
            add_months(self.first_due[i], -1),
            Decimal(PENALTY_PPM) / 1_000_000,
            Decimal(CAP_BP) / 10_000,
        )

    def schedule(self, i: int) -> list[Instalment]:
        p, r = from_cents(int(self.principal_cents[i])), from_cents(int(self.interest_cents[i]))
        return [
            Instalment(self.ids[i], s + 1, add_months(self.first_due[i], s), p, r, Decimal(0))
            for s in range(int(self.term[i]))
        ]

    def ledger(self, i: int, as_of: date | None = None) -> LedgerResult:
        contract = self._contract.get(i)
        if contract is None:
            contract = self._contract[i] = (ledger_terms(self.loan(i)), self.schedule(i))
        terms, schedule = contract
        return run_ledger(schedule, self.payments.get(i, []), terms, as_of)


def generate_world(
    model: BehaviourModel, accounts: int, seed: int, first_day: date, days: int, lender_type: str
) -> World:
    """``accounts`` accounts on ``first_day`` (the same arguments give the same world)."""
    rng = np.random.default_rng([seed, 0x5EED])
    mix = np.asarray(model.initial_mix) / sum(model.initial_mix)
    missed = rng.choice(len(mix), size=accounts, p=mix).astype(np.int64)
    due_day = rng.integers(1, 29, size=accounts)
    principal = rng.integers(3, 31, size=accounts) * 10_000  # 300..3,000 yuan, in fen
    months = days // 28 + 2
    first_due, next_due, cycle_days = [], [], np.zeros(accounts, dtype=np.int64)
    for i in range(accounts):
        last = date(first_day.year, first_day.month, int(due_day[i]))
        if last >= first_day:
            last = add_months(last, -1)  # the latest due date before the first day
        following = add_months(last, 1)
        m = int(missed[i])
        first_due.append(add_months(last, -(m - 1)) if m else following)
        next_due.append(following)
        cycle_days[i] = (following - first_day).days + 1  # the first cycle is under way
    return World(
        first_day=first_day,
        ids=[f"L{i:07d}" for i in range(1, accounts + 1)],
        borrowers=[f"B{i:07d}" for i in range(1, accounts + 1)],
        lender_type=lender_type,
        first_due=first_due,
        term=missed + months,
        principal_cents=principal,
        interest_cents=principal // 50,
        missed=missed,
        next_due=next_due,
        cycle_days=cycle_days,
        reachable=rng.random(accounts) >= model.lost_share,
    )


def world_tables(world: World) -> dict[str, pa.Table]:
    """The world as typed store tables (every fact source and ``plans``)."""
    n = world.size
    rows: dict[str, dict[str, Any]] = {
        "borrowers": {
            "borrower_id": world.borrowers,
            "name": ["模拟"] * n,
            "id_number": [None] * n,
            "phones": ["+8613800000000"] * n,
            "region": ["湖北"] * n,
            "timezone": ["Asia/Shanghai"] * n,
        },
        "addresses": {
            "address_id": [f"A{i:07d}" for i in range(1, n + 1)],
            "borrower_id": world.borrowers,
            "kind": ["home"] * n,
            "address": ["模拟地址"] * n,
            "verified": [i % 2 == 0 for i in range(n)],
        },
        "loans": {
            "loan_id": world.ids,
            "borrower_id": world.borrowers,
            "lender": ["模拟 simulated"] * n,
            "lender_type": [world.lender_type] * n,
            "product": ["cash_loan"] * n,
            "principal_cents": (world.principal_cents * world.term).tolist(),
            "annual_rate_ppm": [RATE_PPM] * n,
            "term_months": world.term.tolist(),
            "start_date": [add_months(d, -1) for d in world.first_due],
            "penalty_daily_rate_ppm": [PENALTY_PPM] * n,
            "penalty_cap_ratio_bp": [CAP_BP] * n,
        },
    }
    loan_ids, seqs, dues, principal, interest = [], [], [], [], []
    for i in range(n):
        for s in range(int(world.term[i])):
            loan_ids.append(world.ids[i])
            seqs.append(s + 1)
            dues.append(add_months(world.first_due[i], s))
            principal.append(int(world.principal_cents[i]))
            interest.append(int(world.interest_cents[i]))
    rows["instalments"] = {
        "loan_id": loan_ids,
        "seq": seqs,
        "due_date": dues,
        "principal_cents": principal,
        "interest_cents": interest,
        "fee_cents": [0] * len(seqs),
    }
    out = {}
    for name in (*FACT_SOURCES, PLANS.name):
        schema = arrow_schema(ALL_TABLES[name])
        columns = rows.get(name)
        out[name] = (
            pa.Table.from_pydict(columns, schema=schema) if columns else schema.empty_table()
        )
    return out


def post_payment(world: World, i: int, day: date, instalments: int, number: int) -> dict[str, Any]:
    """Account ``i`` pays, on ``day``, its ``instalments`` oldest unsettled instalments and its
    unpaid penalty (as the ledger states them that day). Returns the payment's store row; the
    record service posts it through the ledger (``Recorder``)."""
    before = world.ledger(i, day)
    open_ = [p for p in before.positions if p.contractual_left > 0][:instalments]
    amount = sum((p.contractual_left for p in open_), Decimal(0)) + before.unpaid_penalty
    payment = Payment(
        f"S{world.ids[i][1:]}-{number:04d}",
        world.ids[i],
        datetime.combine(day, NOON),
        amount,
        "app",
    )
    world.payments.setdefault(i, []).append(payment)
    return {
        "payment_id": payment.payment_id,
        "loan_id": world.ids[i],
        "paid_at": payment.paid_at,
        "amount_cents": to_cents(amount),
        "channel": "app",
        "recorded_at": payment.paid_at,
    }


def contractual_left(result: LedgerResult) -> Decimal:
    """What is left of the schedule's fees, interest and principal."""
    return sum((p.remaining[c] for p in result.positions for c in CONTRACTUAL), Decimal(0))


class Recorder(Protocol):
    """Where a simulated day's outcomes go: store rows per table (attempts, promises,
    payments, flags), and the day's plan."""

    def record(self, day: date, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None: ...

    def append_plan(self, plan: pa.Table) -> None: ...


class MemoryRecorder:
    """Records a simulated day's outcomes through the record service
    (``service/record.record_change``, the same checks and journal postings as a real
    ``record``) on the in-memory tables the next day's run reads (``TablesRecordPort``), and
    keeps the plans the next runs can read.

    Of each day's plan only what a later run reads is kept (the simulator runs one strategy
    pair a day, so this is known): the columns ``plan_columns`` (the others are left null),
    and the rows still inside a window: every row of the latest day (its buckets are the next
    day's catch-up), and ``planned`` rows of an action for ``horizons[action]`` days (its
    cadence horizon; none kept when it has none). With ``horizons`` ``None`` every row is
    kept.
    """

    def __init__(
        self,
        tables: MemoryTables,
        plan_columns: Sequence[str] | None = None,
        horizons: Mapping[str, int] | None = None,
    ) -> None:
        self.tables = tables
        self.port = TablesRecordPort(tables)
        self.plan_columns = plan_columns
        self.horizons = horizons

    def record(self, day: date, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        wanted = {name: table_rows for name, table_rows in rows.items() if table_rows}
        if wanted:
            record_change(self.port, RecordChange(wanted))

    def append_plan(self, plan: pa.Table) -> None:
        """The day's guarded plan, as a real run stores it (cadence reads it)."""
        if self.plan_columns is not None:
            keep = set(self.plan_columns)
            plan = pa.table(
                {
                    c: plan[c] if c in keep else pa.nulls(plan.num_rows, plan.schema.field(c).type)
                    for c in plan.column_names
                }
            )
        self.port.insert(PLANS.name, plan)
        if self.horizons is None or plan.num_rows == 0:
            return
        day = plan["as_of"][0].as_py()
        live = " OR ".join(
            f"(action = '{action}' AND as_of > DATE '{day.isoformat()}' - {days})"
            for action, days in sorted(self.horizons.items())
            if days > 0
        )
        self.port.con.execute(
            f"DELETE FROM \"{PLANS.name}\" WHERE as_of < DATE '{day.isoformat()}' "
            f"AND NOT (status = 'planned' AND ({live or 'false'}))"
        )
