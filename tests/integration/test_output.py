"""What people and scripts read from ``facts``, ``run``, ``explain`` and ``import``, through
the real command line in a subprocess (stdout a pipe, ``COLUMNS=80``) on a small sample store."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

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
