"""The day's plan before the rule pack: what a run is asked to do (its arms and their
strategies), and the plan those strategies give each account as one ibis expression, with
the history it reads (the previous bucket, and each action's last planned day)."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from duecourse.adapters.templates import load_templates
from duecourse.batch.built import built
from duecourse.batch.day_values import date_value
from duecourse.batch.guard_requests import LENDER_ZONE, Dispatch
from duecourse.compliance.packs import Pack, load_pack
from duecourse.domain.facts import FactsConfig
from duecourse.domain.model import LenderType
from duecourse.strategy.experiment import Arm, arm_expr, check_arms
from duecourse.strategy.optimiser_day import OptimiserConfig
from duecourse.strategy.pipeline import (
    CATCH_UP_DAYS,
    Strategy,
    cadence_horizons,
    compile_strategy,
)

PLANNED, CADENCE = "planned", "cadence"
#: When dispatch starts on the plan's day, in the lender's zone, unless the run says otherwise.
DISPATCH_START = time(9)


@dataclass(frozen=True, slots=True)
class ArmSpec:
    """One arm: its share, and its strategy per lender type (``"*"`` for every type). With
    ``optimiser`` the strategies segment the accounts and the optimiser picks the action of
    those in its segments (``service/optimised.py``)."""

    arm: Arm
    strategies: Mapping[str, Strategy]
    optimiser: OptimiserConfig | None = None

    def strategy_for(self, lender_type: str) -> Strategy | None:
        return self.strategies.get(lender_type) or self.strategies.get("*")


@dataclass(frozen=True, slots=True)
class RunSpec:
    """What to run: the day, the experiment name and its arms; ``catch_up_days``: how recent
    (in days before ``as_of``) a stored plan must be for ``bucket_jump`` to compare with it."""

    as_of: date
    arms: Sequence[ArmSpec]
    experiment: str = "default"
    pack: Pack = field(default_factory=lambda: load_pack("cn"))
    dispatch: Dispatch | None = None
    catch_up_days: int = CATCH_UP_DAYS

    def __post_init__(self) -> None:
        check_arms([a.arm for a in self.arms])
        if self.catch_up_days < 0:
            raise ValueError(f"catch_up_days must be 0 or more, not {self.catch_up_days}")

    def arms_of(self, facts: ir.Table) -> ir.Table:
        """Each account of ``facts`` with its arm in this run's experiment."""
        split = arm_expr(self.experiment, facts.account_id, [a.arm for a in self.arms])
        return facts.select("account_id", arm=split)

    def cadence_horizons(self) -> dict[str, int] | None:
        """Per action, the longest cadence any arm's strategy (or optimiser) gives it
        (``cadence_horizons``)."""
        horizons = cadence_horizons(s for arm in self.arms for s in arm.strategies.values())
        if horizons is None:
            return None
        for arm in self.arms:
            for name, params in (arm.optimiser.actions if arm.optimiser else {}).items():
                horizons[name] = max(horizons.get(name, 0), params.cadence_days)
        return horizons

    def lender_types(self) -> list[str]:
        """The lender types every arm has a strategy for (all four with ``"*"``)."""
        return [
            kind.value
            for kind in LenderType
            if all(a.strategy_for(kind.value) is not None for a in self.arms)
        ]

    def dispatch_plan(self) -> Dispatch:
        """The given dispatch, or one starting at 09:00 of the plan's day in Beijing time with
        the reference templates (checked for the pack when loaded)."""
        if self.dispatch is not None:
            return self.dispatch
        start = datetime.combine(self.as_of, DISPATCH_START, tzinfo=ZoneInfo(LENDER_ZONE))
        return Dispatch(start, templates=load_templates(pack=self.pack.name))


def _bucket_index(bucket: ir.StringValue, labels: Sequence[str]) -> ir.IntegerValue:
    return ibis.cases(*((bucket == label, i) for i, label in enumerate(labels)), else_=0)


def plan_history(
    plans: ir.Table, day: date, previous: date | None, horizons: Mapping[str, int] | None
) -> tuple[ir.Table, ir.Table]:
    """Per account: its bucket in the ``previous`` day's plan; per account and action: the
    last day it was planned, if that can still hold it back today.

    Only earlier days count, so a rerun of the same day sees the same history, and a run of a
    later day (or a backfill stored since) never does. The plans grow by every account every
    day, so neither reads all of them. ``previous`` is the catch-up day of ``stored_runs``: a
    run plans every account that exists on its day, so that day's plan holds each account's
    last recent bucket, unless the account is new since (no jump then). An action is held back
    for fewer days than its horizon (``cadence_horizons``), so only plans inside it are read.
    """
    today = date_value(day)
    # Only the columns read here: a projection passes every column it keeps on, and a run
    # copies from the store each column its expressions mention (not the plans' reasons).
    past = plans.filter(plans.as_of < today).select(
        "account_id", "as_of", "bucket", "action", "status"
    )
    last_bucket = past.filter(past.as_of == date_value(previous or day)).select(
        "account_id", previous_bucket=past.bucket
    )
    planned = past.filter(past.status == PLANNED)
    if horizons is not None:
        by_days: dict[int, list[str]] = {}
        for action, days in horizons.items():
            if days > 0:
                by_days.setdefault(days, []).append(action)
        live = [
            planned.action.isin(sorted(actions))
            & (planned.as_of > date_value(day - timedelta(days=days)))
            for days, actions in sorted(by_days.items())
        ]
        planned = planned.filter(reduce(operator.or_, live) if live else ibis.literal(False))
    last_action = planned.group_by(["account_id", "action"]).aggregate(
        last_done=planned.as_of.max()
    )
    return last_bucket, last_action


