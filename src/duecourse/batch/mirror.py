"""A Parquet mirror of a SQLite store's tables, refreshed from one run to the next.

Copying a million-account store whole takes 20-50 s of a daily run (``docs/benchmarks.md``),
most of it rows that have not changed since yesterday. The mirror keeps, beside the store
(``<store>.mirror/``), each table's columns as immutable Parquet files and, per table, what
they hold: the columns, the store's change ``generation`` for that table, the highest rowid
copied and the row count. A refresh then copies only what it must:

* **nothing**, when the generation and the highest rowid are as recorded;
* **the new rows** (rowid above the recorded one, read by the child processes of
  ``sqlite_copy`` with a rowid range that SQLite seeks to) when only inserts happened: SQLite
  triggers (migration 0004) add one to a table's generation on every update or delete, so an
  unchanged generation means the recorded rows are all still there, unchanged. The new rows
  are checked by count (a rowid reused after a delete, or rowids renumbered by ``VACUUM``,
  would leave rows below the recorded rowid; the count sees them);
* **the whole table**, by the child processes of ``sqlite_copy``, in every other case: first
  use, other columns, a new generation, fewer or uncounted rows, another store (``store_id``).

A file is never changed once written, and the manifest (``manifest.json``) is replaced
atomically under an exclusive lock. Files a refresh no longer lists are deleted by a later
refresh, an hour on at least, so that a run still reading them is not cut short.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from duecourse.batch.sqlite_copy import (
    Columns,
    StoreCopyError,
    copy_in_children,
    parquet_path,
    quoted,
)

VERSION = 1
MAX_FILES = 8  # a table's files are merged into one beyond this many
RETIRE_AFTER_S = 3600.0


@dataclass
class Mirrored:
    """What the mirror holds of one table."""

    columns: list[list[str]]  # [name, DuckDB type], in table order
    generation: int  # the store's change generation of the table when copied
    rowid: int  # the highest rowid copied
    rows: int  # rows held, all files together
    files: list[str] = field(default_factory=list)  # names inside the mirror folder


@dataclass(frozen=True, slots=True)
class StoreState:
    """What a refresh compares the mirror with, read in one transaction."""

    store_id: str
    generations: dict[str, int]
    max_rowids: dict[str, int]


def mirror_folder(database: Path) -> Path:
    """Where the mirror of the SQLite file ``database`` lives."""
    return database.with_name(database.name + ".mirror")


def store_state(database: Path, names: Sequence[str]) -> StoreState | None:
    """The store's id, generations and highest rowids; ``None`` for a store without change
    generations (then it cannot be mirrored)."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        return _read_state(connection, names)
    except sqlite3.DatabaseError as exc:
        raise StoreCopyError(f"cannot read the store {database}: {exc}") from exc


def _read_state(connection: sqlite3.Connection, names: Sequence[str]) -> StoreState | None:
    try:
        connection.execute("BEGIN")
        try:
            rows = connection.execute(
                "SELECT table_name, generation, store_id FROM store_changes"
            ).fetchall()
        except sqlite3.OperationalError:
            return None
        generations = {name: gen for name, gen, _ in rows}
        if not rows or any(name not in generations for name in names):
            return None
        max_rowids = {
            name: connection.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()[0]
            for name in names
        }
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        # A migration may change any table: a mirror is of one store at one schema version.
        return StoreState(f"{rows[0][2]}@{version[0] if version else ''}", generations, max_rowids)
    finally:
        connection.close()


def refresh(database: Path, typed: Mapping[str, Columns]) -> dict[str, list[Path]] | None:
    """Bring the mirror of ``database`` up to date for the tables and columns of ``typed``;
    returns each table's files, or ``None`` if the store cannot be mirrored."""
    if store_state(database, list(typed)) is None:
        return None
    folder = mirror_folder(database)
    folder.mkdir(exist_ok=True)
    with _locked(folder):
        state = store_state(database, list(typed))  # again, under the lock
        if state is None:
            return None
        manifest = _load(folder, state.store_id)
        tables: dict[str, Mirrored] = manifest["tables"]
        retired: list[tuple[str, float]] = manifest["retired"]
        needed: dict[str, Columns] = {}
        grown: dict[str, Mirrored] = {}
        for name, columns in typed.items():
            held, top = tables.get(name), state.max_rowids[name]
            # Another command may read other columns: hold both (only what some command reads).
            union = _pairs(columns) if held is None else _union(held.columns, columns)
            if (
                held is None
                or held.generation != state.generations[name]
                or top < held.rowid
                or len(union) > len(held.columns)
            ):
                needed[name] = union
            elif top > held.rowid:
                grown[name] = held
        for name in _append(database, folder, grown, state.max_rowids):
            needed[name] = _pairs(tables[name].columns)
        if needed:
            for name in needed:
                if name in tables:
                    retired += [(f, time.time()) for f in tables[name].files]
            tables.update(_copy_whole(database, folder, needed, state))
        for name in typed:
            if len(tables[name].files) > MAX_FILES:
                retired += [(f, time.time()) for f in tables[name].files]
                tables[name].files = [_merge(folder, name, tables[name].files)]
        manifest["retired"] = _sweep(folder, tables, retired)
        _save(folder, state.store_id, tables, manifest["retired"])
        return {name: [folder / f for f in tables[name].files] for name in typed}


