"""``make bench``: measure the pipeline against a peer in the same run; write docs/benchmarks.md.

Timings are wall-clock on a shared machine; read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import ibis
from assess_bench import section as assess_section
from guard_bench import guard_bench, message_bench
from next_day import import_day, write_day
from optimiser_bench import optimiser_bench
from strategy_bench import (
    BIN,
    OURS_RUNS,
    TABLES_TO_COPY,
    ZEN_RUNS,
    decide_bench,
    replicate,
)

from duecourse.adapters.records import load_portfolio
from duecourse.adapters.store import open_store
from duecourse.batch.backend import batch_tables
from duecourse.batch.facts import facts_expr
from duecourse.domain.facts import reference_facts
from duecourse.service.importer import import_paths
from duecourse.service.sample import write_sample

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 1)
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "20000"))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem:.1f} GiB",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"ibis {ibis.__version__}",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
    ]


#: Runs a command and prints the peak RSS of its process tree (KiB), for one command's peak.
PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "capture_output=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def measured(command: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak memory (GiB) of one command."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, *command], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 2**20


def run_bench(accounts: int) -> str:
    """The whole `duecourse run` on a store grown to ``accounts`` by replicating the sample:
    the first day (no mirror yet), a day of new business imported, then the next day."""
    base = min(accounts, 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        data, db = Path(tmp) / "data", Path(tmp) / "big.db"
        url = f"sqlite:///{db}"
        write_sample(data, base, 7, AS_OF)
        import_paths(open_store(url), [data])
        t_grow, total = timed(lambda: replicate(db, max(1, accounts // base)))
        rows = sum(
            sqlite3.connect(db).execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]
            for n in TABLES_TO_COPY
        )

        def command(day: date) -> list[str]:
            return [
                str(BIN / "duecourse"),
                "--db",
                url,
                "run",
                "--as-of",
                str(day),
                "--output",
                f"{tmp}/plan-{day}.parquet",
            ]

        t_first, peak_first = measured(command(AS_OF))
        after = AS_OF + timedelta(days=1)
        payers, contacted = total // 50, total // 10
        write_day(db, Path(tmp) / "day2", after, payers, contacted)
        t_import, _ = timed(lambda: import_day(url, Path(tmp) / "day2"))
        t_next, peak_next = measured(command(after))
    return "\n".join(
        [
            "## The daily run at scale",
            "",
            f"`duecourse run` on a SQLite store of {total:,} accounts with full histories "
            f"({rows:,} rows: the {base:,}-account sample copied with new ids; growing it took "
            f"{t_grow:.0f} s), as one command: read the store (the first day two child "
            "processes copy it to Parquet with DuckDB's SQLite reader, into the store's mirror; "
            "the next day the mirror is refreshed with what changed), compute facts, apply the "
            "four reference strategies, guard every planned contact with the cn pack, write the "
            "plan to the store and to Parquet. Between the two days a day of business is "
            f"imported as a lender would: {payers:,} payments (re-posted to the journal) and "
            f"{contacted:,} contact attempts ({t_import:.0f} s); the second day also finds the "
            f"first day's {total:,} plan rows.",
            "",
            *machine(),
            "",
            "| measure | first day (no mirror) | next day (mirror refreshed) | target |",
            "|---|---|---|---|",
            f"| wall time | {t_first:.0f} s | {t_next:.0f} s | under 60 s |",
            f"| peak memory (RSS of the command) | {peak_first:.2f} GiB | {peak_next:.2f} GiB "
            "| under 6 GiB |",
            "",
        ]
    )


def corpus_size() -> int:
    """The development part only: the frozen test part is opened by its own test alone."""
    from tests.message_corpus import load

    return len(load("development"))


def compliance_bench(guard_rows: int) -> str:
    """The guard over many planned contacts against the single-request path."""
    load_before = os.getloadavg()[0]
    table = guard_bench(guard_rows)
    load_after = os.getloadavg()[0]
    lines = [
        "## Compliance: the batch guard",
        "",
        f"The guard: 10,000 random contact requests with histories (the generator of the "
        f"batch-versus-single agreement test: edge instants, histories around every cap, eight "
        f"time zones) copied with new ids to {guard_rows:,}, checked by the `cn` pack on DuckDB; "
        "the peer is the single-request path on the 10,000 originals in the same run (best of "
        "three passes, measured before the batch, each after a full garbage collection). With "
        "`BENCH_GUARD_PREVIOUS` set to a checkout of the code before the rule language (each "
        "rule written twice), the same harness measures that code in a child process of the "
        "same run. Times are wall (CPU: the process's CPU time, all threads).",
        "",
        *machine(),
        "",
        "| path | wall time | throughput |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in table),
        "",
        f"Load average (1 min) {load_before:.1f} at the start, {load_after:.1f} at the end (the "
        "machine is shared: the measures in one run see different loads; read the ratios "
        "with that in mind).",
        "",
    ]
    return "\n".join(lines)


def messages_bench(messages: int) -> str:
    """The message checker against itself without the learned layer and a bare lexicon scan."""
    load = os.getloadavg()[0]
    lines = [
        "## Compliance: the message checker",
        "",
        "Every message of the development part of the labelled corpus "
        f"({corpus_size():,}) repeated to {messages:,} messages, against the same checker without "
        "its learned layer and a bare search of its regular-expression categories; then every "
        "development message labelled a violation once, joined in one text (varied text), and "
        "1 MB and 10 MB of one abusive paragraph per language repeated (longer than the learned "
        "layer reads: the frames alone judge them). Targets (issue 14): at least 2,000 "
        "messages/s, at most 1 s per MB. Wall time depends on how busy the shared machine is, "
        "CPU time (this process) much less, so both are shown. Only this section: "
        "`BENCH_ONLY=messages make bench`.",
        "",
        *machine(),
        f"- Load average at start: {load:.1f} on {os.cpu_count()} cores",
        "",
        "| path | wall time | CPU time | result |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in message_bench(messages)),
        "",
    ]
    return "\n".join(lines)


def optimiser_section(sizes: list[int]) -> str:
    """The optimiser at each size against the greedy baseline in the same run."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "## The optimiser: HiGHS relaxation, rounding and greedy fill vs the greedy baseline",
        "",
        "Synthetic days (`bench/optimiser_bench.py`): every account a candidate for the seven "
        "actions of `strategies/optimiser.yaml`, valued by its default estimator; capacities: "
        "agent minutes for a call to one account in ten, a letter for one in 200, 4 visits per "
        "lender × region (4 × 31 teams), and expected complaints at most 0.2 % of accounts, "
        "which couples every candidate. One run each; the greedy baseline is timed beside the "
        "optimiser on the same day, so compare the ratios.",
        "",
        *machine(),
        f"- Load average before the runs (1, 5, 15 min): {load}",
        "",
        "| path | wall time | result |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in optimiser_bench(sizes)),
        "",
        f"Load average after the runs: {', '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        "",
    ]
    return "\n".join(lines)


