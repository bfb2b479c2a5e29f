"""``duecourse run``: facts → strategy (per lender type and arm) → cadence → the day's plan.

The plan is written to the store (a rerun of the same day replaces that day; a what-if run
writes nothing) and, on request, to Parquet. Every row carries its reasons: the facts the
strategy read and each table's row. A day's plan reads only the stored plans of the days
before it inside two windows: the catch-up window (``RunSpec.catch_up_days``) and each
action's cadence horizon (``cadence_horizons``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from sqlalchemy import Engine, delete

from duecourse.adapters.schema import PLANS
from duecourse.adapters.store import upsert_columns
from duecourse.adapters.templates import load_templates
from duecourse.batch.backend import FACT_SOURCES, StoreTables
from duecourse.batch.columns import placeholders, wanted_columns
from duecourse.batch.facts import instalment_state, unordered_facts
from duecourse.batch.guard_requests import (
    LENDER_ZONE,
    Dispatch,
    guard_history,
    guard_requests,
)
from duecourse.batch.sqlite_copy import scanner_path
from duecourse.batch.sqlite_write import replace_rows
from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import lookback
from duecourse.compliance.packs import Pack, contact_thresholds, load_pack
from duecourse.domain.facts import FactsConfig
from duecourse.domain.model import LenderType
from duecourse.errors import BadData
from duecourse.service.facts import write_facts
from duecourse.service.guard import batch_rules, guard_table
from duecourse.service.optimised import allowed_rows, candidate_rows, optimise_arm
from duecourse.service.stored_runs import StoredRuns, stored_runs
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.experiment import Arm, arm_expr, check_arms
from duecourse.strategy.optimiser import Assignment
from duecourse.strategy.optimiser_day import OptimiserConfig
from duecourse.strategy.pipeline import (
    CATCH_UP_DAYS,
    Strategy,
    cadence_horizons,
    compile_strategy,
)

PLAN_COLUMNS = [c.name for c in PLANS.columns]
PLANNED, CADENCE = "planned", "cadence"
BLOCKED, DEFERRED, REVIEW = "blocked", "deferred", "review"
#: When dispatch starts on the plan's day, in the lender's zone, unless the run says otherwise.
DISPATCH_START = time(9)


@dataclass(frozen=True, slots=True)
class DayRun:
    """A run's plan (guarded, by account), the stored runs it looked at, and whether it was
    written to the store."""

    plan: pa.Table
    runs: StoredRuns
    stored: bool
    optimised: Mapping[str, Assignment] = field(default_factory=dict)


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


def _history(
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
    today = ibis.literal(day, type="date")
    # Only the columns read here: a projection passes every column it keeps on, and a run
    # copies from the store each column its expressions mention (not the plans' reasons).
    past = plans.filter(plans.as_of < today).select(
        "account_id", "as_of", "bucket", "action", "status"
    )
    last_bucket = past.filter(past.as_of == ibis.literal(previous or day, type="date")).select(
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
            & (planned.as_of > ibis.literal(day - timedelta(days=days), type="date"))
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
    day = ibis.literal(spec.as_of, type="date")
    last_bucket, last_action = _history(plans, spec.as_of, previous, spec.cadence_horizons())
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
            decided = compile_strategy(strategy, subset)
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


class TablesPort(Protocol):
    """Where a run's tables come from: the backend its expressions run on, and the tables.

    Two adapters: the store (``batch.backend.StoreTables``, today's daily run) and tables
    held in memory (``batch.backend.MemoryTables``, DuckDB over Arrow tables, used by the
    simulator). ``wanted`` names, per table, the columns the run reads (``run_columns``); an
    adapter may read only those.
    """

    def open(
        self, wanted: Callable[[], Mapping[str, Sequence[str]]]
    ) -> tuple[Any, Mapping[str, ir.Table]]:
        """The backend and, per table name of ``wanted()``, its ibis table there (an
        adapter that holds every column already need not call it: tracing takes time)."""
        ...


@dataclass(frozen=True, slots=True)
class RunGraph:
    """A run's expressions: the facts, the plan before the rule pack, the contact requests
    the plan makes and the contact history the pack looks back on; and the stored runs the
    plan looked at."""

    facts: ir.Table
    plan: ir.Table
    requests: ir.Table
    history: ir.Table
    runs: StoredRuns


class RunSteps(Protocol):
    """How :func:`run_graph` builds a run: executed on a backend (each step kept in a
    temporary table, the lender types and stored runs queried) or traced on placeholders."""

    def keep(self, name: str, expr: ir.Table) -> ir.Table: ...

    def lender_types(self, facts: ir.Table, spec: RunSpec) -> list[str]: ...

    def stored(self, plans: ir.Table, spec: RunSpec) -> StoredRuns: ...

    def release(self, name: str) -> None:
        """A kept step no later step reads: its table may go."""
        ...


class Traced:
    """Steps for tracing: nothing kept or queried; every lender type, no stored run."""

    def keep(self, name: str, expr: ir.Table) -> ir.Table:
        return expr

    def lender_types(self, facts: ir.Table, spec: RunSpec) -> list[str]:
        return [kind.value for kind in LenderType]

    def stored(self, plans: ir.Table, spec: RunSpec) -> StoredRuns:
        return StoredRuns(None, None, False)

    def release(self, name: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Executed:
    """Steps for a run on ``backend``: each step in a temporary table of that name."""

    backend: Any

    def keep(self, name: str, expr: ir.Table) -> ir.Table:
        kept: ir.Table = self.backend.create_table(name, expr, temp=True, overwrite=True)
        return kept

    def lender_types(self, facts: ir.Table, spec: RunSpec) -> list[str]:
        found = self.backend.to_pyarrow(facts.select("lender_type").distinct())
        # No account that day (a day before every loan): the branches still give the plan's
        # columns, with no rows.
        return sorted(found["lender_type"].to_pylist()) or spec.lender_types()[:1]

    def stored(self, plans: ir.Table, spec: RunSpec) -> StoredRuns:
        return stored_runs(self.backend, plans, spec.as_of, spec.catch_up_days)

    def release(self, name: str) -> None:
        self.backend.drop_table(name, force=True)


def run_graph(
    tables: Mapping[str, ir.Table], spec: RunSpec, config: FactsConfig, steps: RunSteps
) -> RunGraph:
    """The run of ``spec`` over ``tables`` (the fact sources and ``plans``): the one
    definition both the execution (``Executed``) and the column tracing (``Traced``,
    :func:`run_columns`) build."""
    # The money facts and the prior overdues both read the instalment state: kept once (inside
    # one expression DuckDB computed it twice, a third of the facts' time at 1,000,000).
    scratch = "facts_today_instalment_state"
    state = steps.keep(scratch, instalment_state(tables, spec.as_of))
    facts = steps.keep("facts_today", unordered_facts(tables, spec.as_of, config, state))
    steps.release(scratch)
    plan, runs = _plan_step(facts, tables[PLANS.name], spec, config, steps)
    requests, history = _guard_inputs(plan, facts, tables, spec)
    return RunGraph(facts, plan, requests, history, runs)


def _plan_step(
    facts: ir.Table, plans: ir.Table, spec: RunSpec, config: FactsConfig, steps: RunSteps
) -> tuple[ir.Table, StoredRuns]:
    # Kept in a table: every lender type's branch of the plan reads it (hashed once, not per
    # branch).
    arms = steps.keep("arms_today", spec.arms_of(facts))
    runs = steps.stored(plans, spec)
    lender_types = steps.lender_types(facts, spec)
    expr = plan_expr(facts, plans, arms, spec, lender_types, config, runs.catch_up)
    return steps.keep("plan_today", expr), runs


def daily_run(
    engine: Engine, url: str, spec: RunSpec, config: FactsConfig | None = None
) -> pa.Table:
    """Compute the day's plan, write it to the store (replacing that day) and return it."""
    return run_day(engine, url, spec, config).plan


def run_day(
    engine: Engine,
    url: str,
    spec: RunSpec,
    config: FactsConfig | None = None,
    what_if: bool = False,
) -> DayRun:
    """Compute the day's plan on the store and, unless ``what_if``, write it there
    (replacing that day). A what-if run reads the store as a real run does and writes
    nothing to it."""
    run = plan_day(StoreTables(url), spec, config)
    if not what_if:
        _store_plan(engine, spec.as_of, run.plan)
    return DayRun(run.plan, run.runs, stored=not what_if, optimised=run.optimised)


def _optimise(
    backend: Any,
    plan: pa.Table,
    facts: ir.Table,
    tables: Mapping[str, ir.Table],
    spec: RunSpec,
    arm: ArmSpec,
    runs: StoredRuns,
) -> tuple[pa.Table, Assignment | None]:
    """The optimiser's actions for ``arm``'s accounts in its segments (``service/optimised``)."""
    assert arm.optimiser is not None
    _, last_action = _history(tables["plans"], spec.as_of, runs.catch_up, spec.cadence_horizons())
    reference = backend.create_table("plan_guarded", ibis.memtable(plan), temp=True, overwrite=True)
    pairs = candidate_rows(reference, last_action, arm.arm.name, arm.optimiser, spec.as_of)
    pairs = backend.create_table("optimiser_pairs", pairs, temp=True, overwrite=True)
    requests_history = _guard_inputs(reference, facts, tables, spec)[1]
    allowed = allowed_rows(
        backend, pairs, facts, tables, spec.dispatch_plan(), requests_history, spec.pack
    )
    return optimise_arm(plan, allowed, facts, arm.arm.name, arm.optimiser, backend.to_pyarrow)


@dataclass(frozen=True, slots=True)
class PortRun:
    """A run over the tables port: the guarded plan (by account), the facts' ``facts_columns``
    (by account; ``None`` when none were asked for), the guarded plans of the ``also``
    specs on the same facts, the stored runs the plan looked at, and per candidate action
    the rule pack's verdict had every account been planned it (``account_id``, ``status``:
    planned, blocked, deferred or review; ``rules``), by account."""

    plan: pa.Table
    facts: pa.Table | None
    also: tuple[pa.Table, ...]
    runs: StoredRuns
    candidates: Mapping[str, pa.Table] = field(default_factory=dict)
    optimised: Mapping[str, Assignment] = field(default_factory=dict)


def plan_day(
    port: TablesPort,
    spec: RunSpec,
    config: FactsConfig | None = None,
    facts_columns: Sequence[str] = (),
    also: Sequence[RunSpec] = (),
    candidates: Sequence[str] = (),
) -> PortRun:
    """The day's guarded plan over the tables of ``port``; nothing is written anywhere.

    ``also``: other specs for the same day planned on the same facts (the simulator's
    counterfactual baseline). ``candidates``: actions the rule pack checks for every account
    (what an optimiser may choose from; one guard run each). A source with no loan at all is
    refused (import first); a day before every loan gives an empty plan."""
    config = config or FactsConfig(contact=contact_thresholds(spec.pack))
    backend, tables = port.open(lambda: run_columns(spec, config))
    if backend.to_pyarrow(tables["loans"].count()).as_py() == 0:
        raise BadData(
            "库中没有任何贷款，请先导入（duecourse import）",
            "the store holds no loans; import a portfolio first (duecourse import)",
        )
    steps = Executed(backend)
    graph = run_graph(tables, spec, config, steps)
    plan: pa.Table = backend.to_pyarrow(guarded(backend, graph, spec))
    optimised: dict[str, Assignment] = {}
    for arm in spec.arms:
        if arm.optimiser is not None:
            plan, result = _optimise(backend, plan, graph.facts, tables, spec, arm, graph.runs)
            if result is not None:
                optimised[arm.arm.name] = result
    facts = (
        backend.to_pyarrow(graph.facts.select(*facts_columns).order_by("account_id"))
        if facts_columns
        else None
    )
    others = []
    for other in also:
        planned, runs = _plan_step(graph.facts, tables[PLANS.name], other, config, steps)
        requests, history = _guard_inputs(planned, graph.facts, tables, other)
        graph_other = RunGraph(graph.facts, planned, requests, history, runs)
        others.append(backend.to_pyarrow(guarded(backend, graph_other, other)))
    checked = {}
    for number, action in enumerate(candidates):
        chosen = ACTIONS[action]
        every = steps.keep(
            f"candidate_{number}",
            graph.plan.mutate(
                action=ibis.literal(action),
                channel=ibis.literal(chosen.channel),
                status=ibis.literal(PLANNED),
            ),
        )
        requests, history = _guard_inputs(every, graph.facts, tables, spec)
        graph_every = RunGraph(graph.facts, every, requests, history, graph.runs)
        verdicts = guarded(backend, graph_every, spec).select("account_id", "status", "rules")
        checked[action] = backend.to_pyarrow(verdicts)
    return PortRun(plan, facts, tuple(others), graph.runs, checked, optimised)


def plan_table(
    backend: Any, facts: ir.Table, plans: ir.Table, spec: RunSpec, config: FactsConfig
) -> tuple[ir.Table, StoredRuns]:
    """The plan of the day's ``facts`` before the rule pack, in a temporary table of
    ``backend``, and the stored runs it looked at (the plan step of :func:`run_graph`)."""
    return _plan_step(facts, plans, spec, config, Executed(backend))


def guarded(backend: Any, graph: RunGraph, spec: RunSpec) -> ir.Table:
    """The plan after the rule pack: blocked, deferred and review rows keep their action and
    say which rules stopped them; ``next_allowed_at`` (UTC) is when a deferred one may go."""
    plan = graph.plan
    checked = guard_table(backend, graph.requests, graph.history, spec.pack)
    p = plan.left_join(checked, plan.account_id == checked.request_id)
    verdict = p.verdict.fill_null("allow")
    status = ibis.cases(
        ((verdict == "block") & p.next_allowed_at.notnull(), DEFERRED),
        (verdict == "block", BLOCKED),
        (verdict == "review", REVIEW),
        else_=p.status,
    )
    rules = p.rules.fill_null("")
    said = p.reasons_right.fill_null("").re_replace(r"\n$", "").replace("\n", "; ")
    reasons = ibis.ifelse(rules != "", p.reasons.concat(" | 合规 guard: ", said), p.reasons)
    guard = {
        "status": status,
        "reasons": reasons,
        "rules": rules,
        "next_allowed_at": bc.local(p.next_allowed_at, "UTC"),
    }
    return p.select(**{c: guard.get(c, p[c]) for c in PLAN_COLUMNS}).order_by("account_id")


def guard_plan(
    backend: Any, plan: ir.Table, facts: ir.Table, tables: Mapping[str, ir.Table], spec: RunSpec
) -> ir.Table:
    """Any ``plan`` (with the plan's columns) after the rule pack, as :func:`guarded` guards
    the run's own: its requests and the history the pack looks back on are built here."""
    requests, history = _guard_inputs(plan, facts, tables, spec)
    runs = StoredRuns(None, None, False)  # not read by the guard
    return guarded(backend, RunGraph(facts, plan, requests, history, runs), spec)


def _guard_inputs(
    plan: ir.Table, facts: ir.Table, tables: Mapping[str, ir.Table], spec: RunSpec
) -> tuple[ir.Table, ir.Table]:
    """The contact requests the plan makes, and the contact history the pack looks back on."""
    dispatch = spec.dispatch_plan()
    days = lookback(batch_rules(spec.pack))
    history = guard_history(tables, dispatch, None if days is None else timedelta(days=days))
    return guard_requests(plan, facts, tables, dispatch), history


def run_columns(spec: RunSpec, config: FactsConfig) -> dict[str, list[str]]:
    """The store columns a run of ``spec`` reads: :func:`run_graph` traced on placeholders
    for every lender type, so that a run copies only those."""
    names = (*FACT_SOURCES, PLANS.name)
    graph = run_graph(placeholders(names), spec, config, Traced())
    return wanted_columns([graph.facts, graph.plan, graph.requests, graph.history], names)


def _store_plan(engine: Engine, as_of: date, plan: pa.Table, chunk: int = 100_000) -> None:
    """Replace the day's plan in one transaction.

    On a SQLite file DuckDB's SQLite writer does it in a child process (``sqlite_write``);
    elsewhere, or without that extension, SQLAlchemy does, converting a chunk at a time.
    """
    database = engine.url.database
    on_file = engine.dialect.name == "sqlite" and database and Path(database).is_file()
    if on_file and scanner_path() is not None:
        replace_rows(Path(str(database)), PLANS, plan, ("as_of", as_of))
        return
    with engine.begin() as connection:
        connection.execute(delete(PLANS).where(PLANS.c.as_of == as_of))
        for start in range(0, plan.num_rows, chunk):
            upsert_columns(connection, PLANS, plan.slice(start, chunk).to_pydict())


def write_plan(plan: pa.Table, path: Path) -> None:
    """Write the plan to Parquet (aside, then renamed)."""
    write_facts(plan, path)
