"""Account facts as ibis expressions: the same definitions as ``duecourse.domain.facts``.

Every step is a relational expression over the store tables (money in integer fen, rates in
parts per million), so DuckDB, SQLite, PostgreSQL or Spark compute it exactly and identically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.batch.day_values import date_value
from duecourse.domain.contact import ContactStatus
from duecourse.domain.facts import FLAG_COLUMNS, OPEN_END, FactsConfig
from duecourse.domain.ledger import Component
from duecourse.domain.model import (
    CALL_CHANNELS,
    FAILED_CALL_OUTCOMES,
    SUCCESS_OUTCOMES,
    FlagKind,
    Outcome,
    Target,
)
from duecourse.domain.money import BASIS_POINTS, MICRO

Tables = Mapping[str, ir.Table]
MONEY_COLUMNS = ("amount_overdue", "outstanding_principal", "accrued_penalty")


def _left(left: ir.Table, right: ir.Table, keys: Sequence[str]) -> ir.Table:
    """Left join on same-named keys, keeping one copy of each key."""
    joined = left.left_join(right, list(keys))
    return joined.drop(*(f"{k}_right" for k in keys if f"{k}_right" in joined.columns))


def _attach(base: ir.Table, key: str, *parts: ir.Table) -> ir.Table:
    """Left-join several per-``key`` tables onto ``base`` in one join chain."""
    joined = base
    for index, part in enumerate(parts):
        alias = f"_k{index}"
        renamed = part.rename({alias: key})
        joined = joined.left_join(renamed, base[key] == renamed[alias])
    return joined.drop(*(f"_k{index}" for index in range(len(parts))))


def _div_half_up(numerator: ir.IntegerValue, denominator: int) -> ir.IntegerValue:
    return (numerator + denominator // 2) // denominator


def _values(items: frozenset[str] | Sequence[str]) -> list[str]:
    return sorted(str(i) for i in items)


def instalment_state(t: Tables, day: date) -> ir.Table:
    """One row per instalment as of ``day``: its due date, what is left of it (in all and of its
    principal), and the day its contractual dues were paid in full."""
    as_of = date_value(day)
    inst = t["instalments"]
    inst = inst.mutate(due_cents=inst.principal_cents + inst.interest_cents + inst.fee_cents)
    alloc = t["allocations"]
    contractual = alloc.filter(
        (alloc.on_date <= as_of) & (alloc.component != Component.PENALTY.value)
    )
    # The journal posts payments in date order, each allocation positive and never past what
    # is due (``domain.ledger``): once an instalment is paid, nothing more goes to its fee,
    # interest or principal. So the day its running total first covered it is the day of its
    # last contractual allocation, and one grouping finds it (no running total per day).
    paid = contractual.group_by(["loan_id", "seq"]).aggregate(
        paid_cents=contractual.amount_cents.sum(),
        principal_paid_cents=contractual.amount_cents.sum(
            where=contractual.component == Component.PRINCIPAL.value
        ),
        last_paid_on=contractual.on_date.max(),
    )
    state = _left(inst, paid, ["loan_id", "seq"])
    # Only what the money facts and prior overdues read: the state is kept in a table.
    return state.select(
        "loan_id",
        "seq",
        "due_date",
        settled_on=ibis.ifelse(
            state.paid_cents.fill_null(0) >= state.due_cents, state.last_paid_on, ibis.null("date")
        ),
        remaining_cents=state.due_cents - state.paid_cents.fill_null(0),
        principal_left_cents=state.principal_cents - state.principal_paid_cents.fill_null(0),
    )


def _money(state: ir.Table, t: Tables, as_of: ir.DateScalar) -> ir.Table:
    """Per loan: oldest past-due date, amounts, and unpaid penalty including accrual to date."""
    pay = t["payments"]
    last_paid = (
        pay.filter(pay.paid_at.date() <= as_of)
        .group_by("loan_id")
        .aggregate(last_paid_on=pay.paid_at.date().max())
    )
    loans = t["loans"].select("loan_id", "penalty_daily_rate_ppm")
    s = _left(_left(state, last_paid, ["loan_id"]), loans, ["loan_id"])
    start = ibis.greatest(s.due_date, s.last_paid_on.fill_null(s.due_date))
    days = as_of.delta(start, unit="day")
    accrues = (s.due_date < as_of) & (s.principal_left_cents > 0) & (days > 0)
    accrual = ibis.ifelse(
        accrues,
        _div_half_up(s.principal_left_cents * s.penalty_daily_rate_ppm * days, MICRO),
        0,
    )
    past_due = (s.due_date < as_of) & (s.remaining_cents > 0)
    per_loan = (
        s.mutate(accrual=accrual, past_due=past_due)
        .group_by("loan_id")
        .aggregate(
            oldest_due=ibis._.due_date.min(where=ibis._.past_due),
            amount_overdue_cents=ibis._.remaining_cents.sum(where=ibis._.past_due),
            outstanding_principal_cents=ibis._.principal_left_cents.sum(),
            pending_raw=ibis._.accrual.sum(),
            last_paid_on=ibis._.last_paid_on.max(),
        )
    )
    charges = t["penalty_charges"]
    charged = (
        charges.filter(charges.on_date <= as_of)
        .group_by("loan_id")
        .aggregate(charged_cents=charges.amount_cents.sum())
    )
    alloc = t["allocations"]
    penalty_paid = (
        alloc.filter((alloc.on_date <= as_of) & (alloc.component == Component.PENALTY.value))
        .group_by("loan_id")
        .aggregate(penalty_paid_cents=alloc.amount_cents.sum())
    )
    cap = t["loans"].select(
        "loan_id",
        cap_cents=_div_half_up(
            t["loans"].principal_cents * t["loans"].penalty_cap_ratio_bp, BASIS_POINTS
        ),
    )
    m = _left(
        _left(_left(per_loan, charged, ["loan_id"]), penalty_paid, ["loan_id"]), cap, ["loan_id"]
    )
    charged_cents = m.charged_cents.fill_null(0)
    pending = ibis.least(m.pending_raw.fill_null(0), m.cap_cents - charged_cents)
    return m.mutate(
        accrued_penalty_cents=charged_cents - m.penalty_paid_cents.fill_null(0) + pending
    ).drop("charged_cents", "penalty_paid_cents", "cap_cents", "pending_raw")


def _prior_overdues(state: ir.Table, as_of: date, history_days: int) -> ir.Table:
    """Per loan: completed overdue episodes ending within the history window."""
    late = state.filter(
        (state.due_date < date_value(as_of))
        & (state.settled_on.isnull() | (state.settled_on > state.due_date))
    )
    late = late.mutate(end=late.settled_on.fill_null(ibis.literal(OPEN_END)))
    before = ibis.window(group_by="loan_id", order_by=["due_date", "seq"], rows=(None, -1))
    late = late.mutate(prev_end=late.end.max().over(before))
    late = late.mutate(
        new=(late.prev_end.isnull() | (late.due_date >= late.prev_end)).cast("int64")
    )
    running = ibis.window(group_by="loan_id", order_by=["due_date", "seq"], rows=(None, 0))
    late = late.mutate(episode=late.new.sum().over(running))
    episodes = late.group_by(["loan_id", "episode"]).aggregate(end=late.end.max())
    window_start = date_value(as_of - timedelta(days=history_days))
    return episodes.group_by("loan_id").aggregate(
        prior_overdues=episodes.count(
            where=(episodes.end != ibis.literal(OPEN_END)) & (episodes.end >= window_start)
        )
    )


def _contact(t: Tables, as_of: ir.DateScalar, config: FactsConfig) -> ir.Table:
    """Per borrower: failed calls and unreachable days since last reached, invalid number."""
    att = t["contact_attempts"]
    own = att.filter((att.target == Target.DEBTOR.value) & (att.at.date() <= as_of))
    reached = (
        own.filter(own.outcome.isin(_values(SUCCESS_OUTCOMES)))
        .group_by("borrower_id")
        .aggregate(last_reached=ibis._.at.max())
    )
    joined = _left(own, reached, ["borrower_id"])
    since = joined.filter(joined.last_reached.isnull() | (joined.at > joined.last_reached))
    failed = since.channel.isin(_values(CALL_CHANNELS)) & since.outcome.isin(
        _values(FAILED_CALL_OUTCOMES)
    )
    per = since.group_by("borrower_id").aggregate(
        consecutive_failed_calls=since.count(where=failed),
        days_unreachable=since.at.date().nunique(where=failed),
        number_invalid=since.outcome.isin([Outcome.INVALID_NUMBER.value]).any(),
    )
    thresholds = config.contact
    lost = (
        per.number_invalid
        | (per.consecutive_failed_calls >= thresholds.lost_after_failed_calls)
        | (per.days_unreachable >= thresholds.lost_after_days_unreachable)
    )
    return per.mutate(
        contact=ibis.cases(
            (lost, ContactStatus.LOST.value),
            (per.consecutive_failed_calls > 0, ContactStatus.UNRESPONSIVE.value),
            else_=ContactStatus.REACHABLE.value,
        )
    )


def _promises(t: Tables, as_of: ir.DateScalar) -> ir.Table:
    """Per loan: broken promises, and whether one is open, from the promise journal
    (``domain.promises.PromiseTrack.state``)."""
    p = t["promise_states"]
    made = p.made_on <= as_of
    kept = (p.kept_on <= as_of).fill_null(False)
    judged = p.judged_on <= as_of
    broken = made & ~kept & judged & (p.matched_cents <= 0)
    open_ = made & ~kept & ~judged
    return p.group_by("loan_id").aggregate(
        broken_promises=p.count(where=broken), open_promise=open_.any()
    )


def _plans(t: Tables, as_of: date, state: ir.Table, grace_days: int) -> ir.Table:
    """Per loan: an arrangement in force and kept (no instalment due since it started unpaid
    for more than the grace)."""
    day = date_value(as_of)
    cutoff = date_value(as_of - timedelta(days=grace_days))
    arr = t["arrangements"]
    late = state.filter((state.remaining_cents > 0) & (state.due_date < cutoff)).select(
        late_loan=state.loan_id, late_due=state.due_date
    )
    j = arr.left_join(late, [arr.loan_id == late.late_loan, late.late_due >= arr.start_date])
    per = j.group_by(
        ["arrangement_id", "loan_id", "start_date", "end_date", "cancelled_on"]
    ).aggregate(missed=j.late_due.count())
    active = (
        (per.start_date <= day)
        & (day <= per.end_date)
        & (per.cancelled_on.isnull() | (per.cancelled_on > day))
        & (per.missed == 0)
    )
    return per.group_by("loan_id").aggregate(active_plan=active.any())


def _flags(t: Tables, as_of: ir.DateScalar) -> ir.Table:
    fl = t["flags"]
    active = (fl.start_date <= as_of) & (fl.end_date.isnull() | (as_of < fl.end_date))
    return fl.group_by("loan_id").aggregate(
        **{f"flag_{kind.value}": (active & (fl.flag == kind.value)).any() for kind in FlagKind}
    )


def _bucket(dpd: ir.IntegerValue, config: FactsConfig) -> ir.StringValue:
    buckets = config.buckets
    cases = [(dpd <= 0, "M0")]
    cases += [(dpd <= bound, f"M{i}") for i, bound in enumerate(buckets.bounds, start=1)]
    return ibis.cases(*cases, else_=buckets.last_label)


def _yuan(cents: ir.IntegerValue) -> ir.DecimalValue:
    # 16 digits of fen are what DECIMAL(18, 2) holds; a wider cast makes DuckDB multiply
    # 128-bit integers (five times slower over a million accounts).
    return (cents.cast("decimal(16, 0)") * ibis.literal(Decimal("0.01"))).cast("decimal(18, 2)")


def facts_expr(
    t: Tables, as_of: date, config: FactsConfig | None = None, state: ir.Table | None = None
) -> ir.Table:
    """One row per loan lent by ``as_of`` with every fact of
    :class:`duecourse.domain.facts.AccountFacts`, ordered by ``account_id``.

    ``state`` is :func:`instalment_state` already computed; without it the expression holds it
    twice, and DuckDB computes it twice (see :func:`facts_table`).
    """
    return unordered_facts(t, as_of, config, state).order_by("account_id")


def unordered_facts(
    t: Tables, as_of: date, config: FactsConfig | None, state: ir.Table | None
) -> ir.Table:
    """:func:`facts_expr` in no particular order (``state`` as there)."""
    config = config or FactsConfig()
    day = date_value(as_of)
    state = instalment_state(t, as_of) if state is None else state
    money = _money(state, t, day)
    prior = _prior_overdues(state, as_of, config.history_days)
    verified = (
        t["addresses"].group_by("borrower_id").aggregate(address_verified=ibis._.verified.any())
    )
    borrowers = t["borrowers"].select("borrower_id", "region", "timezone")
    loans = t["loans"]
    # Only loans lent by the as-of date: a later loan is not yet an account that day.
    base = loans.filter(loans.start_date <= day).select(
        "loan_id", "borrower_id", "lender", "lender_type", "product"
    )
    people = _attach(borrowers, "borrower_id", verified, _contact(t, day, config))
    f = _attach(
        base,
        "loan_id",
        money,
        prior,
        _promises(t, day),
        _plans(t, as_of, state, config.arrangement_grace_days),
        _flags(t, day),
    )
    f = _attach(f, "borrower_id", people)
    dpd = ibis.ifelse(f.oldest_due.isnull(), 0, day.delta(f.oldest_due, unit="day"))
    return f.select(
        account_id=f.loan_id,
        borrower_id=f.borrower_id,
        lender=f.lender,
        lender_type=f.lender_type,
        product=f.product,
        region=f.region,
        timezone=f.timezone,
        as_of=day,
        days_past_due=dpd.cast("int64"),
        bucket=_bucket(dpd, config),
        amount_overdue=_yuan(f.amount_overdue_cents.fill_null(0)),
        outstanding_principal=_yuan(f.outstanding_principal_cents.fill_null(0)),
        accrued_penalty=_yuan(f.accrued_penalty_cents.fill_null(0)),
        prior_overdues=f.prior_overdues.fill_null(0).cast("int64"),
        contact=f.contact.fill_null(ContactStatus.REACHABLE.value),
        consecutive_failed_calls=f.consecutive_failed_calls.fill_null(0).cast("int64"),
        days_unreachable=f.days_unreachable.fill_null(0).cast("int64"),
        number_invalid=f.number_invalid.fill_null(False),
        broken_promises=f.broken_promises.fill_null(0).cast("int64"),
        days_since_last_payment=day.delta(f.last_paid_on, unit="day").cast("int64"),
        address_verified=f.address_verified.fill_null(False),
        negotiating=f.open_promise.fill_null(False) | f.active_plan.fill_null(False),
        **{name: f[name].fill_null(False) for name in FLAG_COLUMNS},
    )


def facts_table(
    backend: Any, t: Tables, as_of: date, config: FactsConfig | None = None, name: str = "facts"
) -> ir.Table:
    """The facts computed into the temporary table ``name`` of ``backend``, in no particular
    order (a table's rows have none; whoever reads them in order asks for it).

    The instalment state is computed first, once, into a temporary table (dropped after): the
    money facts and the prior overdues both read it, and inside one expression DuckDB computed
    it twice (a third of the facts' time at 1,000,000 accounts).
    """
    scratch = f"{name}_instalment_state"
    state = backend.create_table(scratch, instalment_state(t, as_of), temp=True, overwrite=True)
    try:
        facts = unordered_facts(t, as_of, config, state)
        return backend.create_table(name, facts, temp=True, overwrite=True)
    finally:
        backend.drop_table(scratch, force=True)
