"""``duecourse simulate``: strategies tried on simulated accounts, day by day.

Each day the real pipeline (facts → strategy → guard → plan) runs on in-memory tables
(``plan_day`` over ``MemoryTables``); the behaviour model draws what followed each executed
action; the outcomes are appended as store records (``sim_world.Recorder``), payments posted
through the pure ledger, and tomorrow's facts read them. Arms share common random numbers:
the same world and the same draws (keyed by seed, replication and day) under every arm, so
their difference is paired account by account.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from duecourse.adapters.messages import text
from duecourse.adapters.schema import PLANS
from duecourse.adapters.templates import load_templates
from duecourse.batch.backend import MemoryTables
from duecourse.batch.guard_requests import LENDER_ZONE, Dispatch
from duecourse.compliance.packs import Pack, load_pack
from duecourse.compliance.templates import Template
from duecourse.domain.facts import FactsConfig
from duecourse.domain.money import to_cents
from duecourse.lab.behaviour import DRAWS, BehaviourModel, DayState, day_step
from duecourse.lab.calibration import STATES
from duecourse.service.plan import plan_day, run_columns
from duecourse.service.plan_rows import DISPATCH_START, PLANNED, ArmSpec, RunSpec
from duecourse.service.progress import Progress, Silent
from duecourse.service.sim_world import (
    MemoryRecorder,
    World,
    add_months,
    generate_world,
    post_payment,
    world_tables,
)
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.experiment import Arm
from duecourse.strategy.optimiser_day import OptimiserConfig
from duecourse.strategy.pipeline import Strategy

#: Months of each account's chain the roll-rate output counts, as the calibration counts the
#: UCI file's (April to September).
OBSERVED_MONTHS = 6
FACTS = ("account_id", "contact", "broken_promises", "negotiating", "amount_overdue")
CONTACT_OUTCOME = {  # channel -> (reached, not reached)
    "sms": ("delivered", "undelivered"),
    "email": ("delivered", "undelivered"),
    "call": ("conversation", "unanswered"),
    "letter": ("delivered", "undelivered"),
    "visit": ("visited", "not_home"),
}
#: Picks the actions executed today: (guarded plan, facts, model, candidates) -> per account
#: an action or None. ``candidates`` maps each of the arm's candidate actions to the rule
#: pack's verdict for every account (``PortRun.candidates``: ``status`` planned means
#: allowed). The default executes what the plan says is planned; the optimiser plugs in
#: here (``PICKERS``).
Picker = Callable[[pa.Table, pa.Table, BehaviourModel, Mapping[str, pa.Table]], list[str | None]]


def planned_actions(
    plan: pa.Table,
    _facts: pa.Table,
    _model: BehaviourModel,
    _candidates: Mapping[str, pa.Table] | None = None,
) -> list[str | None]:
    """The plan's own choice: an action is executed when its status is ``planned``."""
    return [
        a if s == PLANNED else None
        for a, s in zip(plan["action"].to_pylist(), plan["status"].to_pylist(), strict=True)
    ]


#: Pickers usable as ``--strategy NAME``, with the candidate actions each chooses among.
PICKERS: dict[str, tuple[Picker, tuple[str, ...]]] = {}


@dataclass(frozen=True, slots=True)
class SimArm:
    """One arm: a name, the strategy the pipeline runs, how executed actions are picked, and
    the actions the rule pack checks for every account each day (for a picker that chooses
    among them; none for a strategy). With ``optimiser`` the daily run's optimiser chooses the
    actions of the strategy's optimised segments, as in ``duecourse run --strategy optimiser``."""

    name: str
    strategy: Strategy
    pick: Picker = planned_actions
    candidates: tuple[str, ...] = ()
    optimiser: OptimiserConfig | None = None


@dataclass(frozen=True, slots=True)
class SimSpec:
    """What to simulate. ``baseline`` is the strategy the behaviour model was calibrated
    under (business as usual): action lifts are relative to its actions on the same day."""

    accounts: int
    days: int
    seed: int
    first_day: date
    baseline: Strategy
    lender_type: str = "small_loan"
    replications: int = 1
    pack: Pack = field(default_factory=lambda: load_pack("cn"))


@dataclass
class ArmResult:
    """One arm in one replication; money in fen, per account where it is an array."""

    name: str
    recovered: np.ndarray
    cost: np.ndarray
    cured: int
    delinquent_at_start: int
    contacts: Counter[str]
    visits: int
    complaints: int
    blocked: Counter[str]
    over_capacity: int
    cost_by_action: Counter[str]
    curve: list[int]  # recovered so far, at the end of each day (fen)
    observations: list[list[int]]  # per account, its state at each cycle start
    instalments: np.ndarray | None = None  # per account, instalments paid in all

    def transitions(self) -> np.ndarray:
        """Monthly transition counts over each account's first ``OBSERVED_MONTHS`` states."""
        counts = np.zeros((len(STATES), len(STATES)), dtype=np.int64)
        for chain in self.observations:
            for a, b in itertools.pairwise(chain[:OBSERVED_MONTHS]):
                counts[a, b] += 1
        return counts


