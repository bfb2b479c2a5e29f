"""``make bench``: measure the pipeline against a peer in the same run; write docs/benchmarks.md.

Timings are wall-clock on a shared machine; read the ratios, not the absolute numbers.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import ibis

from duecourse.adapters.records import load_portfolio
from duecourse.adapters.store import open_store
from duecourse.batch.backend import Engine, batch_tables, connect_store
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


def ibis_sqlite_load(url: str) -> float:
    store = connect_store(url)
    seconds, _ = timed(
        lambda: [
            store.table(n).to_pyarrow()
            for n in ("instalments", "payments", "contact_attempts", "allocations")
        ]
    )
    return seconds


def adbc_load(url: str) -> float:
    seconds, _ = timed(
        lambda: batch_tables(
            url, Engine.DUCKDB, ("instalments", "payments", "contact_attempts", "allocations")
        )
    )
    return seconds


def main() -> None:
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
        t_ibis_sqlite = ibis_sqlite_load(url)
        t_adbc = adbc_load(url)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    rows += [
        ("sample: generate CSV", f"{t_sample:.1f} s", f"{total_rows:,} rows in 10 files"),
        (
            "import: validate, write SQLite, post ledger",
            f"{t_import:.1f} s",
            f"{total_rows / t_import:,.0f} rows/s",
        ),
        ("facts: read store into DuckDB (sqlite3 → Arrow)", f"{t_load:.2f} s", "all 12 tables"),
        ("facts: ibis expression on DuckDB", f"{t_facts:.2f} s", f"{ACCOUNTS:,} accounts"),
        (
            "peer — facts: pure-Python reference",
            f"{t_ref:.2f} s",
            f"{t_ref / t_facts:.0f}× the DuckDB time (store read {t_read:.1f} s not counted)",
        ),
        (
            "store → Arrow, 4 largest tables: ibis SQLite backend",
            f"{t_ibis_sqlite:.2f} s",
            "the path not taken",
        ),
        (
            "store → Arrow, 4 largest tables: ADBC + DuckDB casts",
            f"{t_adbc:.2f} s",
            f"{t_ibis_sqlite / t_adbc:.1f}× faster than the ibis SQLite backend",
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
    sys.stdout.write("\n".join(lines) + "\n")


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
