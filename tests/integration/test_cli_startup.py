"""The command line starts without the heavy parts: they are imported by the commands that use
them (SQLAlchemy alone took about 1.4 s here)."""

from __future__ import annotations

import subprocess
import sys


def test_the_command_line_imports_neither_sqlalchemy_nor_ibis():
    probe = (
        "import sys, duecourse.entrypoints.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'ibis', 'duckdb', 'alembic') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