def _reasons(t: ir.Table, strategy: Strategy) -> ir.StringValue:
    parts: list[ir.StringValue] = []
    for i, name in enumerate(strategy.inputs):
        text = t[name].cast("string").fill_null("∅")
        parts += [ibis.literal(("" if i == 0 else "; ") + f"{name}="), text]
    parts.append(ibis.literal(f" | strategy {strategy.name}: "))
    for i, table in enumerate(strategy.tables):
        parts += [
            ibis.literal(("" if i == 0 else " → ") + f"{table.name}#"),
            t[f"{table.name}_row"],
        ]
    # One variadic call: DuckDB compiles ``concat`` to a chain of ``||``, copying the growing
    # string once per part (twice the time over a million rows).
    return ibis.literal("").join(parts)


def _decided(strategy: Strategy, branch: ir.Table) -> ir.Table:
    """The strategy's tables over one branch of the plan (pure: built once per simulation)."""
    return built(
        ("strategy", id(strategy), branch.op()), lambda: compile_strategy(strategy, branch)
    )


def plan_expr(
    facts: ir.Table,
    plans: ir.Table,
    arms: ir.Table,
    spec: RunSpec,
    lender_types: Sequence[str],
    config: FactsConfig,
    previous: date | None = None,
) -> ir.Table:
    """The day's plan as one ibis expression, in no particular order (the guarded plan is
    ordered by account)."""
    day = date_value(spec.as_of)
    last_bucket, last_action = plan_history(plans, spec.as_of, previous, spec.cadence_horizons())
    labels = config.buckets.labels
    base = facts.left_join(last_bucket, "account_id").drop("account_id_right")
    base = base.left_join(arms, "account_id").drop("account_id_right")
    jump = _bucket_index(base.bucket, labels) - _bucket_index(
        base.previous_bucket.fill_null(base.bucket), labels
    )
    base = base.mutate(bucket_jump=jump)
    branches = []
    for arm_spec in spec.arms:
        for lender_type in lender_types:
            strategy = arm_spec.strategy_for(lender_type)
            if strategy is None:
                raise ValueError(f"arm {arm_spec.arm.name!r} has no strategy for {lender_type}")
            subset = base.filter(
                (base.arm == arm_spec.arm.name) & (base.lender_type == lender_type)
            )
            decided = _decided(strategy, subset)
            names = {o for t in strategy.tables for o in t.outputs}
            branches.append(
                decided.select(
                    "account_id",
                    "lender_type",
                    "bucket",
                    "arm",
                    strategy=ibis.literal(strategy.name),
                    segment=decided.segment if "segment" in names else ibis.null("string"),
                    treatment=decided.treatment if "treatment" in names else ibis.null("string"),
                    action=decided.action,
                    channel=decided.channel,
                    priority=decided.priority.cast("int64"),
                    cadence_days=decided.cadence_days.cast("int64"),
                    reasons=_reasons(decided, strategy),
                )
            )
    plan = ibis.union(*branches) if len(branches) > 1 else branches[0]
    plan = plan.left_join(last_action, ["account_id", "action"]).drop(
        "account_id_right", "action_right"
    )
    waiting = plan.last_done.notnull() & (day.delta(plan.last_done, unit="day") < plan.cadence_days)
    note = ibis.literal(" | cadence: last planned ").concat(
        plan.last_done.cast("string"),
        ibis.literal(", every "),
        plan.cadence_days.cast("string"),
        ibis.literal(" days"),
    )
    return plan.select(
        as_of=day,
        account_id=plan.account_id,
        lender_type=plan.lender_type,
        bucket=plan.bucket,
        strategy=plan.strategy,
        arm=plan.arm,
        segment=plan.segment,
        treatment=plan.treatment,
        action=plan.action,
        channel=plan.channel,
        priority=plan.priority,
        cadence_days=plan.cadence_days,
        status=ibis.ifelse(waiting, CADENCE, PLANNED),
        reasons=ibis.ifelse(waiting, plan.reasons.concat(note), plan.reasons),
    )
