"""What people and scripts read from ``facts``, ``run``, ``explain`` and ``import``, through
the real command line in a subprocess (stdout a pipe, ``COLUMNS=80``) on a small sample store."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
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
    assert all(cell_len(line) <= 80 for line in lines)
    headers = {c.strip() for line in lines if line.startswith("┃") for c in line.split("┃")}
    assert set(BUCKETS) <= headers
    for action in set(table.column("action").to_pylist()):
        assert f"│ {ACTIONS[action].label} " in done.stdout
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
