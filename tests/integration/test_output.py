"""What people and scripts read from ``facts``, ``run``, ``explain`` and ``import``, through
the real command line in a subprocess (stdout a pipe, ``COLUMNS=80``) on a small sample store."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rich.cells import cell_len

from duecourse.service.sample import write_sample
from duecourse.strategy.actions import ACTIONS

AS_OF = date(2026, 11, 30)
BUCKETS = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"]


def cli(db: str, *args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    command = [sys.executable, "-c", "from duecourse.entrypoints.cli import main; main()"]
    return subprocess.run(
        [*command, "--db", db, *args], capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("output")
    write_sample(root / "data", accounts=600, seed=7, as_of=AS_OF)
    db = f"sqlite:///{root / 'store.db'}"
    first = cli(db, "import", str(root / "data"))
    assert first.returncode == 0, first.stderr
    plan = root / "plan.parquet"
    done = cli(db, "run", "--as-of", AS_OF.isoformat(), "--output", str(plan))
    assert done.returncode == 0, done.stderr
    return db, root, plan, first, done


def test_run_in_a_pipe_at_80_columns_shows_every_bucket_and_whole_action_names(store):
    _, _, plan, _, done = store
    table = pq.read_table(plan)
    buckets = set(table.column("bucket").to_pylist())
    assert buckets == set(BUCKETS)  # the sample reaches every bucket, so every one must show
    lines = done.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines if line[:1] in set("┏┃┡│└"))
    headers = {c.strip() for line in lines if line.startswith("┃") for c in line.split("┃")}
    assert set(BUCKETS) <= headers
    for action in set(table.column("action").to_pylist()):
        assert f"│ {ACTIONS[action].label} " in done.stdout
    assert "…" not in done.stdout


def test_facts_in_a_pipe_at_80_columns_shows_every_bucket(store):
    db, _, _, _, _ = store
    done = cli(db, "facts", "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines if line[:1] in set("┏┃┡│└"))
    headers = {c.strip() for line in lines if line.startswith("┃") for c in line.split("┃")}
    assert {*BUCKETS, "合计 Total"} <= headers
    assert "…" not in done.stdout


def _import_table(stdout: str) -> dict[str, tuple[str, str]]:
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in stdout.splitlines()]
    return {c[0]: (c[1], c[2]) for c in cells if len(c) == 3}


def test_an_identical_reimport_says_nothing_changed(store):
    db, root, _, first, _ = store
    again = cli(db, "import", str(root / "data"))
    assert again.returncode == 0, again.stderr
    before, after = _import_table(first.stdout), _import_table(again.stdout)
    assert before["payments"][0] == before["payments"][1] != "0"  # all new the first time
    assert {t: changed for t, (_, changed) in after.items()} == dict.fromkeys(before, "0")
    assert "nothing changed" in again.stdout and "allocations written" not in again.stdout


def test_a_reimport_with_one_payment_changed_says_so(store, tmp_path):
    db, root, _, _, _ = store
    copy = tmp_path / "store.db"
    copy.write_bytes(Path(db.removeprefix("sqlite:///")).read_bytes())
    data = tmp_path / "data"
    data.mkdir()
    for source in (root / "data").iterdir():
        (data / source.name).write_bytes(source.read_bytes())
    lines = (data / "payments.csv").read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    fields[3] = f"{Decimal(fields[3]) - Decimal('1.00')}"  # the first payment, 1 yuan less
    (data / "payments.csv").write_text("\n".join([lines[0], ",".join(fields), *lines[2:]]) + "\n")
    changed = cli(f"sqlite:///{copy}", "import", str(data))
    assert changed.returncode == 0, changed.stderr
    table = _import_table(changed.stdout)
    assert table["payments"] == (f"{len(lines) - 1:,}", "1")
    assert all(c == "0" for t, (_, c) in table.items() if t != "payments")
    assert "Imported: 1 rows new or changed" in changed.stdout
    assert "nothing changed" not in changed.stdout


PLAN_KEYS = ("lender_type", "bucket", "action", "arm", "status", "rules")


def _plan_counts(path: Path) -> Counter[tuple[str, ...]]:
    """Plan rows counted straight from the Parquet file, not by the code under test."""
    rows = pq.read_table(path, columns=list(PLAN_KEYS)).to_pylist()
    return Counter(tuple(r[k] or "" for k in PLAN_KEYS) for r in rows)


def test_run_as_csv_and_json_holds_the_plan_counts_and_nothing_else(store, tmp_path):
    db, _, _, _, _ = store
    day = AS_OF.isoformat()
    as_csv = cli(db, "run", "--as-of", day, "--format", "csv", "--output", str(tmp_path / "a.pq"))
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert list(rows[0]) == [*PLAN_KEYS, "accounts"]
    counted = Counter({tuple(r[k] for k in PLAN_KEYS): int(r["accounts"]) for r in rows})
    assert counted == _plan_counts(tmp_path / "a.pq")
    assert (
        "600 行计划已写入 plan rows written to" in as_csv.stderr
    )  # notes go to stderr, not into the data
    as_json = cli(db, "run", "--as-of", day, "--format", "json", "--output", str(tmp_path / "b.pq"))
    assert as_json.returncode == 0, as_json.stderr
    document = json.loads(as_json.stdout)
    assert document["as_of"] == day and document["accounts"] == 600
    counted = Counter({tuple(r[k] for k in PLAN_KEYS): r["accounts"] for r in document["rows"]})
    assert counted == _plan_counts(tmp_path / "b.pq")


def test_facts_as_csv_and_json_hold_the_counts_and_amounts(store, tmp_path):
    db, _, _, _, _ = store
    day = AS_OF.isoformat()
    done = cli(db, "facts", "--as-of", day, "--format", "json", "--output", str(tmp_path / "f.pq"))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    facts = pq.read_table(tmp_path / "f.pq").to_pylist()
    grid = Counter((f["lender_type"], f["bucket"]) for f in facts)
    assert {(r["lender_type"], r["bucket"]): r["accounts"] for r in document["by_type_bucket"]} == {
        (t, b): grid.get((t, b), 0) for t in {t for t, _ in grid} for b in BUCKETS
    }
    overdue: dict[str, list[Decimal]] = {}
    for f in facts:
        if f["days_past_due"] > 0:
            overdue.setdefault(f["lender_type"], []).append(f["amount_overdue"])
    assert {
        r["lender_type"]: (r["accounts"], Decimal(r["amount_overdue"]))
        for r in document["overdue_by_type"]
    } == {t: (len(a), sum(a)) for t, a in overdue.items()}
    contact = Counter(f["contact"] for f in facts)
    assert {r["contact"]: r["accounts"] for r in document["contact"]} == dict(contact)
    as_csv = cli(db, "facts", "--as-of", day, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    sections = Counter(r["section"] for r in rows)
    assert sections == {"bucket": len(document["by_type_bucket"]), "overdue": 4, "contact": 3}
    assert sum(int(r["accounts"]) for r in rows if r["section"] == "bucket") == len(facts)
    amounts = {
        r["lender_type"]: Decimal(r["amount_overdue"]) for r in rows if r["section"] == "overdue"
    }
    assert amounts == {t: sum(a) for t, a in overdue.items()}


def _deferred(plan: Path) -> dict:
    rows = pq.read_table(plan).to_pylist()
    found = [r for r in rows if r["next_allowed_at"] is not None]
    assert found, "the sample has no deferred contact to explain"
    return found[0]


def test_explain_speaks_to_an_operator(store):
    db, _, plan, _, _ = store
    row = _deferred(plan)
    done = cli(db, "explain", row["account_id"], "--as-of", AS_OF.isoformat(), columns=100)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for words in ("逾期天数 Days past due", "逾期金额 Amount overdue", "联系状态 Contact status"):
        assert words in out
    assert " 天 " in out or "天 │" in out
    assert "元 │" in out
    utc = row["next_allowed_at"]  # the store keeps UTC
    local = utc + timedelta(hours=8)  # Asia/Shanghai has no daylight saving
    assert f"{local:%Y-%m-%d %H:%M} Asia/Shanghai" in out
    assert f"{utc:%Y-%m-%d %H:%M} UTC" in out
    assert not re.search(r"\bS\d{1,2}\b", out)  # no seed ids on screen
    assert "理由 Why" in out


def test_explain_as_json_holds_the_facts(store, tmp_path):
    db, _, plan, _, _ = store
    row = _deferred(plan)
    day = AS_OF.isoformat()
    done = cli(db, "explain", row["account_id"], "--as-of", day, "--format", "json")
    assert done.returncode == 0, done.stderr
    view = json.loads(done.stdout)
    facts = cli(db, "facts", "--as-of", day, "--output", str(tmp_path / "f.pq"), "--no-summary")
    assert facts.returncode == 0, facts.stderr
    mine = next(
        f
        for f in pq.read_table(tmp_path / "f.pq").to_pylist()
        if f["account_id"] == row["account_id"]
    )
    shown = {f["name"]: f for f in view["facts"]}
    assert Decimal(shown["amount_overdue"]["value"]) == mine["amount_overdue"]
    assert shown["amount_overdue"]["unit"] == "元"
    assert shown["days_past_due"]["value"] == mine["days_past_due"]
    assert view["in_plan"]["action"] == row["action"]
    assert view["next_allowed_at"]["utc"] == row["next_allowed_at"].replace(tzinfo=UTC).isoformat()
