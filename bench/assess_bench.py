"""``assess`` per request: p50 and p95 over random cases, against one bare simulation.

Run alone with ``.venv/bin/python bench/assess_bench.py [N]`` (writes its section of
docs/benchmarks.md), or as part of ``make bench``.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
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


def assess_bench(n: int) -> list[tuple[str, str, str]]:
    """Rows ``(path, p50 / p95, notes)``: the full answer per request, and the peer."""
    requests = random_requests(n)
    start = time.perf_counter()
    assess(requests[0])  # the first request of a process also reads the strategies
    cold = time.perf_counter() - start
    full: list[float] = []
    for request in requests:
        start = time.perf_counter()
        assess(request)
        full.append(time.perf_counter() - start)
    model = packaged_model()
    bare: list[float] = []
    for request in requests:
        case = parse_case(request)
        start = time.perf_counter()
        run(case, model, draws(case.seed, PATHS, case.horizon_days))
        bare.append(time.perf_counter() - start)
    p50, p95 = percentile(full, 0.5), percentile(full, 0.95)
    b50, b95 = percentile(bare, 0.5), percentile(bare, 0.95)
    return [
        (
            "`assess` (validate, simulate, one simulation per reason, texts)",
            f"{p50 * 1000:.0f} ms / {p95 * 1000:.0f} ms",
            f"{n} random requests, {PATHS:,} paths × 30 days each; max "
            f"{max(full) * 1000:.0f} ms; first request of the process {cold * 1000:.0f} ms",
        ),
        (
            "peer — the probability alone (one simulation, no reasons)",
            f"{b50 * 1000:.0f} ms / {b95 * 1000:.0f} ms",
            f"the full answer costs {statistics.median(full) / statistics.median(bare):.1f}× "
            "one simulation (median)",
        ),
    ]


def section(n: int, machine: list[str]) -> str:
    return "\n".join(
        [
            "## Borrower: `assess` per request",
            "",
            "Wall time per request in one process (the strategies' decisions and the pack's "
            "verdicts are memoised across requests, as in a server). Target: p95 under 1 s.",
            "",
            *machine,
            "",
            "| path | p50 / p95 | notes |",
            "|---|---|---|",
            *(f"| {a} | {b} | {c} |" for a, b, c in assess_bench(n)),
            "",
        ]
    )


if __name__ == "__main__":
    from run import machine, write_section

    body = section(int(sys.argv[1]) if len(sys.argv) > 1 else 200, machine())
    write_section(ROOT / "docs" / "benchmarks.md", "assess", body)
    sys.stdout.write(body + "\n")
