"""The run over the tables port: the store adapter and the in-memory adapter plan alike."""

from __future__ import annotations

from datetime import date, timedelta

from duecourse.adapters.store import open_store
from duecourse.adapters.strategy_files import reference_strategies
from duecourse.batch.backend import StoreTables
from duecourse.service.importer import import_paths
from duecourse.service.memory_tables import memory_tables
from duecourse.service.plan import ArmSpec, RunSpec, plan_day, run_day
from duecourse.service.sample import generate, write_sample
from duecourse.strategy.experiment import Arm

AS_OF = date(2025, 6, 30)
ACCOUNTS, SEED = 300, 23


def spec(day: date) -> RunSpec:
    strategies = reference_strategies()
    return RunSpec(
        day, [ArmSpec(Arm("champion", 80), strategies), ArmSpec(Arm("b", 20), strategies)]
    )


def test_the_in_memory_tables_and_the_store_give_the_same_plan(tmp_path):
    write_sample(tmp_path / "data", accounts=ACCOUNTS, seed=SEED, as_of=AS_OF)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = open_store(url)
    import_paths(engine, [tmp_path / "data"], today=AS_OF)
    memory = memory_tables(generate(ACCOUNTS, SEED, AS_OF).rows, today=AS_OF)
    for day in (AS_OF, AS_OF + timedelta(days=40)):
        on_store = plan_day(StoreTables(url), spec(day)).plan
        in_memory = plan_day(memory, spec(day)).plan
        assert on_store.num_rows == ACCOUNTS
        assert in_memory.equals(on_store), day
    # A stored plan is history for the next day on the store; the same rows appended in
    # memory are history there too, and the two still agree.
    stored = run_day(engine, url, spec(AS_OF)).plan
    memory.backend.insert("plans", stored)
    later = AS_OF + timedelta(days=1)
    on_store = plan_day(StoreTables(url), spec(later))
    in_memory = plan_day(memory, spec(later))
    assert on_store.runs.catch_up == in_memory.runs.catch_up == AS_OF
    assert in_memory.plan.equals(on_store.plan)
    assert set(in_memory.plan["status"].to_pylist()) >= {"planned", "cadence"}
