"""The system of record: SQLAlchemy over a SQLite file by default, PostgreSQL in production.

The schema is owned by Alembic migrations (``adapters/migrations``); :func:`open_store` brings a
database to the newest revision before anything reads or writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    create_engine,
    event,
    make_url,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from duecourse.adapters.store_url import DEFAULT_URL, ENV_VAR, store_url
from duecourse.errors import BadUsage

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
CHUNK = 5_000


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config  # imported here: alembic takes ~1 s to import

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def open_store(url: str) -> Engine:
    """Connect and migrate to the newest schema. A URL that is not one, names no installed
    driver, or a database that cannot be opened is a :class:`BadUsage` naming the URL."""
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise BadUsage(
            "数据库地址无效",
            f"not a usable store URL ({_first_line(exc)}); e.g. {DEFAULT_URL}",
            url,
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    from alembic import command

    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    except DBAPIError as exc:
        opened = f"cannot open the store ({_first_line(exc.orig)})"
        raise BadUsage("无法打开数据库", opened, _shown(url)) from None
    return engine


def _shown(url: str) -> str:
    """The URL without its password, when it parses."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upsert(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert rows, replacing those with the same primary key (imports are idempotent).

    Returns how many rows were inserted or changed: a row given again as it is in the store is
    not written and not counted (as the driver reports it; ``len(rows)`` where it cannot)."""
    if not rows:
        return 0
    if connection.dialect.name == "sqlite":
        return _executemany_sqlite(connection, table, lambda name: [row[name] for row in rows])
    statement = _upsert_statement(connection, table)
    written = 0
    for start in range(0, len(rows), CHUNK):
        chunk = list(rows[start : start + CHUNK])
        count = connection.execute(statement, chunk).rowcount
        written += count if count >= 0 else len(chunk)
    return written


def upsert_columns(
    connection: Connection, table: Table, columns: Mapping[str, Sequence[Any]]
) -> None:
    """:func:`upsert` for rows given column by column (e.g. from Arrow's ``to_pydict``).

    On SQLite each column is converted once per distinct value and the rows are zipped straight
    into ``executemany``: a 1,000,000-row plan is written without a dict per row.
    """
    count = len(next(iter(columns.values()), []))
    if count == 0:
        return
    if connection.dialect.name != "sqlite":
        names = list(columns)
        upsert(
            connection,
            table,
            [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)],
        )
        return
    _executemany_sqlite(connection, table, columns.__getitem__)


def _upsert_statement(connection: Connection, table: Table) -> Any:
    dialect = connection.dialect.name
    statement: sqlite.Insert | postgresql.Insert
    if dialect == "sqlite":
        statement = sqlite.insert(table)
    elif dialect == "postgresql":
        statement = postgresql.insert(table)
    else:
        raise NotImplementedError(f"upsert is not implemented for {dialect}")
    keys = [c.name for c in table.primary_key.columns]
    updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    # A row imported again unchanged is left alone: no write, and no update trigger, so the
    # table's change generation and its store mirror stay as they are (``batch/mirror.py``).
    changed = or_(*(table.c[name].is_distinct_from(value) for name, value in updates.items()))
    return (
        statement.on_conflict_do_update(index_elements=keys, set_=updates, where=changed)
        if updates
        else statement.on_conflict_do_nothing(index_elements=keys)
    )


def _executemany_sqlite(
    connection: Connection, table: Table, column: Callable[[str], Sequence[Any]]
) -> int:
    """Bulk upsert on SQLite: compile once, convert each column's distinct values once with the
    column's type, ``executemany``. ``column(name)`` gives that column's values, row by row."""
    compiled = _upsert_statement(connection, table).compile(dialect=connection.dialect)
    converted = []
    for name in compiled.positiontup or []:
        values = column(name)
        process = table.c[name].type.bind_processor(connection.dialect)
        if process is not None:
            memo = {v: process(v) for v in set(values) if v is not None}
            values = [None if v is None else memo[v] for v in values]
        converted.append(values)
    result = connection.exec_driver_sql(str(compiled), list(zip(*converted, strict=True)))
    return int(result.rowcount)


def existing_keys(connection: Connection, table: Table, column: str) -> set[Any]:
    """Every value of one key column already in the store."""
    return set(connection.execute(select(table.c[column])).scalars())


def rows_for(
    connection: Connection, table: Table, column: str, values: Iterable[Any]
) -> list[dict[str, Any]]:
    """Rows whose ``column`` is one of ``values`` (in chunks, or one scan for many values)."""
    wanted = list(values)
    if len(wanted) > CHUNK:
        keep = set(wanted)
        scan = connection.execute(select(table)).mappings()
        return [dict(r) for r in scan if r[column] in keep]
    out: list[dict[str, Any]] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        result = connection.execute(select(table).where(table.c[column].in_(chunk)))
        out += [dict(r._mapping) for r in result]
    return out


def replace_rows_for(
    connection: Connection,
    table: Table,
    column: str,
    values: Iterable[Any],
    rows: Sequence[Mapping[str, Any]],
) -> tuple[int, int]:
    """Make the rows whose ``column`` is one of ``values`` exactly ``rows``, touching only
    the difference: rows no longer wanted are deleted and the rest upserted, which leaves rows
    already there as given alone. Rows only added (a payment after every earlier one adds
    allocations) are then inserts, which keep the table's change generation
    (``adapters/schema.STORE_CHANGES``) and its mirror's files. Returns the rows deleted and
    the rows inserted or changed."""
    keys = [c.name for c in table.primary_key.columns]
    wanted = {tuple(r[k] for k in keys) for r in rows}
    present = {tuple(r[k] for k in keys) for r in rows_for(connection, table, column, values)}
    stale = present - wanted
    if stale:
        condition = and_(*(table.c[k] == bindparam(f"_{k}") for k in keys))
        connection.execute(
            table.delete().where(condition),
            [{f"_{k}": v for k, v in zip(keys, key, strict=True)} for key in sorted(stale)],
        )
    return len(stale), upsert(connection, table, rows)


__all__ = [
    "DEFAULT_URL",
    "ENV_VAR",
    "existing_keys",
    "open_store",
    "replace_rows_for",
    "rows_for",
    "store_url",
    "upsert",
    "upsert_columns",
]
