"""Fuzzing the import's two front doors, CSV files (in five encodings) and Parquet files,
2,000 examples each, every example a file of one of the ten tables. Each input either imports
or fails with a clear error (an :class:`ImportFailed` naming the file, with a reason), never
any other exception, and after an error the store is exactly as it was (its dump checksum).

Inputs: well-formed files with arbitrary, huge, wrongly typed and impossible values, doubled
keys and doubled, missing or unknown columns; the same files with bytes inserted or cut off;
arbitrary bytes. The import service runs in-process on a copy of a small store: about 13 ms
of CPU per example, not a process start each.
"""

from __future__ import annotations

import csv
import functools
import io
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine

from duecourse.adapters.files import MAX_FIELD_CHARS
from duecourse.adapters.schema import TABLES, Column, Kind, TableSpec
from duecourse.adapters.store import open_store
from duecourse.service.importer import ImportFailed, import_paths
from tests.integration.test_import import BORROWER, LOAN, write
from tests.store_checksum import store_checksum

FUZZ = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16")
KEYS = ("B1", "L1", "B2", "L2", "X")  # B1 and L1 are in the store; the rest are not
ODD_TEXT = (
    "",
    " ",
    "1,234.00",
    "１２３",
    "1e3",
    "-5",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "0.0000001",
    "2025-02-30",
    "0000-01-01",
    "9999-12-31",
    "2126-01-01",
    "2025-06-30 25:00",
    "2025-06-30T10:00+08:00",
    "Asia/Beijing",
    "Asia",
    "not-a-number",
    "true",
    "张伟",
    "😀",
    '"',
    "a,b",
    "line\nbreak",
    "\x00",
)


class Store:
    """A small store (one borrower, one loan), and a working copy of it that is made afresh
    after every import that changed it (an import that failed must leave it as it was)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.db"
        engine = open_store(f"sqlite:///{self.template}")
        data = folder / "base"
        data.mkdir()
        write(data, "borrowers", [BORROWER])
        write(data, "loans", [LOAN])
        import_paths(engine, [data])
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        self.digest = store_checksum(self.template)
        self.copy = folder / "store.db"
        self.engine: Engine | None = None

    def fresh(self) -> Engine:
        """An engine on the working copy, as the template is."""
        if self.engine is None:
            for stale in self.folder.glob("store.db*"):
                stale.unlink()
            shutil.copyfile(self.template, self.copy)
            self.engine = create_engine(f"sqlite:///{self.copy}")
        return self.engine

    def changed(self) -> None:
        """The working copy was written to: the next example starts from a new copy."""
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Store:
    return Store(tmp_path_factory.mktemp("fuzz"))


def check_import(base: Store, file: Path) -> None:
    """Import ``file``: success, or a clear error and the store unchanged."""
    engine = base.fresh()
    try:
        import_paths(engine, [file])
    except ImportFailed as failed:
        assert failed.errors
        for error in failed.errors:
            assert error.file == file.name
            assert error.reason.strip()
            assert error.row >= 0  # 0: the file as a whole (its header, its encoding)
        assert store_checksum(base.copy) == base.digest
    else:
        base.changed()


@functools.cache
def text_value(column: Column | None) -> st.SearchStrategy[str]:
    """A cell as CSV text: the column's example, a key, a choice, an odd value or arbitrary
    text (``None``: a column the table does not have)."""
    if column is None:
        return st.text(max_size=4)
    key_like = column.name.endswith("_id")
    return st.one_of(
        st.just(column.example),
        st.sampled_from(KEYS) if key_like else st.sampled_from(column.choices or ("x",)),
        st.sampled_from(ODD_TEXT),
        st.text(max_size=12),
    )


HUGE = st.sampled_from((MAX_FIELD_CHARS, MAX_FIELD_CHARS + 1, 1_000_000))


@st.composite
def csv_bytes(draw: st.DrawFn, spec: TableSpec) -> bytes:
    names = [c.name for c in spec.columns]
    header = draw(st.lists(st.sampled_from([*names, "unknown"]), max_size=len(names) + 1))
    if draw(st.booleans()):
        header = names + header[:1]  # every column, maybe one doubled or unknown
    by_name = {c.name: c for c in spec.columns}
    cells = [text_value(by_name.get(h)) for h in header]
    rows = [list(r) for r in draw(st.lists(st.tuples(*cells), max_size=4))] if cells else []
    if rows and draw(st.integers(0, 9)) == 0:  # one cell at or over the limit
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(header) - 1))
        rows[row][column] = "7" * draw(HUGE)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    if draw(st.booleans()):
        buffer.write(",".join(draw(st.lists(st.text(max_size=5), max_size=8))) + "\n")
    encoding = draw(st.sampled_from(ENCODINGS))
    data = buffer.getvalue().encode(encoding, errors="replace")
    return draw(mangled(data))


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` as it is, with a few bytes inserted, or cut off somewhere."""
    how = draw(st.sampled_from(("as is", "as is", "insert", "truncate")))
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    return data


