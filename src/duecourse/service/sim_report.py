"""The simulation's results: arms run under common random numbers, summarised as the
``simulate --json`` document (money in yuan as strings; the same seed gives the same bytes).

Intervals: with two or more replications, a t interval over the replications' totals (the
difference: over the paired per-replication differences); with one, a normal interval from
the accounts (the difference: from the paired per-account differences).
``accounts_needed`` is the accounts per arm that detect the observed mean per-account
difference with 80 % power at 5 % (two-sided, paired): ``((1.96 + 0.8416) · sd / mean)²``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from duecourse.lab.behaviour import BehaviourModel
from duecourse.lab.calibration import EVER_LATE, STATES, Calibration
from duecourse.service.progress import Progress
from duecourse.service.sim_workers import simulate_all
from duecourse.service.simulate import OBSERVED_MONTHS, ArmResult, SimArm, SimSpec

Z95, Z80 = 1.959964, 0.841621
#: Two-sided 95 % t quantiles by degrees of freedom (1..30); normal beyond.
T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
       2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
       2.060, 2.056, 2.052, 2.048, 2.045, 2.042)  # fmt: skip


def yuan(fen: float) -> str:
    """Fen as yuan with two places (half up), as a string."""
    return str((Decimal(repr(float(fen))) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _t(df: int) -> float:
    return T95[df - 1] if 1 <= df <= len(T95) else Z95


def interval(totals: Sequence[float], per_account: np.ndarray) -> tuple[float, float]:
    """95 % interval of a total: over replications when there are two or more, else from
    the accounts of the one replication."""
    if len(totals) >= 2:
        mean, sd = float(np.mean(totals)), float(np.std(totals, ddof=1))
        half = _t(len(totals) - 1) * sd / math.sqrt(len(totals))
        return mean - half, mean + half
    n = len(per_account)
    sd = float(np.std(per_account, ddof=1)) if n > 1 else 0.0
    half = Z95 * sd * math.sqrt(n)
    return float(totals[0]) - half, float(totals[0]) + half


@dataclass(frozen=True, slots=True)
class Simulation:
    """Every arm's result in every replication (``results[arm][replication]``)."""

    spec: SimSpec
    arms: tuple[SimArm, ...]
    results: tuple[tuple[ArmResult, ...], ...]


def run_simulation(
    spec: SimSpec,
    arms: Sequence[SimArm],
    model: BehaviourModel,
    progress: Progress,
    workers: int = 1,
) -> Simulation:
    """Every arm in every replication (same world and draws per replication), over
    ``workers`` processes (``sim_workers``: the same results whatever their number)."""
    results = simulate_all(spec, arms, model, progress, workers)
    return Simulation(spec, tuple(arms), tuple(tuple(r) for r in results))


def _net(r: ArmResult) -> np.ndarray:
    return np.asarray(r.recovered - r.cost, dtype=np.float64)


def arm_json(results: Sequence[ArmResult]) -> dict[str, Any]:
    """One arm's summary: means over replications."""
    reps = len(results)
    nets = [float(_net(r).sum()) for r in results]
    lo, hi = interval(nets, _net(results[0]))
    contacts: Counter[str] = sum((r.contacts for r in results), Counter())
    blocked: Counter[str] = sum((r.blocked for r in results), Counter())
    costs: Counter[str] = sum((r.cost_by_action for r in results), Counter())
    late = sum(r.delinquent_at_start for r in results)
    return {
        "name": results[0].name,
        "recovered": yuan(sum(float(r.recovered.sum()) for r in results) / reps),
        "cost": yuan(sum(float(r.cost.sum()) for r in results) / reps),
        "net": yuan(sum(nets) / reps),
        "net_ci95": [yuan(lo), yuan(hi)],
        "cure_rate": round(sum(r.cured for r in results) / late, 6) if late else None,
        "contacts": {k: round(v / reps, 3) for k, v in sorted(contacts.items())},
        "visits": round(sum(r.visits for r in results) / reps, 3),
        "complaints": round(sum(r.complaints for r in results) / reps, 3),
        "blocked": {k: round(v / reps, 3) for k, v in sorted(blocked.items())},
        "over_capacity": round(sum(r.over_capacity for r in results) / reps, 3),
        "cost_by_action": {k: yuan(v / reps) for k, v in sorted(costs.items())},
    }


