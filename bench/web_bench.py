"""The borrower pages under load: p50/p95 per page with 50 concurrent clients on loopback.

A real uvicorn process (one worker, as ``duecourse serve`` runs it) serves the app; an httpx
async client keeps ``CLIENTS`` requests in flight and sends a bounded number per page. The peer
is the same server's static stylesheet: the floor of the stack, so each page is quoted as a
ratio to it. Run alone with ``.venv/bin/python bench/web_bench.py`` or through ``make bench``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_WEB_CLIENTS", "50"))
REQUESTS = int(os.environ.get("BENCH_WEB_REQUESTS", "1000"))  # per page; PDF: a tenth
MESSAGE = "再不还钱就去你家，通知你单位和家人"
PLAN = {"principal": "12000", "interest": "0", "penalty": "0", "fees": "0", "term_months": "12"}
LETTER = {**PLAN, "borrower": "张三", "lender": "某某消费金融", "last_activity": "2026-10-01"}
ASSESS = {
    "lender_type": "small_loan",
    "days_past_due": 95,
    "amount_overdue": 30000,
    "contact": "lost",
    "negotiating": False,
    "address_verified": True,
    "prior_overdues": 2,
}
#: (name, method, path, form or JSON body, share of REQUESTS)
CASES: list[tuple[str, str, str, dict[str, Any] | None, float]] = [
    ("peer — GET /static/site.css", "GET", "/static/site.css", None, 1),
    ("GET / (home)", "GET", "/", None, 1),
    ("GET /rights", "GET", "/rights", None, 1),
    ("POST /check (message checker page)", "POST", "/check", {"text": MESSAGE}, 1),
    ("POST /api/check-message", "JSON", "/api/check-message", {"text": MESSAGE}, 1),
    ("POST /plan (12 instalments)", "POST", "/plan", PLAN, 1),
    ("POST /letters/negotiation (HTML)", "POST", "/letters/negotiation", LETTER, 1),
    (
        "POST /letters/negotiation (PDF)",
        "POST",
        "/letters/negotiation",
        {**LETTER, "format": "pdf"},
        0.1,
    ),
    ("POST /api/assess", "JSON", "/api/assess", ASSESS, 1),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _load(
    base: str, method: str, path: str, body: Any, count: int
) -> tuple[list[float], int]:
    """Latencies (s) of ``count`` requests with CLIENTS in flight; the number that failed."""
    todo = iter(range(count))
    latencies: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def worker() -> None:
            nonlocal failed
            for _ in todo:
                start = time.perf_counter()
                if method == "GET":
                    r = await client.get(path)
                elif method == "JSON":
                    r = await client.post(path, json=body)
                else:
                    r = await client.post(path, data=body)
                latencies.append(time.perf_counter() - start)
                failed += r.status_code != 200

        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return latencies, failed


def web_bench(workers: int) -> list[tuple[str, str, str, str, str]]:
    """Rows: page, requests, p50, p95, p95 ratio to the peer; ``workers`` uvicorn processes."""
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "duecourse.web.app:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        for _ in range(300):
            try:
                httpx.get(base, timeout=1)
                time.sleep(2 if workers > 1 else 0)  # every worker up, not just the first
                break
            except httpx.TransportError:
                time.sleep(0.2)
        peer = 0.0
        for name, method, path, body, share in CASES:
            count = max(CLIENTS, int(REQUESTS * share))
            asyncio.run(_load(base, method, path, body, CLIENTS))  # warm up: imports, caches
            latencies, failed = asyncio.run(_load(base, method, path, body, count))
            if failed == count:
                rows.append((name, f"{count:,}", "—", "—", "not served (no engine in this build)"))
                continue
            p50, p95 = _percentile(latencies, 0.5), _percentile(latencies, 0.95)
            peer = peer or p95
            note = f"{p95 / peer:.1f}×" + (f"; {failed} failed" if failed else "")
            rows.append((name, f"{count:,}", f"{p50 * 1000:.0f} ms", f"{p95 * 1000:.0f} ms", note))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return rows


def web_section() -> str:
    from run import machine

    load = os.getloadavg()[0]
    lines = [
        "## The borrower pages under 50 concurrent clients",
        "",
        f"uvicorn on loopback (`duecourse serve`, one worker by default, `--workers 2` "
        f"below as well); an httpx async client keeps {CLIENTS} requests in flight; "
        f"{REQUESTS:,} requests per page after a warm-up ({REQUESTS // 10:,} for the PDF). The "
        "peer is the same server's static stylesheet; the ratio is each page's p95 to the "
        "peer's. Client and server share the machine's 2 cores (and, here, other people's "
        f"jobs: load average {load:.1f} when the run started).",
        "",
        *machine(),
    ]
    for workers in (1, 2):
        rows = web_bench(workers)
        lines += [
            "",
            f"{workers} worker{'s' if workers > 1 else ''}:",
            "",
            "| page | requests | p50 | p95 | p95 vs peer |",
            "|---|---|---|---|---|",
            *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
        ]
    return "\n".join([*lines, ""])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from run import write_section

    body = web_section()
    write_section(ROOT / "docs" / "benchmarks.md", "web", body)
    sys.stdout.write(body + "\n")