ARROW_TYPES: dict[str, tuple[pa.DataType, st.SearchStrategy[Any]]] = {
    "string": (pa.string(), st.one_of(st.text(max_size=8), st.sampled_from(ODD_TEXT))),
    "int64": (pa.int64(), st.integers(-(2**63), 2**63 - 1)),
    "float64": (pa.float64(), st.floats(allow_nan=True, allow_infinity=True)),
    "bool": (pa.bool_(), st.booleans()),
    "date32": (pa.date32(), st.dates()),
    "timestamp": (pa.timestamp("s"), st.datetimes()),
    "timestamp_tz": (pa.timestamp("s", tz="Asia/Shanghai"), st.datetimes()),
    "binary": (pa.binary(), st.binary(max_size=4)),
    "list": (pa.list_(pa.int64()), st.lists(st.integers(0, 9), max_size=2)),
    "null": (pa.null(), st.none()),
}


def arrow_column(column: Column) -> st.SearchStrategy[tuple[pa.DataType, Any]]:
    """The column's natural Arrow type and values, or another type altogether."""
    natural = {
        Kind.INT: "int64",
        Kind.BOOL: "bool",
        Kind.DATE: "date32",
        Kind.DATETIME: "timestamp",
    }.get(column.kind, "string")
    return st.sampled_from([natural, natural, *ARROW_TYPES]).map(lambda n: ARROW_TYPES[n])


@st.composite
def parquet_bytes(draw: st.DrawFn, spec: TableSpec) -> bytes:
    count = draw(st.integers(0, 4))
    arrays, names = [], []
    for column in spec.columns:
        if draw(st.integers(0, 9)) == 0:
            continue  # a missing column
        kind, values = draw(arrow_column(column))
        if kind == pa.string() and column.name.endswith("_id"):
            values = st.sampled_from(KEYS)
        cells = draw(st.lists(st.one_of(st.none(), values), min_size=count, max_size=count))
        if kind == pa.string() and count and draw(st.integers(0, 19)) == 0:
            cells[0] = "x" * (MAX_FIELD_CHARS + 1)
        arrays.append(pa.array(cells, type=kind))
        names.append(column.name)
    if names and draw(st.integers(0, 9)) == 0:
        arrays.append(arrays[0])
        names.append(names[0])  # a doubled column
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(arrays, names=names), sink)
    return draw(mangled(sink.getvalue()))


@FUZZ
@given(data=st.data())
def test_a_csv_file_of_any_table_imports_or_fails_clearly(base, data):
    spec = data.draw(st.sampled_from(TABLES), label="table")
    raw = data.draw(st.one_of(csv_bytes(spec), st.binary(max_size=200)), label="bytes")
    file = base.folder / f"{spec.name}.csv"
    file.write_bytes(raw)
    check_import(base, file)


@FUZZ
@given(data=st.data())
def test_a_parquet_file_of_any_table_imports_or_fails_clearly(base, data):
    spec = data.draw(st.sampled_from(TABLES), label="table")
    raw = data.draw(st.one_of(parquet_bytes(spec), st.binary(max_size=200)), label="bytes")
    file = base.folder / f"{spec.name}.parquet"
    file.write_bytes(raw)
    check_import(base, file)
