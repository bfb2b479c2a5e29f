"""``duecourse explain``: one account's facts, each table's matched row, and the action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from duecourse.batch.backend import FACT_SOURCES, batch_tables
from duecourse.batch.facts import facts_expr
from duecourse.domain.facts import FactsConfig
from duecourse.service.plan import RunSpec
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
    url: str, account_id: str, spec: RunSpec, config: FactsConfig | None = None
) -> Explanation:
    """Recompute one account's decision with the reference evaluator, beside the stored plan."""
    config = config or FactsConfig()
    backend, tables = batch_tables(url, names=(*FACT_SOURCES, "plans"))
    facts = facts_expr(tables, spec.as_of, config)
    rows = backend.to_pyarrow(facts.filter(facts.account_id == account_id)).to_pylist()
    if not rows:
        raise UnknownAccount(account_id)
    row = rows[0]
    plans = tables["plans"]
    day = ibis.literal(spec.as_of, type="date")
    history = backend.to_pyarrow(
        plans.filter((plans.account_id == account_id) & (plans.as_of <= day)).order_by(
            ibis.desc("as_of")
        )
    ).to_pylist()
    previous = next((h for h in history if h["as_of"] < spec.as_of), None)
    labels = config.buckets.labels
    before = labels.index(previous["bucket"]) if previous else labels.index(row["bucket"])
    row["bucket_jump"] = labels.index(row["bucket"]) - before
    arm = assign_arm(spec.experiment, account_id, [a.arm for a in spec.arms])
    arm_spec = next(a for a in spec.arms if a.arm.name == arm)
    strategy = arm_spec.strategy_for(row["lender_type"])
    if strategy is None:
        raise LookupError(f"no strategy for {row['lender_type']} in arm {arm}")
    stored = next((h for h in history if h["as_of"] == spec.as_of), None)
    return Explanation(row, arm, strategy, run_reference(strategy, row), stored)
