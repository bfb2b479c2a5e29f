"""Benchmark: the ``small_loan`` reference strategy against the optimiser, as the issue asks
(50,000 accounts × 90 days × 10 replications, target under 30 minutes on the 2-core machine).

Runs the command itself, ``duecourse simulate --strategy small_loan --vs optimiser --json``,
with ``--workers`` processes, and reports its wall time, the CPU time of the whole process
tree (the peer figure: CPU / wall is what the workers gained), peak RSS per process, and from
its JSON the net difference with its interval, contacts per account and visits per arm.

Scale: ``BENCH_SIM_LONG=accounts,days,replications`` (default ``50000,90,10``; ``0`` skips),
``BENCH_SIM_WORKERS`` (default 2). Writes the ``simulate-arms`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, machine, write_section

TARGET_MINUTES = 30
FULL = (50_000, 90, 10)


def scale() -> tuple[int, int, int] | None:
    given = os.environ.get("BENCH_SIM_LONG", ",".join(str(x) for x in FULL))
    if given.strip() == "0":
        return None
    accounts, days, replications = (int(x) for x in given.split(","))
    return accounts, days, replications


def main() -> None:
    wanted = scale()
    if wanted is None:
        return
    accounts, days, replications = wanted
    workers = int(os.environ.get("BENCH_SIM_WORKERS", "2"))
    command = [str(Path(sys.executable).parent / "duecourse"), "simulate"]
    command += ["--strategy", "small_loan", "--vs", "optimiser", "--seed", "7", "--json"]
    command += ["--accounts", str(accounts), "--days", str(days)]
    command += ["--replications", str(replications), "--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, peak = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 2**20
    document = json.loads(done.stdout)
    arms = {a["name"]: a for a in document["arms"]}
    difference = document["difference"]
    arm_days = 2 * replications * days
    full_arm_days = 2 * FULL[1] * FULL[2]
    scale_note = (
        "the issue's full scale"
        if (accounts, days, replications) == FULL
        else f"a reduced scale; the full scale is {full_arm_days:,} arm-days, so at this "
        f"run's CPU per arm-day on {workers} workers it would take about "
        f"{cpu / arm_days * full_arm_days / workers / 60:.0f} minutes "
        "(extrapolated, not measured)"
    )
    rows = [
        "| arm | net (yuan, mean of replications) | net 95 % interval | contacts per account "
        "| visits |",
        "|---|---|---|---|---|",
    ]
    for name, arm in arms.items():
        contacts = sum(arm["contacts"].values()) / accounts
        rows.append(
            f"| {name} | {arm['net']} | {arm['net_ci95'][0]} … {arm['net_ci95'][1]} "
            f"| {contacts:.2f} | {arm['visits']:g} |"
        )
    verdict = "under" if wall < TARGET_MINUTES * 60 else "over"
    lines = [
        "## The simulator: strategy against optimiser",
        "",
        f"`bench/simulate_arms.py`: `duecourse simulate --strategy small_loan --vs optimiser "
        f"--accounts {accounts:,} --days {days} --replications {replications} "
        f"--workers {workers} --seed 7 --json` ({arm_days:,} arm-days; {scale_note}).",
        "",
        *machine(),
        f"- Load average at the end: {os.getloadavg()[0]:.1f} (the machine is shared)",
        "",
        f"- **Wall {wall / 60:.1f} min** ({verdict} the {TARGET_MINUTES}-minute target at this "
        f"scale); CPU of the process tree {cpu / 60:.1f} min, so the {workers} workers ran "
        f"{cpu / wall:.2f}× the wall time; {cpu / arm_days:.1f} s CPU per arm-day; peak RSS "
        f"of one process {peak:.2f} GiB.",
        f"- Difference ({difference['of']}): **{difference['net']} yuan**, 95 % interval "
        f"{difference['ci95'][0]} … {difference['ci95'][1]}, significant: "
        f"{difference['significant']}, accounts needed per arm: "
        f"{difference['accounts_needed']}.",
        "",
        *rows,
    ]
    write_section(ROOT / "docs" / "benchmarks.md", "simulate-arms", "\n".join(lines))
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
