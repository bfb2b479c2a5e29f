"""The optimiser's gain three ways (``simulate --vs optimiser --gain-three-ways``), so that
nobody mistakes a simulator artefact for a real gain:

- **true**: the optimiser values actions with the simulator's own parameters;
- **estimated**: with parameters counted from the baseline arm's simulated history (what a
  lender could estimate from its own records);
- **halved**: the world's action effects are halved while the optimiser still believes the
  full ones.

Each is the paired net difference optimiser − baseline under common random numbers
(``sim_report.difference_json``). The values plug into the optimiser through the
``ActionValues`` port (``strategy/action_values.py``) with one form for both parameter sets::

    gain = amount_overdue × cycle_pay × (lift − 1) × min(1, effect_days / 30)

``cycle_pay`` is the chance of a payment in a cycle without the action (per contact status
when true, pooled when estimated), ``lift`` the action's payment-hazard multiplier and
``effect_days`` how long it lasts. Cost is the action catalogue's, plus the agency commission
on the gain for a placement; a complaint is ``rpc × complaint`` (true) or the complaints per
action counted (estimated).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from duecourse.batch.backend import MemoryTables
from duecourse.lab.behaviour import CONTACT_STATUSES, BehaviourModel, odds, pay_chance
from duecourse.service.plan_rows import PLANNED
from duecourse.service.progress import Progress
from duecourse.service.sim_report import difference_json
from duecourse.service.sim_world import MemoryRecorder
from duecourse.service.simulate import ArmResult, SimArm, SimSpec, simulate_arm
from duecourse.strategy.action_values import Valuation

#: Days after an action in which a payment counts as following it (estimated check).
WINDOW = 7
#: Fewer executions than this: the action's lift is not estimated (taken as 1, no value).
MIN_EXECUTIONS = 30
CYCLE_DAYS = 30


@dataclass(frozen=True, slots=True)
class ModelValues:
    """An ``ActionValues`` over behaviour parameters (the module's formula). Per action:
    ``lift``, ``effect_days``, ``complaint`` (per contact status), ``cost_fen``; per contact
    status ``cycle_pay``; ``commission``: the agency's share of what it collects."""

    lift: Mapping[str, float]
    effect_days: Mapping[str, int]
    complaint: Mapping[str, Mapping[str, float]]
    cost_fen: Mapping[str, float]
    cycle_pay: Mapping[str, float]
    commission: float

    def __call__(
        self, facts: Mapping[str, NDArray[Any]], account: NDArray[np.int64], action: Sequence[str]
    ) -> Valuation:
        names = np.asarray(action, dtype=object)
        overdue = np.asarray(facts["amount_overdue"], dtype=np.float64)[account] * 100
        status = np.asarray(facts["contact"], dtype=object)[account]
        pay = np.array([self.cycle_pay.get(str(s), 0.0) for s in status])
        gain, cost, complaint = (np.zeros(len(account)) for _ in range(3))
        for name in np.unique(names) if len(names) else ():
            a = str(name)
            rows = names == name
            share = min(1.0, self.effect_days.get(a, 0) / CYCLE_DAYS)
            gain[rows] = overdue[rows] * pay[rows] * (self.lift.get(a, 1.0) - 1) * share
            commission = self.commission if a == "agency_placement" else 0.0
            cost[rows] = self.cost_fen.get(a, 0.0) + commission * gain[rows]
            by_status = self.complaint.get(a, {})
            complaint[rows] = [by_status.get(str(s), 0.0) for s in status[rows]]
        return Valuation(gain, cost, complaint)


def true_values(model: BehaviourModel) -> ModelValues:
    """The simulator's own parameters."""
    base = float(pay_chance(model, np.array([1]), np.array([0]))[0])
    pay = {
        s: float(odds(np.array([base]), np.array([model.contact_odds.get(s, 1.0)]))[0])
        for s in CONTACT_STATUSES
    }
    effects = model.actions
    return ModelValues(
        lift={a: e.lift for a, e in effects.items()},
        effect_days={a: e.effect_days for a, e in effects.items()},
        complaint={
            a: {s: e.rpc[s] * e.complaint for s in CONTACT_STATUSES} for a, e in effects.items()
        },
        cost_fen={a: float(e.cost * 100) for a, e in effects.items()},
        cycle_pay=pay,
        commission=float(model.agency_commission),
    )


def halved(model: BehaviourModel) -> BehaviourModel:
    """The model with every action's effect halved: its lift half as far from 1, and half
    the chance it restores contact."""
    actions = {
        a: dataclasses.replace(
            e, lift=1 + (e.lift - 1) / 2, restores_contact=e.restores_contact / 2
        )
        for a, e in model.actions.items()
    }
    return dataclasses.replace(model, actions=actions)


@dataclass(frozen=True, slots=True)
class History:
    """What the estimated check counts: per account the days it paid; each day's plan row as
    (account, day, segment, action), ``hold`` when not planned; the (account, day) pairs
    with a complaint."""

    paid: dict[str, set[date]] = field(default_factory=lambda: defaultdict(set))
    done: list[tuple[str, date, str, str]] = field(default_factory=list)
    complained: set[tuple[str, date]] = field(default_factory=set)


class CountingRecorder(MemoryRecorder):
    """A recorder that also keeps the :class:`History` of what it records."""

    def __init__(
        self,
        tables: MemoryTables,
        plan_columns: Sequence[str] | None = None,
        horizons: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(tables, plan_columns, horizons)
        self.history = History()
        self.day: date | None = None

    def record(self, day: date, rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
        super().record(day, rows)
        self.day = day
        for p in rows.get("payments", ()):
            self.history.paid[str(p["loan_id"])].add(day)
        for f in rows.get("flags", ()):
            if f["flag"] == "complaint":
                self.history.complained.add((str(f["loan_id"]), day))

    def append_plan(self, plan: pa.Table) -> None:
        super().append_plan(plan)
        assert self.day is not None
        for account, segment, action, status in zip(
            plan["account_id"].to_pylist(),
            plan["segment"].to_pylist(),
            plan["action"].to_pylist(),
            plan["status"].to_pylist(),
            strict=True,
        ):
            done = action if status == PLANNED else "hold"
            self.history.done.append((str(account), self.day, str(segment), done))


def estimated_values(history: History, model: BehaviourModel) -> ModelValues:
    """Parameters counted from a simulated history, per segment of the baseline strategy:
    an action's lift is the share of its executions followed by a payment within ``WINDOW``
    days over the same share after ``hold`` in the same segment, averaged over segments by
    executions (segments with fewer than ``MIN_EXECUTIONS`` of either are left out; an
    action with none left keeps lift 1: no value); complaints per execution; the cycle
    payment chance from ``hold``, pooled. Costs are the catalogue's (known, not estimated)."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for account, day, segment, action in history.done:
        days = history.paid.get(account, ())
        row = counts[segment, action]
        row[0] += 1
        row[1] += any(0 <= (d - day).days < WINDOW for d in days)
        row[2] += (account, day) in history.complained
    lifted: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # Σ n·lift, Σ n
    done: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # executions, complaints
    for (segment, action), (n, paid, complaints) in counts.items():
        done[action][0] += n
        done[action][1] += complaints
        hold = counts.get((segment, "hold"), [0, 0, 0])
        if n >= MIN_EXECUTIONS and hold[0] >= MIN_EXECUTIONS and hold[1] > 0:
            lifted[action][0] += n * (paid / n) / (hold[1] / hold[0])
            lifted[action][1] += n
    lift = {a: lifted[a][0] / lifted[a][1] if lifted[a][1] else 1.0 for a in done}
    held = [c for (_, a), c in counts.items() if a == "hold"]
    base = sum(c[1] for c in held) / max(1, sum(c[0] for c in held))
    return ModelValues(
        lift=lift,
        effect_days=dict.fromkeys(lift, WINDOW),
        complaint={a: dict.fromkeys(CONTACT_STATUSES, c / n) for a, (n, c) in done.items()},
        cost_fen={a: float(e.cost * 100) for a, e in model.actions.items()},
        cycle_pay=dict.fromkeys(CONTACT_STATUSES, 1 - (1 - base) ** (CYCLE_DAYS / WINDOW)),
        commission=float(model.agency_commission),
    )


def _valued(arm: SimArm, values: ModelValues) -> SimArm:
    assert arm.optimiser is not None
    config = dataclasses.replace(arm.optimiser, estimator=values)
    return dataclasses.replace(arm, optimiser=config)


def _runs(
    spec: SimSpec, arm: SimArm, model: BehaviourModel, progress: Progress
) -> tuple[ArmResult, ...]:
    return tuple(simulate_arm(spec, arm, model, r, progress) for r in range(spec.replications))


def gain_checks(
    spec: SimSpec,
    baseline: SimArm,
    optimiser: SimArm,
    model: BehaviourModel,
    progress: Progress,
) -> list[dict[str, Any]]:
    """The three checks as the report's ``gain_checks`` rows: each the paired difference
    optimiser − baseline (``difference_json``) with what the optimiser believed."""
    histories: list[CountingRecorder] = []

    def counting(tables: MemoryTables, *kept: Any) -> MemoryRecorder:
        histories.append(CountingRecorder(tables, *kept))
        return histories[-1]

    base = simulate_arm(spec, baseline, model, 0, progress, recorder_for=counting)
    base_runs = (
        base,
        *(simulate_arm(spec, baseline, model, r, progress) for r in range(1, spec.replications)),
    )
    truth = true_values(model)
    estimate = estimated_values(histories[0].history, model)
    weaker = halved(model)
    rows = []
    for check, values, world in (
        ("true", truth, model),
        ("estimated", estimate, model),
        ("halved", truth, weaker),
    ):
        arm = _valued(optimiser, values)
        opt = _runs(spec, arm, world, progress)
        against = base_runs if world is model else _runs(spec, baseline, world, progress)
        rows.append(
            {
                "check": check,
                "optimiser_believes": "simulator parameters"
                if values is truth
                else "estimated from the baseline arm's history",
                "world": "action effects halved" if world is weaker else "as modelled",
                "lift": {a: round(v, 4) for a, v in sorted(values.lift.items())},
                "difference": difference_json(opt, against),
            }
        )
    return rows
