"""``assess`` per request: p50 and p95 over random cases, against one bare simulation.

Run alone with ``.venv/bin/python bench/assess_bench.py [N]`` (writes its section of
docs/benchmarks.md), or as part of ``make bench``.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from duecourse.adapters.assess_json import parse_case
from duecourse.service.assess import PATHS, assess, packaged_model, run
from duecourse.service.assess_sim import draws

ROOT = Path(__file__).resolve().parent.parent


def random_requests(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Cases spread over every input: lender types, arrears from 1 day to 2 years, amounts
    from 500 to 200,000 yuan, every contact status, with and without negotiation and address."""
    rng = random.Random(seed)
    lenders = ["bank", "consumer_finance", "small_loan", "online_platform"]
    return [
        {
            "lender_type": rng.choice(lenders),
            "days_past_due": rng.randint(1, 730),
            "amount_overdue": rng.choice([500, 3000, 8000, 15000, 30000, 80000, 200000]),
            "contact": rng.choice(["reachable", "unresponsive", "lost"]),
            "negotiating": rng.random() < 0.3,
            "address_verified": rng.random() < 0.7,
            "prior_overdues": rng.choice([0, 0, 1, 2, 4]),
        }
        for _ in range(n)
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def assess_bench(n: int) -> list[tuple[str, str, str, str]]:
    """Rows ``(path, p50 / p95, notes)``: the full answer per request, and the peer."""
    requests = random_requests(n)
    start = time.perf_counter()
    assess(requests[0])  # the first request of a process also reads the strategies
    cold = time.perf_counter() - start
    full, full_cpu = timings(lambda r: assess(r), requests)
    model = packaged_model()

    def bare(request: dict[str, Any]) -> None:
        case = parse_case(request)
        run(case, model, draws(case.seed, PATHS, case.horizon_days))

    peer, peer_cpu = timings(bare, requests)
    return [
        (
            "`assess` (validate, simulate, one simulation per reason, texts)",
            f"{ms(full, 0.5)} / {ms(full, 0.95)}",
            f"{ms(full_cpu, 0.5)} / {ms(full_cpu, 0.95)}",
            f"{n} random requests, {PATHS:,} paths × 30 days each; max "
            f"{max(full) * 1000:.0f} ms; first request of the process {cold * 1000:.0f} ms",
        ),
        (
            "peer — the probability alone (one simulation, no reasons)",
            f"{ms(peer, 0.5)} / {ms(peer, 0.95)}",
            f"{ms(peer_cpu, 0.5)} / {ms(peer_cpu, 0.95)}",
            f"the full answer costs {statistics.median(full_cpu) / statistics.median(peer_cpu):.1f}"
            "× one simulation (median CPU)",
        ),
    ]


def timings(
    fn: Callable[[dict[str, Any]], object], requests: list[dict[str, Any]]
) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``fn`` on each request."""
    wall, cpu = [], []
    for request in requests:
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(request)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:.0f} ms"


def section(n: int, machine: list[str]) -> str:
    return "\n".join(
        [
            "## Borrower: `assess` per request",
            "",
            "Per request in one process (the strategies' decisions and the pack's verdicts are "
            "memoised across requests, as in a server). Target: p95 under 1 s. Wall time "
            "depends on how busy the shared machine is; CPU time (this process) does not, so "
            "both are shown, with the load average when the run started.",
            "",
            *machine,
            f"- Load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            "",
            "| path | wall p50 / p95 | CPU p50 / p95 | notes |",
            "|---|---|---|---|",
            *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in assess_bench(n)),
            "",
        ]
    )


if __name__ == "__main__":
    from run import machine, write_section

    body = section(int(sys.argv[1]) if len(sys.argv) > 1 else 200, machine())
    write_section(ROOT / "docs" / "benchmarks.md", "assess", body)
    sys.stdout.write(body + "\n")
