"""Benchmark: simulated days of ``duecourse simulate`` at 50,000 and 500,000 accounts.

Per size, three simulated days of the ``small_loan`` world (the real pipeline on in-memory
tables, the behaviour model, payments posted through the pure ledger, outcomes appended), each
day timed in wall and CPU seconds (the process's, DuckDB's threads included; the machine is
shared, so CPU time is the steadier figure). The first day compiles the run's SQL; the later
days re-execute it. Peer in the same run: the same days compiling each day's run anew
(``simulate_arm(compiled=False)``, the simulator before the run was compiled once), with the
same results. Writes the ``simulate`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, machine, wanted, write_section

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.strategy_files import reference_strategy
from duecourse.domain.model import LenderType
from duecourse.service.simulate import ArmResult, SimArm, SimSpec, simulate_arm

SIZES = [int(x) for x in os.environ.get("BENCH_SIM_ACCOUNTS", "50000,500000").split(",")]
DAYS = 3
FIRST = date(2026, 1, 1)
T = TypeVar("T")


class DayClock:
    """A progress display that times each simulated day (wall and CPU seconds)."""

    def __init__(self) -> None:
        self.days: list[tuple[float, float]] = []

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        for item in items:
            wall, cpu = time.perf_counter(), time.process_time()
            yield item
            self.days.append((time.perf_counter() - wall, time.process_time() - cpu))


def run(accounts: int, compiled: bool) -> tuple[DayClock, ArmResult, float]:
    model = read_behaviour()
    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(accounts, DAYS, 7, FIRST, strategy)
    clock = DayClock()
    start = time.perf_counter()
    result = simulate_arm(
        spec, SimArm("small_loan", strategy), model, progress=clock, compiled=compiled
    )
    return clock, result, time.perf_counter() - start


def _later(clock: DayClock) -> tuple[float, float]:
    later = clock.days[1:]
    return sum(w for w, _ in later) / len(later), sum(c for _, c in later) / len(later)


def one_size(accounts: int) -> list[str]:
    once, result, total = run(accounts, compiled=True)
    anew, peer, _ = run(accounts, compiled=False)
    same = result.curve == peer.curve and (result.cost == peer.cost).all()
    (w1, c1), (wn, cn) = once.days[0], _later(once)
    (pw1, pc1), (pwn, pcn) = anew.days[0], _later(anew)
    return [
        f"| {accounts:,} | compiled once | {w1:.1f} s / {c1:.1f} s | **{wn:.1f} s / {cn:.1f} s** "
        f"| {total:.0f} s for {DAYS} days with the world; results equal to the peer's: {same} |",
        f"| {accounts:,} | peer — compiled every day | {pw1:.1f} s / {pc1:.1f} s "
        f"| {pwn:.1f} s / {pcn:.1f} s | later days: compiled once is {pcn / cn:.1f}× less CPU, "
        f"{pwn / wn:.1f}× less wall |",
    ]


def main() -> None:
    if not wanted("simulate"):
        return
    rows = [
        "| accounts | run | day 1: wall / CPU | later days (mean): wall / CPU | notes |",
        "|---|---|---|---|---|",
    ]
    for accounts in SIZES:
        rows += one_size(accounts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    load = os.getloadavg()[0]
    lines = [
        "## The simulator: simulated days",
        "",
        f"`bench/simulate_day.py`: `small_loan` world (see docs/simulation.md), first day "
        f"{FIRST}, seed 7, {DAYS} days per run; a day is the pipeline, the behaviour model, "
        f"the ledger postings and the records. CPU is the process's (DuckDB's threads "
        f"included). Peak RSS {peak:.2f} GiB; load average {load:.1f} at the end.",
        "",
        *machine(),
        "",
        *rows,
    ]
    write_section(ROOT / "docs" / "benchmarks.md", "simulate", "\n".join(lines))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