def _spec(
    day: date,
    strategy: Strategy,
    pack: Pack,
    name: str,
    optimiser: OptimiserConfig | None = None,
    templates: Mapping[str, Template] | None = None,
) -> RunSpec:
    """One arm's run of ``day``; with ``templates``, dispatch starts as a run's does by
    default (09:00 Beijing time) with these templates (loaded and checked once, not daily)."""
    start = datetime.combine(day, DISPATCH_START, tzinfo=ZoneInfo(LENDER_ZONE))
    dispatch = None if templates is None else Dispatch(start, templates=templates)
    arms = [ArmSpec(Arm(name, 100), {"*": strategy}, optimiser)]
    return RunSpec(day, arms, pack=pack, dispatch=dispatch)


def _plans_read(specs: Sequence[RunSpec]) -> tuple[list[str], dict[str, int] | None]:
    """The plan columns the runs of ``specs`` read, and per action the days a planned row
    can hold it back (``None``: unbounded), so the recorder keeps no more than that."""
    config = FactsConfig()
    columns = sorted({c for spec in specs for c in run_columns(spec, config)[PLANS.name]})
    horizons: dict[str, int] = {}
    for spec in specs:
        found = spec.cadence_horizons()
        if found is None:
            return columns, None
        for action, days in found.items():
            horizons[action] = max(horizons.get(action, 0), days)
    return columns, horizons


def _capped(
    actions: list[str | None], plan: pa.Table, model: BehaviourModel
) -> tuple[list[str | None], int]:
    """``actions`` within each action's daily capacity (higher priority first, then by
    account); the rest are not executed. Returns them and how many were dropped."""
    priority = plan["priority"].to_pylist()
    capacities = {a: model.effect(a).capacity for a in set(actions) if a is not None}
    by_action: dict[str, list[int]] = {}
    for i, a in enumerate(actions):
        if a is not None and capacities[a] is not None:
            by_action.setdefault(a, []).append(i)
    out, dropped = list(actions), 0
    for a, rows in by_action.items():
        capacity = capacities[a] or 0
        if len(rows) > capacity:
            for i in sorted(rows, key=lambda r: (-(priority[r] or 0), r))[capacity:]:
                out[i], dropped = None, dropped + 1
    return out, dropped


def _lift_window(
    model: BehaviourModel,
    actions: Sequence[str | None],
    d: int,
    lift: np.ndarray,
    until: np.ndarray,
) -> None:
    """Start each action's lift for its ``effect_days`` unless a stronger one runs."""
    effects = {a: model.effect(a) for a in set(actions) if a is not None}
    new = np.array([0.0 if a is None else effects[a].lift for a in actions])
    days = np.array([0 if a is None else effects[a].effect_days for a in actions], np.int64)
    starts = (days > 0) & (new > np.where(d < until, lift, 1.0))
    lift[starts], until[starts] = new[starts], d + days[starts]


def draws(seed: int, replication: int, day: int, accounts: int) -> np.ndarray:
    """The day's uniforms, ``(len(DRAWS), accounts)``: the same in every arm."""
    return np.random.default_rng([seed, replication, day]).random((len(DRAWS), accounts))


