"""The simulator's compiled run (``batch/compiled.py``, the day as a DuckDB variable) plans,
blocks and records exactly what a run compiled anew every day does, while compiling each
expression once: the later days re-execute the first days' SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
import pytest

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.strategy_files import reference_strategy
from duecourse.batch.backend import MemoryTables
from duecourse.batch.compiled import CompiledBackend
from duecourse.domain.model import LenderType
from duecourse.service.sim_world import MemoryRecorder
from duecourse.service.simulate import SimArm, SimSpec, simulate_arm


class Keeping(MemoryRecorder):
    """Records as the simulator does; keeps the rows, the plans and the backend's counts."""

    def __init__(self, tables: MemoryTables, *args: Any) -> None:
        super().__init__(tables, *args)
        self.rows: list[tuple[date, dict[str, list[dict[str, Any]]]]] = []
        self.plans: list[pa.Table] = []
        self.counts: list[tuple[int, int]] = []

    def record(self, day, rows):
        super().record(day, rows)
        self.rows.append((day, {k: [dict(r) for r in v] for k, v in rows.items()}))

    def append_plan(self, plan):
        super().append_plan(plan)
        self.plans.append(plan)
        backend = self.tables.backend
        if isinstance(backend, CompiledBackend):
            self.counts.append((backend.compiled, backend.executed))


def simulated(compiled: bool):
    kept: list[Keeping] = []

    def recorder(tables: MemoryTables, *args: Any) -> Keeping:
        kept.append(Keeping(tables, *args))
        return kept[-1]

    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(90, 4, 13, date(2026, 1, 26), strategy)
    result = simulate_arm(
        spec,
        SimArm("small_loan", strategy),
        read_behaviour(),
        recorder_for=recorder,
        compiled=compiled,
    )
    return result, kept[0]


@pytest.fixture(scope="module")
def both():
    return simulated(True), simulated(False)


def test_the_same_plans_records_and_results(both):
    (once, kept_once), (anew, kept_anew) = both
    assert len(kept_once.plans) == 4
    for a, b in zip(kept_once.plans, kept_anew.plans, strict=True):
        assert a.equals(b)
    assert kept_once.rows == kept_anew.rows
    assert sum(len(r["payments"]) for _, r in kept_once.rows) > 0
    assert once.curve == anew.curve
    assert (once.cost == anew.cost).all()
    assert once.blocked == anew.blocked and once.contacts == anew.contacts
    assert once.observations == anew.observations


def test_later_days_reuse_the_compiled_sql(both):
    (_, kept), _ = both
    (first_compiled, first_run), *later = kept.counts
    assert first_compiled > 10
    last_compiled, last_run = later[-1]
    # Days 3 and 4 compile nothing new (day 2 differs from day 1 only in having a
    # previous day's plan to compare buckets with).
    assert later[-1][0] == later[-2][0]
    assert last_run - first_run > 2 * (last_compiled - first_compiled)
