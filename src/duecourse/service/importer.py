"""``duecourse import``: validate every file completely, then write all of it or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from duecourse.adapters.encodings import AUTO
from duecourse.adapters.files import UnreadableFile, find_sources, read_rows
from duecourse.adapters.messages import text
from duecourse.adapters.schema import STORE_TABLES, TABLES, TABLES_BY_NAME
from duecourse.adapters.store import existing_keys, upsert
from duecourse.adapters.validate import ParsedFile, RowError, validate_rows
from duecourse.domain.ledger import DEFAULT_ORDER, Component
from duecourse.domain.promises import DEFAULT_PROMISE_GRACE_DAYS
from duecourse.service.journal import JournalChange, rebuild_journal
from duecourse.service.progress import Progress, Silent

#: (table, column) → the table whose key it must name.
REFERENCES: dict[tuple[str, str], str] = {
    ("addresses", "borrower_id"): "borrowers",
    ("contacts", "borrower_id"): "borrowers",
    ("loans", "borrower_id"): "borrowers",
    ("contact_attempts", "borrower_id"): "borrowers",
    ("contact_attempts", "loan_id"): "loans",
    ("instalments", "loan_id"): "loans",
    ("payments", "loan_id"): "loans",
    ("promises", "loan_id"): "loans",
    ("arrangements", "loan_id"): "loans",
    ("flags", "loan_id"): "loans",
}
#: Tables whose rows make a loan's journals be posted again (``service/journal.py``).
LEDGER_TABLES = ("loans", "instalments", "payments", "promises")


@dataclass(frozen=True, slots=True)
class _Parsed:
    file: str
    result: ParsedFile


class ImportFailed(Exception):
    """The import was rejected; nothing was written. ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the import; nothing was written")
        self.errors = sorted(errors)


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import read and what it changed: rows per table in the files, rows per table
    new or different from the store (a row imported again as it is counts in ``rows`` only),
    loans whose payments were re-posted, what that changed in the journal, and the encoding
    each file was read in (by file name; ``parquet`` for Parquet files)."""

    rows: dict[str, int] = field(default_factory=dict)
    loans_reposted: int = 0
    allocations: int = 0
    encodings: dict[str, str] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    journal: JournalChange = field(default_factory=lambda: JournalChange(0))

    @property
    def nothing_changed(self) -> bool:
        return not any(self.changed.values()) and not self.journal.changed


def _check_references(
    connection: Connection, parsed: dict[str, _Parsed], unreadable: set[str]
) -> list[RowError]:
    """Every reference to a key neither in the files nor in the store; references to a table
    whose file could not be read are not checked (its error is already listed)."""
    errors: list[RowError] = []
    keys: dict[str, set[Any]] = {}
    for (table, column), target in REFERENCES.items():
        if table not in parsed or target in unreadable:
            continue
        if target not in keys:
            key = TABLES_BY_NAME[target].key[0]
            in_file = parsed[target].result.keys if target in parsed else set()
            keys[target] = in_file | existing_keys(connection, STORE_TABLES[target], key)
        file, result = parsed[table].file, parsed[table].result
        for number, row in result.numbered_rows:
            value = row[column]
            if value is not None and value not in keys[target]:
                errors.append(RowError(file, number, column, f"{value!r} is not in {target}"))
    return errors


def import_paths(
    engine: Engine,
    paths: Iterable[Path],
    order: tuple[Component, ...] = DEFAULT_ORDER,
    progress: Progress | None = None,
    encoding: str = AUTO,
    today: date | None = None,
    promise_grace_days: int = DEFAULT_PROMISE_GRACE_DAYS,
) -> ImportReport:
    """Import files or directories atomically; raise :class:`ImportFailed` listing every error.

    CSV files are read in ``encoding``, or in the one detected for each file (``auto``: see
    ``adapters/encodings.py``). A file that cannot be read is one error; the others are still
    validated, and nothing is written. Dates must lie within the plausible window of ``today``
    (default: the machine's date). Promises are matched to payments with ``promise_grace_days``
    (``domain.promises``)."""
    progress = progress or Silent()
    today = today or date.today()
    sources, errors = find_sources(paths)
    parsed: dict[str, _Parsed] = {}
    unreadable: set[str] = set()
    encodings: dict[str, str] = {}
    for source in sources:
        spec = TABLES_BY_NAME[source.table]
        try:
            opened = read_rows(source.path, encoding)
            encodings[source.path.name] = opened.encoding
            tracked = progress.track(
                opened.rows, f"{text('reading')} {source.path.name} ({opened.encoding})"
            )
            result = validate_rows(spec, source.path.name, tracked, opened.header, today)
        except UnreadableFile as exc:
            errors.append(exc.error)
            unreadable.add(source.table)
            continue
        errors += result.errors
        parsed[source.table] = _Parsed(source.path.name, result)
    with engine.begin() as connection:
        errors += _check_references(connection, parsed, unreadable)
        if errors:
            raise ImportFailed(errors)
        counts: dict[str, int] = {}
        changed: dict[str, int] = {}
        for spec in TABLES:  # dependency order: borrowers before loans before schedules
            if spec.name in parsed:
                good = parsed[spec.name].result.rows
                changed[spec.name] = upsert(connection, STORE_TABLES[spec.name], good)
                counts[spec.name] = len(good)
        touched = {
            r["loan_id"] for t in LEDGER_TABLES if t in parsed for r in parsed[t].result.rows
        }
        journal = rebuild_journal(connection, touched, order, progress, promise_grace_days)
    return ImportReport(
        counts,
        len(touched),
        journal.allocations,
        encodings=encodings,
        changed=changed,
        journal=journal,
    )