def _pairs(columns: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind in columns]


def _union(held: Sequence[Sequence[str]], wanted: Columns) -> list[tuple[str, str]]:
    have = _pairs(held)
    return have + [(c, kind) for c, kind in wanted if (c, kind) not in have]


def _append(
    database: Path, folder: Path, grown: Mapping[str, Mirrored], tops: Mapping[str, int]
) -> list[str]:
    """Copy the rows of each table of ``grown`` above its recorded rowid, up to its rowid in
    ``tops``, into a new file each (by the child processes) and record them; returns the
    tables not recorded, whose store holds rows the mirror would miss."""
    if not grown:
        return []
    staging = Path(tempfile.mkdtemp(prefix="append-", dir=folder))
    try:
        typed = {name: _pairs(held.columns) for name, held in grown.items()}
        upto = {name: tops[name] for name in grown}
        since = {name: held.rowid for name, held in grown.items()}
        sizes = {name: upto[name] - since[name] for name in grown}
        copy_in_children(database, staging, typed, sizes, upto=upto, since=since)
        below = _counts_up_to(database, upto)
        missed = []
        for name, held in grown.items():
            source = parquet_path(staging, name)
            added = pq.ParquetFile(source).metadata.num_rows
            if below[name] != held.rows + added:
                missed.append(name)
                continue
            file = f"{name}-{uuid.uuid4().hex}.parquet"
            source.replace(folder / file)
            held.files.append(file)
            held.rowid, held.rows = upto[name], below[name]
        return missed
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _counts_up_to(database: Path, tops: Mapping[str, int]) -> dict[str, int]:
    """Each table's rows with a rowid up to its ``tops``, counted in one read transaction as
    all rows less those above: SQLite counts a whole table from its pages without decoding
    a row (0.4 s for 20 million rows, against 1.1 s with a rowid bound) and seeks to the few
    rows above."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        connection.execute("BEGIN")
        counts = {}
        for name, top in tops.items():
            total = connection.execute(f"SELECT count(*) FROM {quoted(name)}").fetchone()[0]
            above = connection.execute(
                f"SELECT count(*) FROM {quoted(name)} WHERE rowid > ?", (top,)
            ).fetchone()[0]
            counts[name] = total - above
        return counts
    finally:
        connection.close()


def _copy_whole(
    database: Path, folder: Path, typed: Mapping[str, Columns], state: StoreState
) -> dict[str, Mirrored]:
    """Copy whole tables (up to the rowids of ``state``) by the child processes."""
    staging = Path(tempfile.mkdtemp(prefix="copy-", dir=folder))
    try:
        upto = {name: state.max_rowids[name] for name in typed}
        copy_in_children(database, staging, typed, upto, upto=upto)
        copied = {}
        for name, columns in typed.items():
            file = f"{name}-{uuid.uuid4().hex}.parquet"
            source = parquet_path(staging, name)
            rows = pq.ParquetFile(source).metadata.num_rows
            source.replace(folder / file)
            copied[name] = Mirrored(
                [list(c) for c in columns],
                state.generations[name],
                state.max_rowids[name],
                rows,
                [file],
            )
        return copied
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _merge(folder: Path, name: str, files: Sequence[str]) -> str:
    """One file holding the rows of ``files``."""
    merged = f"{name}-{uuid.uuid4().hex}.parquet"
    paths = ", ".join("'" + str(folder / f).replace("'", "''") + "'" for f in files)
    target = str(folder / merged).replace("'", "''")
    con = duckdb.connect()
    try:
        con.execute(f"COPY (SELECT * FROM read_parquet([{paths}])) TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
    return merged


def _sweep(
    folder: Path, tables: Mapping[str, Mirrored], retired: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """Delete retired files old enough, and files no manifest names (left by a refresh that
    failed) once as old; returns the retired files kept for later."""
    listed = {f for t in tables.values() for f in t.files} | {f for f, _ in retired}
    for orphan in folder.glob("*.parquet"):
        if orphan.name not in listed:
            retired.append((orphan.name, orphan.stat().st_mtime))
    kept = []
    for file, at in retired:
        if time.time() - at >= RETIRE_AFTER_S:
            (folder / file).unlink(missing_ok=True)
        else:
            kept.append((file, at))
    return kept


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / "lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load(folder: Path, store_id: str) -> dict[str, Any]:
    """The manifest; an empty one (every file retired) if it is missing, unreadable, of
    another version or of another store."""
    empty: dict[str, Any] = {"tables": {}, "retired": []}
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tables = {name: Mirrored(**t) for name, t in data["tables"].items()}
        retired = [(f, float(at)) for f, at in data["retired"]]
    except (OSError, ValueError, KeyError, TypeError):
        return empty
    if data.get("version") != VERSION or data.get("store_id") != store_id:
        empty["retired"] = retired + [(f, 0.0) for t in tables.values() for f in t.files]
        return empty
    return {"tables": tables, "retired": retired}


def _save(
    folder: Path, store_id: str, tables: Mapping[str, Mirrored], retired: Sequence[Any]
) -> None:
    data = {
        "version": VERSION,
        "store_id": store_id,
        "tables": {name: asdict(t) for name, t in tables.items()},
        "retired": [list(r) for r in retired],
    }
    tmp = folder / "manifest.json.tmp"
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(folder / "manifest.json")