def difference_json(first: Sequence[ArmResult], second: Sequence[ArmResult]) -> dict[str, Any]:
    """Net of the first arm less net of the second, paired by replication and account."""
    per_rep = [float(_net(a).sum() - _net(b).sum()) for a, b in zip(first, second, strict=True)]
    paired = _net(first[0]) - _net(second[0])
    lo, hi = interval(per_rep, paired)
    mean, sd = float(paired.mean()), float(paired.std(ddof=1)) if len(paired) > 1 else 0.0
    needed = math.ceil(((Z95 + Z80) * sd / mean) ** 2) if mean and sd else None
    return {
        "of": f"{first[0].name} - {second[0].name}",
        "net": yuan(sum(per_rep) / len(per_rep)),
        "ci95": [yuan(lo), yuan(hi)],
        "significant": bool(lo > 0 or hi < 0),
        "accounts_needed": needed,
    }


def roll_json(results: Sequence[ArmResult]) -> dict[str, Any]:
    """The first replication's simulated monthly transitions and ever-late shares (each
    account's first six observed months, as the calibration counts them)."""
    r = results[0]
    counts = r.transitions()
    n = counts.sum(axis=1)
    worst = [max(chain[:OBSERVED_MONTHS]) for chain in r.observations]
    return {
        "states": list(STATES),
        "counts": counts.tolist(),
        "n": n.tolist(),
        "matrix": [
            [round(float(c) / float(t), 6) if t else 0.0 for c in row]
            for row, t in zip(counts, n, strict=True)
        ],
        "ever_late": {
            k: round(sum(w >= f for w in worst) / len(worst), 6) for k, f in EVER_LATE.items()
        },
    }


#: The reproduction target: each simulated probability and ever-late share within this of the
#: calibration, over the rows with at least ``MIN_ROW`` simulated transitions (issue 16).
TOLERANCE, MIN_ROW = 0.02, 1_000


def reproduction_json(fitted: Calibration, roll: dict[str, Any]) -> dict[str, Any]:
    """How a simulation's ``roll`` (``roll_json``) reproduces the calibration it was run from:
    per state the largest gap of its row (checked where it has ``MIN_ROW`` transitions), per
    ever-late share the gap, and whether every checked gap is within ``TOLERANCE``."""
    rows = []
    for state, simulated, observed, n in zip(
        STATES, roll["matrix"], fitted.matrix, roll["n"], strict=True
    ):
        gap = max(abs(s - o) for s, o in zip(simulated, observed, strict=True))
        checked = n >= MIN_ROW
        rows.append(
            {
                "state": state,
                "n": n,
                "max_gap": round(gap, 6),
                "checked": checked,
                "within": gap <= TOLERANCE if checked else None,
            }
        )
    late = {
        key: {
            "simulated": roll["ever_late"][key],
            "calibrated": round(fitted.ever_late[key], 6),
            "gap": round(abs(roll["ever_late"][key] - fitted.ever_late[key]), 6),
        }
        for key in EVER_LATE
    }
    within = all(r["within"] for r in rows if r["checked"]) and all(
        v["gap"] <= TOLERANCE for v in late.values()
    )
    return {"tolerance": TOLERANCE, "rows": rows, "ever_late": late, "within": within}


def simulation_json(sim: Simulation) -> dict[str, Any]:
    """The ``simulate --json`` document."""
    out: dict[str, Any] = {
        "seed": sim.spec.seed,
        "replications": sim.spec.replications,
        "accounts": sim.spec.accounts,
        "days": sim.spec.days,
        "first_day": sim.spec.first_day.isoformat(),
        "arms": [arm_json(results) for results in sim.results],
    }
    if len(sim.results) > 1:
        out["difference"] = difference_json(sim.results[0], sim.results[1])
    out["roll"] = {arm.name: roll_json(res) for arm, res in zip(sim.arms, sim.results, strict=True)}
    return out
