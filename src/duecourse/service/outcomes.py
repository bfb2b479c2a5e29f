"""What followed each plan row: attempts, promises and payments in its window, per action and
per arm (``duecourse outcomes``).

A plan row's window starts on its day (``as_of``) and ends, exclusive, on the account's next
stored plan day; the last plan of an account (or every row, with ``window_days``) looks
``window_days`` days ahead (default 1: the plan's own day). Attempts count for the account
they name, or — naming none — for every account of their borrower. Promises count when made in
the window, kept when the promise journal says so (by any later day); payments by value date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from duecourse.batch.backend import batch_tables
from duecourse.batch.columns import placeholders, wanted_columns
from duecourse.batch.engines import Engine
from duecourse.domain.model import SUCCESS_OUTCOMES

Tables = Mapping[str, ir.Table]
#: The store tables the join reads.
OUTCOME_SOURCES = ("plans", "loans", "contact_attempts", "promises", "promise_states", "payments")
#: What a summary can be grouped by.
GROUPINGS = ("action", "arm", "strategy", "status", "bucket")


def _yuan(cents: ir.IntegerValue) -> ir.DecimalValue:
    return (cents.cast("decimal(16, 0)") * ibis.literal(Decimal("0.01"))).cast("decimal(18, 2)")


def outcomes_expr(t: Tables, start: date, end: date, window_days: int | None = None) -> ir.Table:
    """One row per stored plan row from ``start`` to ``end`` (inclusive) with what followed it
    in its window; see the module docstring."""
    plans = t["plans"]
    ahead = ibis.window(group_by="account_id", order_by="as_of")
    p = plans.mutate(next_day=plans.as_of.lead().over(ahead))
    p = p.filter(
        (p.as_of >= ibis.literal(start, type="date")) & (p.as_of <= ibis.literal(end, type="date"))
    )
    step = ibis.interval(days=window_days or 1)
    until = (p.as_of + step).cast("date")
    if window_days is None:
        until = p.next_day.fill_null(until)
    rows = p.select(
        "as_of", "account_id", "strategy", "arm", "bucket", "action", "channel", "status",
        window_end=until,
    )  # fmt: skip
    loans = t["loans"].select("loan_id", "borrower_id")
    att = t["contact_attempts"]
    named = att.filter(att.loan_id.notnull()).select("attempt_id", "loan_id", "at", "outcome")
    unnamed = att.filter(att.loan_id.isnull()).drop("loan_id")
    spread = unnamed.join(loans, "borrower_id").select("attempt_id", "loan_id", "at", "outcome")
    attempts = named.union(spread)
    a = rows.join(
        attempts,
        [
            rows.account_id == attempts.loan_id,
            attempts.at.date() >= rows.as_of,
            attempts.at.date() < rows.window_end,
        ],
    )
    per_attempts = a.group_by(["as_of", "account_id"]).aggregate(
        attempts=a.attempt_id.count(),
        conversations=a.attempt_id.count(where=a.outcome.isin(sorted(SUCCESS_OUTCOMES))),
    )
    prom = t["promises"].join(t["promise_states"].select("promise_id", "kept_on"), "promise_id")
    pr = rows.join(
        prom,
        [
            rows.account_id == prom.loan_id,
            prom.made_at.date() >= rows.as_of,
            prom.made_at.date() < rows.window_end,
        ],
    )
    per_promises = pr.group_by(["as_of", "account_id"]).aggregate(
        promises=pr.promise_id.count(),
        promised_cents=pr.amount_cents.sum(),
        promises_kept=pr.promise_id.count(where=pr.kept_on.notnull()),
    )
    pay = t["payments"]
    pa_ = rows.join(
        pay,
        [
            rows.account_id == pay.loan_id,
            pay.paid_at.date() >= rows.as_of,
            pay.paid_at.date() < rows.window_end,
        ],
    )
    per_payments = pa_.group_by(["as_of", "account_id"]).aggregate(
        payments=pa_.payment_id.count(), paid_cents=pa_.amount_cents.sum()
    )
    joined = rows
    for part in (per_attempts, per_promises, per_payments):
        joined = joined.left_join(part, ["as_of", "account_id"]).drop(
            "as_of_right", "account_id_right"
        )
    return joined.select(
        *rows.columns,
        attempts=joined.attempts.fill_null(0),
        conversations=joined.conversations.fill_null(0),
        promises=joined.promises.fill_null(0),
        promised=_yuan(joined.promised_cents.fill_null(0)),
        promises_kept=joined.promises_kept.fill_null(0),
        payments=joined.payments.fill_null(0),
        paid=_yuan(joined.paid_cents.fill_null(0)),
    ).order_by(["as_of", "account_id"])


def summary_expr(rows: ir.Table, by: str) -> ir.Table:
    """Per value of ``by`` (one of :data:`GROUPINGS`): plan rows, what followed, and rates."""
    if by not in GROUPINGS:
        raise ValueError(f"outcomes can be grouped by {', '.join(GROUPINGS)}, not {by!r}")
    g = rows.group_by(by).aggregate(
        rows=rows.count(),
        attempts=rows.attempts.sum(),
        conversations=rows.conversations.sum(),
        promises=rows.promises.sum(),
        promises_kept=rows.promises_kept.sum(),
        payments=rows.payments.sum(),
        paying_rows=rows.count(where=rows.paid > 0),
        paid=rows.paid.sum(),
    )
    return g.mutate(
        paying_share=(g.paying_rows / g.rows).round(4),
        paid_per_row=(g.paid / g.rows).cast("decimal(18, 2)"),
    ).order_by(by)


def read_outcomes(
    url: str,
    start: date,
    end: date,
    window_days: int | None = None,
    by: str | None = None,
    engine: Engine = Engine.DUCKDB,
) -> pa.Table:
    """The plan rows joined to what followed them (or, with ``by``, their summary), as Arrow."""
    if end < start:
        raise ValueError("the period ends before it starts")
    shape = outcomes_expr(placeholders(OUTCOME_SOURCES), start, end, window_days)
    wanted = wanted_columns([shape], OUTCOME_SOURCES)
    backend, tables = batch_tables(url, engine, OUTCOME_SOURCES, wanted=wanted)
    rows = outcomes_expr(tables, start, end, window_days)
    result = backend.to_pyarrow(summary_expr(rows, by) if by else rows)
    assert isinstance(result, pa.Table)
    return result
