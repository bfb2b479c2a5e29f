"""Benchmark: one simulated day of ``duecourse simulate`` at 50,000 and 500,000 accounts.

Per size: the world (generated, loaded into in-memory DuckDB), one whole simulated day (the
real pipeline on the in-memory tables, the behaviour model, payments posted through the pure
ledger, outcomes appended), and two peers in the same run: the same day with the model alone
(no pipeline) and the pipeline's fixed cost (one day of a 200-account world). Writes the
``simulate`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import resource
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, machine, timed, wanted, write_section

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.strategy_files import reference_strategy
from duecourse.batch.backend import MemoryTables
from duecourse.domain.model import LenderType
from duecourse.service.sim_world import generate_world, world_tables
from duecourse.service.simulate import SimArm, SimSpec, simulate_arm

SIZES = [int(x) for x in os.environ.get("BENCH_SIM_ACCOUNTS", "50000,500000").split(",")]
FIRST = date(2026, 1, 1)


def one_size(accounts: int) -> list[str]:
    model = read_behaviour()
    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(accounts, 1, 7, FIRST, strategy)
    arm = SimArm("small_loan", strategy)
    t_world, world = timed(lambda: generate_world(model, accounts, 7, FIRST, 1, "small_loan"))
    t_tables, _ = timed(lambda: MemoryTables.from_arrow(world_tables(world)))
    t_day, result = timed(lambda: simulate_arm(spec, arm, model))
    t_model, _ = timed(lambda: simulate_arm(spec, arm, model, pipeline=False))
    small = SimSpec(200, 1, 7, FIRST, strategy)
    t_fixed, _ = timed(lambda: simulate_arm(small, arm, model))
    payments = int((result.recovered > 0).sum())
    return [
        f"| {accounts:,} | world: generate | {t_world:.1f} s | Python; "
        f"{int(world.term.sum()):,} instalments |",
        f"| {accounts:,} | world: into in-memory DuckDB | {t_tables:.1f} s | |",
        f"| {accounts:,} | **one simulated day** (pipeline + model + ledger + records) | "
        f"**{t_day:.1f} s** | {payments:,} payments posted; includes its own world |",
        f"| {accounts:,} | peer — the day with the model alone | {t_model:.1f} s | "
        f"{t_day / max(t_model, 1e-9):.1f}× faster than the whole day |",
        f"| 200 | peer — the pipeline's fixed cost (a 200-account day) | {t_fixed:.1f} s | "
        f"{t_fixed / t_day:.0%} of the {accounts:,}-account day |",
    ]


def main() -> None:
    if not wanted("simulate"):
        return
    rows = ["| accounts | step | wall time | notes |", "|---|---|---|---|"]
    for accounts in SIZES:
        rows += one_size(accounts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    load = os.getloadavg()[0]
    lines = [
        "## The simulator: one simulated day",
        "",
        f"`bench/simulate_day.py`: `small_loan` world (see docs/simulation.md), first day "
        f"{FIRST}, seed 7; peak RSS {peak:.2f} GiB; load average {load:.1f} at the end.",
        "",
        *machine(),
        "",
        *rows,
    ]
    write_section(ROOT / "docs" / "benchmarks.md", "simulate", "\n".join(lines))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