def wanted(section: str) -> bool:
    """``BENCH_ONLY=messages,web`` runs only the sections named (every section when unset):
    optimiser, web, assess, compliance, messages, run, decide (with foundation), simulate."""
    only = os.environ.get("BENCH_ONLY", "")
    return not only or section in only.split(",")


def main() -> None:
    sections = []
    sizes = os.environ.get("BENCH_OPTIMISER_ACCOUNTS", "50000,500000")
    if sizes and wanted("optimiser"):
        body = optimiser_section([int(n) for n in sizes.split(",")])
        write_section(ROOT / "docs" / "benchmarks.md", "optimiser", body)
    run_accounts = int(os.environ.get("BENCH_RUN_ACCOUNTS", "1000000"))
    decide_rows = int(os.environ.get("BENCH_ROWS", "1000000"))
    guard_rows = int(os.environ.get("BENCH_GUARD_ROWS", "1000000"))
    # BENCH_WEB=0 skips the pages under load
    if os.environ.get("BENCH_WEB", "1") != "0" and wanted("web"):
        from web_bench import web_section

        write_section(ROOT / "docs" / "benchmarks.md", "web", web_section())
    messages = int(os.environ.get("BENCH_MESSAGES", "50000"))
    assess_requests = int(os.environ.get("BENCH_ASSESS", "200"))
    if assess_requests and wanted("assess"):
        body = assess_section(assess_requests, machine())
        write_section(ROOT / "docs" / "benchmarks.md", "assess", body)
    if guard_rows and wanted("compliance"):
        write_section(ROOT / "docs" / "benchmarks.md", "compliance", compliance_bench(guard_rows))
    if messages and wanted("messages"):
        write_section(ROOT / "docs" / "benchmarks.md", "messages", messages_bench(messages))
    if run_accounts and wanted("run"):
        write_section(ROOT / "docs" / "benchmarks.md", "run", run_bench(run_accounts))
    if not decide_rows or not wanted("decide"):  # BENCH_ROWS=0 stops after the daily run
        return
    with tempfile.TemporaryDirectory() as tmp:
        table = decide_bench(Path(tmp), decide_rows)
    decide_lines = [
        "## One decision table: `duecourse decide` vs zen-engine vs pandas",
        "",
        f"The table `bench/escalation.yaml` (15 rows + catch-all, first hit) over {decide_rows:,} "
        "synthetic facts rows, exported to JDM for zen-engine; all three must give the same "
        "action for every row. Each time is the best of "
        f"{OURS_RUNS} runs (duecourse) or {ZEN_RUNS} (zen-engine); pandas runs once.",
        "",
        *machine(),
        "",
        "| path | wall time | ratio |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in table),
        "",
    ]
    write_section(ROOT / "docs" / "benchmarks.md", "decide", "\n".join(decide_lines))
    sections.append("\n".join(decide_lines))
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        data, url = Path(tmp) / "data", f"sqlite:///{tmp}/bench.db"
        t_sample, counts = timed(lambda: write_sample(data, ACCOUNTS, 7, AS_OF))
        total_rows = sum(counts.values())
        engine = open_store(url)
        t_import, _ = timed(lambda: import_paths(engine, [data]))
        t_load, (backend, tables) = timed(lambda: batch_tables(url))
        t_facts, facts = timed(lambda: backend.to_pyarrow(facts_expr(tables, AS_OF)))
        with engine.connect() as connection:
            t_read, portfolio = timed(lambda: load_portfolio(connection))
        t_ref, reference = timed(lambda: reference_facts(portfolio, AS_OF))
        assert facts.num_rows == len(reference) == ACCOUNTS
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    rows += [
        ("sample: generate CSV", f"{t_sample:.1f} s", f"{total_rows:,} rows in 10 files"),
        (
            "import: validate, write SQLite, post ledger",
            f"{t_import:.1f} s",
            f"{total_rows / t_import:,.0f} rows/s",
        ),
        (
            "facts: read the store (child processes: DuckDB's SQLite reader → Parquet)",
            f"{t_load:.2f} s",
            "all 12 tables",
        ),
        ("facts: ibis expression on DuckDB", f"{t_facts:.2f} s", f"{ACCOUNTS:,} accounts"),
        (
            "peer — facts: pure-Python reference",
            f"{t_ref:.2f} s",
            f"{t_ref / t_facts:.1f}× the DuckDB time (reading the store into records, "
            f"{t_read:.1f} s, not counted)",
        ),
    ]
    lines = [
        "## Foundation: import and facts",
        "",
        f"`make bench` with {ACCOUNTS:,} sample accounts (seed 7, as of {AS_OF}), "
        f"peak RSS {peak:.2f} GiB.",
        "",
        *machine(),
        "",
        "| step | wall time | notes |",
        "|---|---|---|",
        *(f"| {a} | {b} | {c} |" for a, b, c in rows),
        "",
    ]
    write_section(ROOT / "docs" / "benchmarks.md", "foundation", "\n".join(lines))
    sys.stdout.write("\n\n".join([*sections, "\n".join(lines)]) + "\n")


def write_section(path: Path, name: str, body: str) -> None:
    """Replace the section between ``<!-- bench:NAME -->`` markers, keeping the rest."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    block = f"{start}\n{body}\n{end}"
    if start in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