def simulate_arm(
    spec: SimSpec,
    arm: SimArm,
    model: BehaviourModel,
    replication: int = 0,
    progress: Progress | None = None,
    pipeline: bool = True,
    recorder_for: Callable[..., MemoryRecorder] = MemoryRecorder,
    compiled: bool = True,
    threads: int | None = None,
) -> ArmResult:
    """One arm over ``spec.days`` days on a fresh world of this replication.

    ``pipeline=False`` is the model alone: no plan is made, nothing is recorded or posted
    (amounts stay 0) and every account is in its baseline (relative lift 1). It tests the
    roll-rate construction at a scale the daily pipeline cannot reach yet
    (``docs/simulation.md``, "Speed"). ``compiled=False`` compiles each day's run anew
    instead of once (the benchmark's peer; the results are the same). ``threads``: the
    in-memory DuckDB's threads (its default when None; one when workers share the cores)."""
    progress = progress or Silent()
    world = generate_world(
        model, spec.accounts, spec.seed + replication, spec.first_day, spec.days, spec.lender_type
    )
    n = world.size
    tables = MemoryTables.from_arrow(world_tables(world), compiled, threads) if pipeline else None
    # The arm's plan before any optimiser step is the baseline's own when it runs the
    # baseline strategy as planned (the optimiser's reference plan, on the same facts): the
    # counterfactual needs no second run then. Only an arm that executes exactly that plan
    # has no lift relative to the baseline.
    runs_baseline = arm.strategy.name == spec.baseline.name and arm.pick is planned_actions
    is_baseline = runs_baseline and arm.optimiser is None
    templates = load_templates(pack=spec.pack.name)

    def specs_of(day: date) -> tuple[RunSpec, list[RunSpec]]:
        own = _spec(day, arm.strategy, spec.pack, arm.name, arm.optimiser, templates)
        also = (
            []
            if runs_baseline
            else [_spec(day, spec.baseline, spec.pack, "baseline", None, templates)]
        )
        return own, also

    recorder = None
    if tables is not None:
        own, also = specs_of(spec.first_day)
        recorder = recorder_for(tables, *_plans_read([own, *also]))
    result = ArmResult(
        arm.name,
        np.zeros(n, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
        0,
        int((world.missed > 0).sum()),
        Counter(),
        0,
        0,
        Counter(),
        0,
        Counter(),
        [],
        [[min(int(m), len(STATES) - 1)] for m in world.missed],
    )
    cycle = np.zeros(n, dtype=np.int64)
    covered = np.zeros(n, dtype=np.int64)
    arm_lift, arm_until = np.ones(n), np.zeros(n, dtype=np.int64)
    bau_lift, bau_until = np.ones(n), np.zeros(n, dtype=np.int64)
    placed = np.zeros(n, dtype=bool)
    recent = np.zeros((7, n), dtype=bool)
    payments = 0
    paid_total = np.zeros(n, dtype=np.int64)
    days = progress.track(range(spec.days), f"{text('simulated days')} {arm.name}", spec.days)
    for d in days:
        day = spec.first_day + timedelta(days=d)
        _new_cycles(world, day, cycle, covered, result)
        if tables is None:
            plan, facts, bau_plan = None, _no_facts(world), None
            chosen: list[str | None] = [None] * n
        else:
            run_spec, also = specs_of(day)
            run = plan_day(
                tables, run_spec, facts_columns=FACTS, also=also, candidates=arm.candidates
            )
            assert run.facts is not None
            plan, facts = run.plan, run.facts
            bau_plan = None if is_baseline else run.also[0] if run.also else run.reference
            picked = arm.pick(plan, facts, model, run.candidates)
            chosen, dropped = _capped(picked, plan, model)
            result.over_capacity += dropped
        _lift_window(model, chosen, d, arm_lift, arm_until)
        if bau_plan is None:
            bau_lift, bau_until = arm_lift, arm_until
        else:
            bau, _ = _capped(planned_actions(bau_plan, facts, model, {}), bau_plan, model)
            _lift_window(model, bau, d, bau_lift, bau_until)
        ratio = np.where(d < arm_until, arm_lift, 1.0) / np.where(d < bau_until, bau_lift, 1.0)
        contact = facts["contact"].to_pylist()
        state = DayState(
            missed=world.missed,
            cycle=cycle,
            cycle_days=world.cycle_days,
            paid=covered > 0,
            lender_type=[world.lender_type] * n,
            contact=contact,
            reachable=world.reachable,
            broken=np.asarray(facts["broken_promises"].to_numpy(zero_copy_only=False)) > 0,
            lift_ratio=ratio,
            contacts_7d=recent.sum(axis=0),
        )
        outcome = day_step(model, state, chosen, draws(spec.seed, replication, d, n))
        rows: dict[str, list[dict[str, Any]]] = {
            "payments": [],
            "contact_attempts": [],
            "promises": [],
            "flags": [],
        }
        covered += outcome.instalments
        paid_total += outcome.instalments
        for i in np.flatnonzero(outcome.paid & (recorder is not None)).tolist():
            k = int(outcome.instalments[i])
            payments += 1
            posted = post_payment(world, i, day, k, payments)
            rows["payments"].append(posted)
            amount = posted["amount_cents"]
            result.recovered[i] += amount
            if placed[i]:
                commission = int(
                    (model.agency_commission * amount).to_integral_value(ROUND_HALF_UP)
                )
                result.cost[i] += commission
                result.cost_by_action["agency_commission"] += commission
        overdue = facts["amount_overdue"].to_pylist()
        _actions_taken(world, day, d, chosen, outcome, overdue, placed, model, result, rows)
        world.reachable = (world.reachable & ~outcome.lost) | outcome.restored
        recent[d % 7] = outcome.contacted
        if recorder is not None and plan is not None:
            _count_blocks(plan, result)
            recorder.record(day, rows)
            recorder.append_plan(plan)
        result.curve.append(int(result.recovered.sum()))
    end = np.maximum(world.missed - covered, 0)
    late_at_start = np.array([chain[0] > 0 for chain in result.observations], dtype=bool)
    result.cured = int(((end == 0) & late_at_start).sum())
    result.instalments = paid_total
    return result


def _no_facts(world: World) -> pa.Table:
    """Facts of the model-only mode: everyone reachable, no promise, nothing overdue."""
    n = world.size
    return pa.table(
        {
            "account_id": world.ids,
            "contact": ["reachable"] * n,
            "broken_promises": np.zeros(n, dtype=np.int64),
            "negotiating": np.zeros(n, dtype=bool),
            "amount_overdue": [0] * n,
        }
    )


def _new_cycles(
    world: World, day: date, cycle: np.ndarray, covered: np.ndarray, result: ArmResult
) -> None:
    """Accounts whose due date passed yesterday start a new cycle: past-due instalments
    grow by one less what the cycle's payment covered; their state is observed."""
    for i in range(world.size):
        if world.next_due[i] < day:
            ended = world.next_due[i]
            world.missed[i] = world.missed[i] + 1 - covered[i]
            covered[i] = 0
            cycle[i] += 1
            world.next_due[i] = add_months(ended, 1)
            world.cycle_days[i] = (world.next_due[i] - ended).days
            result.observations[i].append(min(int(world.missed[i]), len(STATES) - 1))


def _actions_taken(
    world: World,
    day: date,
    d: int,
    chosen: Sequence[str | None],
    outcome: Any,
    overdue: Sequence[Any],
    placed: np.ndarray,
    model: BehaviourModel,
    result: ArmResult,
    rows: dict[str, list[dict[str, Any]]],
) -> None:
    """Costs, attempts, promises and flags of the executed actions."""
    at = datetime.combine(day, time(10))
    for i, a in enumerate(chosen):
        if a is None:
            continue
        effect, action = model.effect(a), ACTIONS.get(a)
        cost = to_cents(effect.cost)
        result.cost[i] += cost
        result.cost_by_action[a] += cost
        channel = action.channel if action else "none"
        loan, borrower = world.ids[i], world.borrowers[i]
        ident = f"{loan}-{d:04d}"
        if channel in CONTACT_OUTCOME:
            reached, missed = CONTACT_OUTCOME[channel]
            outcome_name = reached if outcome.contacted[i] else missed
            if channel == "call" and not world.reachable[i]:
                outcome_name = "invalid_number"
            result.contacts[a if channel == "call" else channel] += 1
            result.visits += channel == "visit"
            rows["contact_attempts"].append(
                {
                    "attempt_id": f"T{ident}",
                    "borrower_id": borrower,
                    "loan_id": loan,
                    "at": at,
                    "channel": "ai_call" if a == "ai_call" else channel,
                    "target": "debtor",
                    "number": None,
                    "outcome": outcome_name,
                    "by": "ai" if a == "ai_call" else "inhouse",
                    "agent_id": None,
                }
            )
        elif a == "skip_trace":
            rows["contact_attempts"].append(
                {
                    "attempt_id": f"T{ident}",
                    "borrower_id": borrower,
                    "loan_id": loan,
                    "at": at,
                    "channel": "call",
                    "target": "third_party",
                    "number": None,
                    "outcome": "conversation" if outcome.restored[i] else "unanswered",
                    "by": "inhouse",
                    "agent_id": None,
                }
            )
        if outcome.promised[i] and overdue[i]:
            rows["promises"].append(
                {
                    "promise_id": f"R{ident}",
                    "loan_id": loan,
                    "made_at": at,
                    "due_date": day + timedelta(days=model.promise_days),
                    "amount_cents": to_cents(overdue[i]),
                }
            )
        flag = {"agency_placement": "agency_placement", "litigation": "litigation"}.get(a)
        if flag and not (flag == "agency_placement" and placed[i]):
            placed[i] |= flag == "agency_placement"
            rows["flags"].append(
                {"loan_id": loan, "flag": flag, "start_date": day, "end_date": None, "note": "sim"}
            )
        if outcome.complained[i]:
            result.complaints += 1
            rows["flags"].append(
                {
                    "loan_id": loan,
                    "flag": "complaint",
                    "start_date": day,
                    "end_date": day + timedelta(days=30),
                    "note": "sim",
                }
            )


def _count_blocks(plan: pa.Table, result: ArmResult) -> None:
    for status, rules in zip(plan["status"].to_pylist(), plan["rules"].to_pylist(), strict=True):
        if status in ("blocked", "deferred") and rules:
            for rule in rules.split(","):
                result.blocked[rule] += 1
