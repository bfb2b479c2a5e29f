"""``record``: outcomes (attempts, promises, payments, flags) and accepted repayment plans become
records the engine reads the next day.

The use case depends on one port, :class:`RecordPort`, with two adapters: the store
(``service/record_store.py``, SQLAlchemy, one transaction) and memory
(``service/record_memory.py``, for the simulator). Two ways in:

* :func:`record_fields`: one outcome typed by a person, as text fields named like the import
  file's columns, checked by the same field parsers the importer uses (``adapters/validate``).
  Bad input raises :class:`~duecourse.errors.BadData` naming the field and the reason; nothing
  is written.
* :func:`record_outcomes`: outcomes already typed as domain records (the simulator's).

Either way the rows are checked against the port (references, ids already recorded), then
written with the journals of every loan they touch re-posted (payments re-post the ledger and
the promise matching; promises the promise matching), all or nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from duecourse.adapters.records import portfolio_rows
from duecourse.adapters.schema import TABLES_BY_NAME
from duecourse.adapters.validate import validate_rows
from duecourse.domain.ledger import DEFAULT_ORDER, Component
from duecourse.domain.model import (
    AccountFlag,
    Arrangement,
    ContactAttempt,
    Payment,
    Portfolio,
    PromiseToPay,
)
from duecourse.domain.promises import DEFAULT_PROMISE_GRACE_DAYS
from duecourse.errors import BadData

#: The outcome kinds ``record`` takes, and the store table of each.
OUTCOME_TABLES: dict[str, str] = {
    "attempt": "contact_attempts",
    "promise": "promises",
    "payment": "payments",
    "flag": "flags",
}
#: The order rows are written in (a table's references before it).
WRITE_ORDER = ("flags", "arrangements", "contact_attempts", "promises", "payments")
#: (table, column) → the table whose key it names.
REFERENCES: dict[tuple[str, str], str] = {
    ("contact_attempts", "borrower_id"): "borrowers",
    ("contact_attempts", "loan_id"): "loans",
    ("promises", "loan_id"): "loans",
    ("payments", "loan_id"): "loans",
    ("flags", "loan_id"): "loans",
    ("arrangements", "loan_id"): "loans",
}


@dataclass(frozen=True, slots=True)
class RecordChange:
    """What one ``record`` writes, in store form.

    Attributes:
        rows: new rows per store table (``contact_attempts``, ``promises``, ``payments``,
            ``flags``, ``arrangements``).
        schedules: per loan, the instalment rows that become its whole schedule (an accepted
            repayment plan); loans not named keep theirs.
        order: the payment allocation order the ledger re-posts with.
        promise_grace_days: the grace the promises are matched with (``domain.promises``).
    """

    rows: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    schedules: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    order: tuple[Component, ...] = DEFAULT_ORDER
    promise_grace_days: int = DEFAULT_PROMISE_GRACE_DAYS

    @property
    def ledger_loans(self) -> set[str]:
        """Loans whose ledger is re-posted: new payments or a new schedule."""
        return {r["loan_id"] for r in self.rows.get("payments", ())} | set(self.schedules)

    @property
    def promise_loans(self) -> set[str]:
        """Loans whose promises are matched again: new promises, payments or schedule."""
        return self.ledger_loans | {r["loan_id"] for r in self.rows.get("promises", ())}


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a record wrote: rows per table, and loans whose journals were re-posted."""

    rows: dict[str, int]
    loans_reposted: int


class RecordPort(Protocol):
    """Where records go: the store, or the simulator's memory."""

    def known(self, table: str, column: str, values: Collection[Any]) -> set[Any]:
        """Those of ``values`` that ``column`` of ``table`` already holds."""
        ...

    def rows_for(self, table: str, loan_id: str) -> list[dict[str, Any]]:
        """The store rows of ``table`` for one loan."""
        ...

    def apply(self, change: RecordChange) -> Recorded:
        """Write ``change`` and re-post the journals of the loans it touches, all or nothing."""
        ...


def parse_fields(kind: str, fields: Mapping[str, str | None], today: date) -> dict[str, Any]:
    """One outcome's text fields (import column names) as a store row; a bad field is a
    :class:`BadData` naming each field and its reason."""
    table = OUTCOME_TABLES.get(kind, kind)
    spec = TABLES_BY_NAME[table]
    given = {k: v for k, v in fields.items() if v is not None}
    parsed = validate_rows(spec, f"record {kind}", [given], given.keys(), today)
    if parsed.errors:
        raise BadData(
            "记录无效，未写入",
            "the record is invalid; nothing was written",
            f"record {kind}",
            [f"{e.column}: {e.reason}" for e in parsed.errors],
        )
    return parsed.rows[0]


def record_fields(
    port: RecordPort,
    kind: str,
    fields: Mapping[str, str | None],
    today: date,
    order: tuple[Component, ...] = DEFAULT_ORDER,
    promise_grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> Recorded:
    """Record one outcome typed as text fields (``kind``: attempt, promise, payment, flag)."""
    row = parse_fields(kind, fields, today)
    table = OUTCOME_TABLES[kind]
    return record_change(port, RecordChange({table: [row]}, {}, order, promise_grace_days))


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Outcomes as domain records (what the simulator produces for a day)."""

    attempts: tuple[ContactAttempt, ...] = ()
    promises: tuple[PromiseToPay, ...] = ()
    payments: tuple[Payment, ...] = ()
    flags: tuple[AccountFlag, ...] = ()
    arrangements: tuple[Arrangement, ...] = ()


def record_outcomes(
    port: RecordPort,
    outcomes: Outcomes,
    order: tuple[Component, ...] = DEFAULT_ORDER,
    promise_grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> Recorded:
    """Record typed outcomes; references and ids are checked as for :func:`record_fields`."""
    rows = portfolio_rows(
        Portfolio(
            attempts=outcomes.attempts,
            promises=outcomes.promises,
            payments=outcomes.payments,
            flags=outcomes.flags,
            arrangements=outcomes.arrangements,
        )
    )
    wanted = {t: rows[t] for t in WRITE_ORDER if rows.get(t)}
    return record_change(port, RecordChange(wanted, {}, order, promise_grace_days))


def record_change(port: RecordPort, change: RecordChange) -> Recorded:
    """Check ``change`` against the port, then apply it (nothing is written when a check
    fails)."""
    problems = _problems(port, change)
    if problems:
        raise BadData(
            "记录无效，未写入",
            "the record is invalid; nothing was written",
            ", ".join(sorted({t for t in change.rows if change.rows[t]} | _schedule(change))),
            problems,
        )
    return port.apply(change)


def _schedule(change: RecordChange) -> set[str]:
    return {"instalments"} if change.schedules else set()


def _problems(port: RecordPort, change: RecordChange) -> list[str]:
    problems: list[str] = []
    for table, rows in change.rows.items():
        if not rows:
            continue
        for (source, column), target in REFERENCES.items():
            if source != table:
                continue
            named = {r[column] for r in rows if r.get(column) is not None}
            key = TABLES_BY_NAME[target].key[0]
            for missing in sorted(named - port.known(target, key, named)):
                problems.append(f"{column}: {missing!r} 不存在 is not in {target}")
        spec = TABLES_BY_NAME[table]
        if len(spec.key) == 1:
            key = spec.column(spec.key[0]).store_name
            ids = Counter(r[key] for r in rows)
            twice = {i for i, n in ids.items() if n > 1}
            duplicates = sorted(twice | port.known(table, key, list(ids)))
            problems += [f"{key}: {i!r} 已记录 is already recorded" for i in duplicates]
    return problems
