"""Finding and reading import files: ``<table>.csv`` (UTF-8) or ``<table>.parquet``."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from duecourse.adapters.schema import TABLES_BY_NAME
from duecourse.adapters.validate import RowError

SUFFIXES = (".csv", ".parquet")


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
                errors.append(RowError(str(path), 0, "-", "no .csv or .parquet files here"))
        elif path.is_file():
            candidates = [path]
        else:
            errors.append(RowError(str(path), 0, "-", "no such file or directory"))
            continue
        for candidate in candidates:
            if candidate.suffix not in SUFFIXES:
                errors.append(RowError(str(candidate), 0, "-", "only .csv and .parquet are read"))
            elif candidate.stem not in TABLES_BY_NAME:
                known = ", ".join(TABLES_BY_NAME)
                errors.append(
                    RowError(str(candidate), 0, "-", f"file name names no table (one of {known})")
                )
            else:
                found.append(SourceFile(candidate.stem, candidate))
    seen: dict[str, Path] = {}
    for source in found:
        if source.table in seen:
            errors.append(
                RowError(
                    str(source.path), 0, "-", f"table {source.table!r} also in {seen[source.table]}"
                )
            )
        seen.setdefault(source.table, source.path)
    return found, errors


def read_rows(path: Path) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The header and the rows of one file, cells as read (strings for CSV)."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return list(table.column_names), iter(table.to_pylist())
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.DictReader(handle)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header

    def rows() -> Iterator[dict[str, Any]]:
        with handle:
            yield from reader

    return header, rows()


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
