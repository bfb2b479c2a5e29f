"""``duecourse run``: facts → strategy (per lender type and arm) → cadence → the day's plan.

The plan is written to the store (a rerun of the same day replaces that day; a what-if run
writes nothing) and, on request, to Parquet. Every row carries its reasons: the facts the
strategy read and each table's row. A day's plan reads only the stored plans of the days
before it inside two windows: the catch-up window (``RunSpec.catch_up_days``) and each
action's cadence horizon (``cadence_horizons``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from sqlalchemy import Engine, delete

from duecourse.adapters.schema import PLANS
from duecourse.adapters.store import upsert_columns
from duecourse.batch.backend import FACT_SOURCES, StoreTables
from duecourse.batch.columns import placeholders, wanted_columns
from duecourse.batch.compiled import CompiledBackend
from duecourse.batch.facts import instalment_state, unordered_facts
from duecourse.batch.guard_requests import (
    guard_history,
    guard_requests,
)
from duecourse.batch.sqlite_copy import scanner_path
from duecourse.batch.sqlite_write import replace_rows
from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch import lookback
from duecourse.compliance.packs import contact_thresholds
from duecourse.domain.facts import FactsConfig
from duecourse.domain.model import LenderType
from duecourse.errors import BadData
from duecourse.service.facts import write_facts
from duecourse.service.guard import batch_rules, guard_table
from duecourse.service.optimised import optimise_step
from duecourse.service.plan_rows import CADENCE as CADENCE
from duecourse.service.plan_rows import PLANNED as PLANNED
from duecourse.service.plan_rows import ArmSpec as ArmSpec
from duecourse.service.plan_rows import RunSpec as RunSpec
from duecourse.service.plan_rows import plan_expr
from duecourse.service.stored_runs import StoredRuns, stored_runs
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.optimiser import Assignment

PLAN_COLUMNS = [c.name for c in PLANS.columns]
BLOCKED, DEFERRED, REVIEW = "blocked", "deferred", "review"


@dataclass(frozen=True, slots=True)
class DayRun:
    """A run's plan (guarded, by account), the stored runs it looked at, and whether it was
    written to the store."""

    plan: pa.Table
    runs: StoredRuns
    stored: bool
    optimised: Mapping[str, Assignment] = field(default_factory=dict)


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


@dataclass(frozen=True, slots=True)
class PortRun:
    """A run over the tables port: the guarded plan (by account), the facts' ``facts_columns``
    (by account; ``None`` when none were asked for), the guarded plans of the ``also``
    specs on the same facts, the stored runs the plan looked at, and per candidate action
    the rule pack's verdict had every account been planned it (``account_id``, ``status``:
    planned, blocked, deferred or review; ``rules``), by account. ``reference``: the guarded
    plan before any optimiser step (the arms' own strategies; ``plan`` when no arm is
    optimised)."""

    plan: pa.Table
    facts: pa.Table | None
    also: tuple[pa.Table, ...]
    runs: StoredRuns
    candidates: Mapping[str, pa.Table] = field(default_factory=dict)
    optimised: Mapping[str, Assignment] = field(default_factory=dict)
    reference: pa.Table | None = None


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
    # A compiling backend holds the day in a variable: every day builds the same expressions.
    scope = backend.day(spec.as_of) if isinstance(backend, CompiledBackend) else nullcontext()
    with scope:
        return _port_run(backend, tables, spec, config, facts_columns, also, candidates)


def _port_run(
    backend: Any,
    tables: Mapping[str, ir.Table],
    spec: RunSpec,
    config: FactsConfig,
    facts_columns: Sequence[str],
    also: Sequence[RunSpec],
    candidates: Sequence[str],
) -> PortRun:
    if backend.to_pyarrow(tables["loans"].count()).as_py() == 0:
        raise BadData(
            "库中没有任何贷款，请先导入（duecourse import）",
            "the store holds no loans; import a portfolio first (duecourse import)",
        )
    steps = Executed(backend)
    graph = run_graph(tables, spec, config, steps)
    plan: pa.Table = backend.to_pyarrow(guarded(backend, graph, spec))
    reference = plan
    optimised: dict[str, Assignment] = {}
    for arm in spec.arms:
        if arm.optimiser is not None:
            plan, result = optimise_step(
                backend, plan, graph.facts, tables, spec, arm, graph.runs.catch_up, graph.history
            )
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
    return PortRun(plan, facts, tuple(others), graph.runs, checked, optimised, reference)


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
