"""Finding and reading import files: ``<table>.csv`` (UTF-8, GBK or GB18030) or
``<table>.parquet``.

A file that cannot be read (bytes no encoding decodes, a field longer than
:data:`MAX_FIELD_CHARS`, broken quoting, a truncated Parquet file) raises
:class:`UnreadableFile` naming the file, and the row and column where known.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from duecourse.adapters.encodings import AUTO, Undecodable, detect
from duecourse.adapters.schema import TABLES_BY_NAME
from duecourse.adapters.validate import RowError

SUFFIXES = (".csv", ".parquet")
#: The longest cell an import file may hold, in characters (a longer one rejects the file).
MAX_FIELD_CHARS = 10_000
# csv's own limit (128 KiB) would stop a longer field without naming its column; above it, the
# reader raises before a cell's length can be checked, so it is set well above ours.
csv.field_size_limit(max(csv.field_size_limit(), 64 << 20))


@dataclass(frozen=True, slots=True)
class SourceFile:
    """An import file and the table it feeds."""

    table: str
    path: Path


def find_sources(paths: Iterable[Path]) -> tuple[list[SourceFile], list[RowError]]:
    """Resolve directories and files to import files; unknown or doubled tables are errors."""
    found: list[SourceFile] = []
    errors: list[RowError] = []
    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES)
            if not candidates:
                errors.append(
                    RowError(
                        str(path),
                        0,
                        "-",
                        "此处没有 .csv 或 .parquet 文件 no .csv or .parquet files here",
                    )
                )
        elif path.is_file():
            candidates = [path]
        else:
            errors.append(RowError(str(path), 0, "-", "文件或目录不存在 no such file or directory"))
            continue
        for candidate in candidates:
            if candidate.suffix not in SUFFIXES:
                errors.append(
                    RowError(
                        str(candidate),
                        0,
                        "-",
                        "只读取 .csv 和 .parquet 文件 only .csv and .parquet are read",
                    )
                )
            elif candidate.stem not in TABLES_BY_NAME:
                known = ", ".join(TABLES_BY_NAME)
                errors.append(
                    RowError(
                        str(candidate),
                        0,
                        "-",
                        f"文件名不是表名 file name names no table (one of {known})",
                    )
                )
            else:
                found.append(SourceFile(candidate.stem, candidate))
    seen: dict[str, Path] = {}
    for source in found:
        if source.table in seen:
            errors.append(
                RowError(
                    str(source.path),
                    0,
                    "-",
                    f"表 {source.table} 重复 table {source.table!r} also in {seen[source.table]}",
                )
            )
        seen.setdefault(source.table, source.path)
    return found, errors


class UnreadableFile(Exception):
    """A file that cannot be read at all (undecodable bytes, a field over the limit, broken
    CSV quoting, a truncated or corrupt Parquet file); ``error`` says where and why."""

    def __init__(self, error: RowError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True, slots=True)
class OpenedFile:
    """An import file being read: its header, its rows (cells as read; strings for CSV) and
    the encoding it is read in (``parquet`` for Parquet)."""

    header: list[str]
    rows: Iterator[dict[str, Any]]
    encoding: str


def read_rows(path: Path, encoding: str = AUTO) -> OpenedFile:
    """Open one import file. Problems that make the file unreadable raise
    :class:`UnreadableFile`, when opening or while the rows are read."""
    if path.suffix == ".parquet":
        return _parquet(path)
    try:
        used = detect(path, encoding)
    except Undecodable as exc:
        tried = exc.encoding if encoding != AUTO or exc.encoding == "utf-8" else AUTO_TRIED
        raise UnreadableFile(RowError(path.name, 0, "-", exc.reason(tried))) from None
    handle = path.open(newline="", encoding=used)
    reader = csv.reader(handle)
    try:
        header = [h.strip() for h in next(reader, [])]
    except (csv.Error, UnicodeDecodeError) as exc:
        handle.close()
        raise UnreadableFile(RowError(path.name, 0, "-", _malformed(exc))) from None
    _no_doubles(path.name, header)
    return OpenedFile(header, _csv_rows(path.name, handle, reader, header), used)


AUTO_TRIED = "UTF-8/GBK/GB18030"


def _malformed(exc: Exception) -> str:
    return f"CSV 格式有误 malformed CSV: {exc}"


def _no_doubles(file: str, header: list[str]) -> None:
    doubled = sorted({h for h in header if header.count(h) > 1})
    if doubled:
        raise UnreadableFile(
            RowError(file, 0, doubled[0], "列名重复 the column is named more than once")
        )


def _too_long(length: int) -> str:
    return (
        f"字段过长（{length:,} 字符，上限 {MAX_FIELD_CHARS:,}）"
        f" field too long ({length:,} characters; the maximum is {MAX_FIELD_CHARS:,})"
    )


def _csv_rows(
    file: str, handle: TextIO, reader: Iterator[list[str]], header: list[str]
) -> Iterator[dict[str, Any]]:
    number = 0
    width = len(header)
    with handle:
        try:
            for record in reader:
                if not record:
                    continue  # a blank line, as csv.DictReader skips it
                number += 1
                if max(map(len, record)) > MAX_FIELD_CHARS:
                    at = next(i for i, v in enumerate(record) if len(v) > MAX_FIELD_CHARS)
                    column = header[at] if at < width else f"#{at + 1}"
                    raise UnreadableFile(RowError(file, number, column, _too_long(len(record[at]))))
                if len(record) > width and any(v.strip() for v in record[width:]):
                    raise UnreadableFile(
                        RowError(
                            file,
                            number,
                            "-",
                            f"字段数多于表头（{len(record)} > {width}）"
                            f" the row has {len(record)} fields, the header {width}",
                        )
                    )
                yield dict(zip(header, record, strict=False))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise UnreadableFile(RowError(file, number + 1, "-", _malformed(exc))) from None


def _readable_type(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        return _readable_type(kind.value_type)
    return any(
        check(kind)
        for check in (
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_integer,
            pa.types.is_floating,
            pa.types.is_decimal,
            pa.types.is_boolean,
            pa.types.is_date,
            pa.types.is_timestamp,
            pa.types.is_null,
        )
    )


def _parquet(path: Path) -> OpenedFile:
    """Open a Parquet file: its footer and schema are checked here, before any row is read."""
    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise UnreadableFile(
            RowError(
                path.name,
                0,
                "-",
                f"不是可读的 Parquet 文件（截断或损坏）"
                f" not a readable Parquet file (truncated or corrupt): {exc}",
            )
        ) from None
    header = list(schema.names)
    _no_doubles(path.name, header)
    for name, kind in zip(header, schema.types, strict=True):
        if not _readable_type(kind):
            raise UnreadableFile(
                RowError(
                    path.name,
                    0,
                    name,
                    f"列类型 {kind} 无法导入 the column type {kind} cannot be imported "
                    "(text, numbers, booleans, dates and timestamps can)",
                )
            )
    return OpenedFile(header, _parquet_rows(path.name, parquet, header), "parquet")


def _parquet_rows(
    file: str, parquet: pq.ParquetFile, header: list[str]
) -> Iterator[dict[str, Any]]:
    number = 0
    batches = parquet.iter_batches(batch_size=65_536)
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise UnreadableFile(
                RowError(
                    file,
                    number + 1,
                    "-",
                    f"Parquet 文件损坏 the Parquet file is corrupt after row {number}: {exc}",
                )
            ) from None
        if batch is None:
            return
        pairs = zip(header, batch.columns, strict=True)
        columns = [_column_values(file, number, name, column) for name, column in pairs]
        for values in zip(*columns, strict=True):
            yield dict(zip(header, values, strict=True))
        number += batch.num_rows


def _column_values(file: str, before: int, name: str, column: pa.Array) -> list[Any]:
    """One column of a batch as Python values; over-long text and unreadable values are
    errors naming the row (``before`` rows came in earlier batches) and the column."""
    try:
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            lengths = pc.utf8_length(column)
            longest = pc.max(lengths).as_py()
            if longest is not None and longest > MAX_FIELD_CHARS:
                at = pc.index(lengths, longest).as_py()
                raise UnreadableFile(RowError(file, before + at + 1, name, _too_long(longest)))
        values: list[Any] = column.to_pylist()
    except (pa.ArrowException, ValueError, OverflowError) as exc:
        raise UnreadableFile(
            RowError(
                file,
                before + 1,
                name,
                f"值无法读取 values cannot be read (rows {before + 1}–{before + len(column)}): "
                f"{exc}",
            )
        ) from None
    return values


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write one CSV file (UTF-8, header first); returns the number of data rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
