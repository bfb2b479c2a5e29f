"""Copying a SQLite store into a DuckDB file with DuckDB's own SQLite reader, in a child process.

DuckDB's ``sqlite_scanner`` extension reads a store about eight times faster than streaming rows
through the stdlib ``sqlite3`` (``docs/benchmarks.md``). It links its own copy of SQLite, and two
SQLite libraries in one process can cancel each other's POSIX locks (the store then fails with
"disk I/O error", seen with an ADBC reader; ``docs/architecture.md``). So the copy runs in a
child process that opens the store read-only, writes each table to a Parquet file and
exits; the parent reads those files. The extension comes from the package registry
(``duckdb-extension-sqlite-scanner``, built for one DuckDB version, pinned with it in the lock
file); nothing is downloaded at run time.

Two children run at once, each with its share of the tables: the reader scans a table on about
one core. A child is ``python -m duecourse.batch.sqlite_copy``; its job (source, folder, tables
and their column types) arrives as JSON on standard input.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

Columns = Sequence[tuple[str, str]]  # (column name, DuckDB type), in table order


class StoreCopyError(RuntimeError):
    """The child process could not copy the store."""


def scanner_path() -> Path | None:
    """The SQLite reader extension for the installed DuckDB, or ``None`` if it is missing."""
    try:
        import duckdb_extension_sqlite_scanner as package  # type: ignore[import-untyped]
    except ImportError:
        return None
    path = (
        Path(str(importlib.resources.files(package)))
        / "extensions"
        / f"v{duckdb.__version__}"
        / "sqlite_scanner.duckdb_extension"
    )
    return path if path.is_file() else None


def quoted(name: str) -> str:
    """``name`` as a SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_string(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def copy_tables(
    source: Path,
    folder: Path,
    tables: Mapping[str, Columns],
    upto: Mapping[str, int] | None = None,
    since: Mapping[str, int] | None = None,
) -> None:
    """Write ``tables`` of the SQLite file ``source`` as ``folder/<table>.parquet``.

    Run only in a process that has no other connection to ``source`` (see the module doc).
    Every column is cast to the given type, so dates, times and booleans arrive typed. A table
    named in ``upto`` is copied only up to that rowid (rows written since are left for later);
    one named in ``since`` only from the rowid after that one.
    """
    extension = scanner_path()
    if extension is None:
        raise StoreCopyError(f"no sqlite_scanner extension for DuckDB {duckdb.__version__}")
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        # Row order in the copy carries no meaning (every expression over it orders explicitly),
        # and an unordered COPY writes in parallel: about half the time of an ordered one.
        con.execute("SET preserve_insertion_order = false")
        con.execute(f"LOAD {sql_string(str(extension))}")
        con.execute(f"ATTACH {sql_string(str(source))} AS sqlite_store (TYPE sqlite, READ_ONLY)")
        for name, columns in tables.items():
            select = ", ".join(
                f"CAST({quoted(column)} AS {kind}) AS {quoted(column)}" for column, kind in columns
            )
            target = sql_string(str(parquet_path(folder, name)))
            rows = _rows_of(name, columns, (upto or {}).get(name), (since or {}).get(name))
            try:
                con.execute(f"COPY (SELECT {select} FROM {rows}) TO {target} (FORMAT parquet)")
            except duckdb.Error as exc:
                raise StoreCopyError(f"table {name}: {exc}") from exc
        con.execute("DETACH sqlite_store")
    finally:
        con.close()


def _rows_of(name: str, columns: Columns, upto: int | None, since: int | None) -> str:
    """The rows of store table ``name`` to copy, as a DuckDB table expression.

    A whole table (up to a rowid) is scanned through the attached store. A range that starts
    past the first row goes to SQLite as its own query: the attached scan does not pass a rowid
    bound down and reads the whole table, while SQLite seeks to the range in its B-tree (the
    day's rows of a 20-million-row table in 0.08 s, against 6.7 s).
    """
    if since is None:
        bound = "" if upto is None else f" WHERE rowid <= {int(upto)}"
        return f"sqlite_store.{quoted(name)}{bound}"
    listed = ", ".join(quoted(column) for column, _ in columns)
    query = f"SELECT {listed} FROM {quoted(name)} WHERE rowid > {int(since)}"
    if upto is not None:
        query += f" AND rowid <= {int(upto)}"
    return f"sqlite_query('sqlite_store', {sql_string(query)})"


def parquet_path(folder: Path, table: str) -> Path:
    """Where :func:`copy_tables` writes ``table``."""
    return folder / f"{table}.parquet"


def _shares(sizes: Mapping[str, int], workers: int) -> list[list[str]]:
    """Tables dealt to ``workers`` children, largest first to the least loaded."""
    loads = [0] * workers
    shares: list[list[str]] = [[] for _ in range(workers)]
    for name in sorted(sizes, key=lambda n: -sizes[n]):
        least = loads.index(min(loads))
        shares[least].append(name)
        loads[least] += sizes[name]
    return [share for share in shares if share]


def copy_in_children(
    source: Path,
    folder: Path,
    tables: Mapping[str, Columns],
    sizes: Mapping[str, int],
    workers: int = 2,
    upto: Mapping[str, int] | None = None,
    since: Mapping[str, int] | None = None,
) -> None:
    """:func:`copy_tables` in ``workers`` child processes at once (DuckDB's SQLite reader
    scans one table on about one core), tables dealt by ``sizes``, each up to its rowid in
    ``upto`` and from past its rowid in ``since`` when named there; raises
    :class:`StoreCopyError` if any child fails."""
    with contextlib.ExitStack() as stack:
        children = []
        for share in _shares({name: sizes.get(name, 0) for name in tables}, workers):
            job = {
                "source": str(source),
                "folder": str(folder),
                "tables": {name: [list(c) for c in tables[name]] for name in share},
                "upto": {name: upto[name] for name in share if upto and name in upto},
                "since": {name: since[name] for name in share if since and name in since},
            }
            errors = stack.enter_context(tempfile.TemporaryFile("w+"))
            child = subprocess.Popen(
                [sys.executable, "-m", __name__],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                text=True,
            )
            assert child.stdin is not None
            child.stdin.write(json.dumps(job))
            child.stdin.close()
            children.append((child, errors))
        failures = []
        for child, errors in children:
            if child.wait() != 0:
                errors.seek(0)
                failures.append(errors.read().strip()[-2000:])
    if failures:
        raise StoreCopyError(f"copying {source} failed: " + "\n".join(failures))


def main() -> None:
    job = json.load(sys.stdin)
    try:
        copy_tables(
            Path(job["source"]),
            Path(job["folder"]),
            {name: [tuple(c) for c in columns] for name, columns in job["tables"].items()},
            job.get("upto"),
            job.get("since"),
        )
    except (StoreCopyError, duckdb.Error) as exc:
        sys.stderr.write(f"{exc}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
