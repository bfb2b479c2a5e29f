"""``duecourse explain``: one account's facts, each table's matched row, and the action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
from sqlalchemy import Engine, select

from duecourse.adapters.schema import PLANS
from duecourse.batch.backend import FACT_SOURCES, batch_tables
from duecourse.batch.columns import placeholders, wanted_columns
from duecourse.batch.facts import facts_expr
from duecourse.domain.facts import FactsConfig
from duecourse.service.plan import RunSpec
from duecourse.service.stored_runs import stored_runs
from duecourse.strategy.experiment import assign_arm
from duecourse.strategy.pipeline import Strategy, StrategyDecision, run_reference


@dataclass(frozen=True, slots=True)
class Explanation:
    """Everything ``explain`` prints for one account."""

    facts: dict[str, Any]
    arm: str
    strategy: Strategy
    decision: StrategyDecision
    stored: dict[str, Any] | None  # the plan row in the store for that day, if any


class UnknownAccount(LookupError):
    """No account with that id."""


def explain_account(
    engine: Engine, url: str, account_id: str, spec: RunSpec, config: FactsConfig | None = None
) -> Explanation:
    """Recompute one account's decision with the reference evaluator, beside the stored plan.

    Like the daily run, it copies only the store columns the facts read (through the store's
    mirror, so a run and an explanation share one copy); the plan row it shows beside the
    decision is read from the store by its key."""
    config = config or FactsConfig()
    names = (*FACT_SOURCES, PLANS.name)
    traced = facts_expr(placeholders(FACT_SOURCES), spec.as_of, config)
    wanted = {
        **wanted_columns([traced], FACT_SOURCES),
        PLANS.name: ["as_of", "account_id", "bucket"],
    }
    backend, tables = batch_tables(url, names=names, wanted=wanted)
    facts = facts_expr(tables, spec.as_of, config)
    rows = backend.to_pyarrow(facts.filter(facts.account_id == account_id)).to_pylist()
    if not rows:
        raise UnknownAccount(account_id)
    row = rows[0]
    plans = tables[PLANS.name]
    # The same plan the daily run compares with: the catch-up day's, if it is recent.
    catch_up = stored_runs(backend, plans, spec.as_of, spec.catch_up_days).catch_up
    earlier = (
        []
        if catch_up is None
        else backend.to_pyarrow(
            plans.filter(
                (plans.account_id == account_id)
                & (plans.as_of == ibis.literal(catch_up, type="date"))
            )
        ).to_pylist()
    )
    labels = config.buckets.labels
    before = labels.index(earlier[0]["bucket"]) if earlier else labels.index(row["bucket"])
    row["bucket_jump"] = labels.index(row["bucket"]) - before
    arm = assign_arm(spec.experiment, account_id, [a.arm for a in spec.arms])
    arm_spec = next(a for a in spec.arms if a.arm.name == arm)
    strategy = arm_spec.strategy_for(row["lender_type"])
    if strategy is None:
        raise LookupError(f"no strategy for {row['lender_type']} in arm {arm}")
    stored = _stored_plan(engine, spec.as_of, account_id)
    return Explanation(row, arm, strategy, run_reference(strategy, row), stored)


def _stored_plan(engine: Engine, as_of: date, account_id: str) -> dict[str, Any] | None:
    """The account's plan row of that day in the store, by its key."""
    query = select(PLANS).where(PLANS.c.as_of == as_of, PLANS.c.account_id == account_id)
    with engine.connect() as connection:
        found = connection.execute(query).mappings().first()
    return dict(found) if found is not None else None
