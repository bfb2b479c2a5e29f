"""``duecourse decide``: one decision table over a Parquet file (or an Arrow table), on DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from duecourse.batch.columnar import outputs_at
from duecourse.errors import BadData, FileMissing
from duecourse.strategy.compile import HIT, decide, first_positions
from duecourse.strategy.table import ColumnType, DecisionTable, HitPolicy, Rule, TableError
from duecourse.strategy.validate import errors_only, validate_table


def arrow_column_types(schema: pa.Schema) -> dict[str, ColumnType]:
    """What a decision table may assume about each column of a Parquet file."""
    out: dict[str, ColumnType] = {}
    for field in schema:
        t = field.type
        if pa.types.is_boolean(t):
            out[field.name] = ColumnType.BOOL
        elif pa.types.is_integer(t):
            out[field.name] = ColumnType.INT
        elif pa.types.is_decimal(t):
            out[field.name] = ColumnType.DECIMAL
        elif pa.types.is_floating(t):
            out[field.name] = ColumnType.FLOAT
        else:
            out[field.name] = ColumnType.STRING
    return out


def _checked_keys(
    table: DecisionTable,
    available: dict[str, ColumnType],
    keys: Sequence[str] | None,
    where: str,
) -> list[str]:
    """The key columns to carry (``account_id`` when present, by default), once ``table``
    is known to fit the columns ``available``."""
    problems = errors_only(validate_table(table, available))
    if keys is None:
        keys = ["account_id"] if "account_id" in available else []
    missing = [k for k in keys if k not in available]
    if missing:
        raise ValueError(f"key column(s) not in {where}: {', '.join(missing)}")
    if problems:
        raise TableError(problems)
    return list(keys)


def decide_parquet(
    table: DecisionTable,
    source: Path,
    target: Path,
    keys: Sequence[str] | None = None,
    with_matched: bool = False,
) -> int:
    """Evaluate ``table`` on every row of ``source``; write keys and outputs to ``target``.

    ``with_matched`` adds ``matched_row`` (the id of the deciding row).

    Returns the number of rows written. Raises :class:`TableError` if the table does not fit
    the file (unknown columns, type mismatches, ...).
    """
    readable_parquet(source, "输入文件", "input file")
    con = ibis.duckdb.connect()
    data = con.read_parquet(source)
    keys = _checked_keys(table, arrow_column_types(data.schema().to_pyarrow()), keys, str(source))
    tmp = target.with_suffix(target.suffix + ".tmp")
    expr = decide(table, data, keys, matched=with_matched)
    con.to_parquet(expr, tmp)
    written = pq.ParquetFile(tmp).metadata.num_rows  # from the footer: no second query
    tmp.replace(target)
    return int(written)


def readable_parquet(path: Path, zh_what: str, en_what: str) -> None:
    """Check that ``path`` is a Parquet file whose footer can be read: :class:`FileMissing`,
    or :class:`BadData` naming the file."""
    if not path.is_file():
        raise FileMissing(path, zh_what, en_what)
    try:
        pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise BadData(
            f"{zh_what}不是可读的 Parquet 文件（截断或损坏）",
            f"{en_what} is not a readable Parquet file (truncated or corrupt: {exc})",
            str(path),
        ) from None


@dataclass(frozen=True, slots=True)
class ArrowDecider:
    """A first-hit table compiled once for Arrow inputs of one schema, as zen-engine loads a
    decision once: DuckDB computes each row's deciding position with the compiled SQL, and
    the outputs are built from it (string outputs as dictionary arrays,
    :mod:`duecourse.batch.columnar`)."""

    table: DecisionTable
    schema: pa.Schema  # of the inputs the SQL reads, in its order
    keys: tuple[str, ...]
    sql: str  # reads the inputs from the view ``SOURCE``
    rules: tuple[Rule, ...]  # position -> the deciding rule
    matched: bool = False

    def __call__(self, facts: pa.Table, con: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
        """The keys (``facts``' own arrays) and every output, row for row in ``facts``' order.

        ``con`` is a DuckDB connection to reuse (a new in-memory one by default); it must keep
        insertion order, DuckDB's default, for the positions to come back row for row."""
        inputs = facts.select(self.schema.names)
        if not inputs.schema.equals(self.schema):
            raise ValueError(f"the decider was compiled for {self.schema}, not {inputs.schema}")
        con = con or duckdb.connect()
        kept = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        if not kept or not kept[0]:
            raise ValueError("the DuckDB connection must preserve insertion order")
        con.register(SOURCE, inputs)
        try:
            positions = con.execute(self.sql).fetch_arrow_table()[HIT].combine_chunks()
        finally:
            con.unregister(SOURCE)
        outputs = outputs_at(self.table, self.rules, positions, matched=self.matched)
        return pa.table({**{k: facts[k] for k in self.keys}, **outputs})


SOURCE = "decide_source"


def arrow_decider(
    table: DecisionTable,
    schema: pa.Schema,
    keys: Sequence[str] | None = None,
    with_matched: bool = False,
) -> ArrowDecider:
    """``table`` checked against ``schema`` and compiled, to evaluate on any number of Arrow
    tables of that schema. Raises like :func:`decide_parquet`; ``table`` must be first-hit."""
    keys = _checked_keys(table, arrow_column_types(schema), keys, "the input table")
    return _compiled(table, schema, keys, with_matched)


def _compiled(
    table: DecisionTable, schema: pa.Schema, keys: Sequence[str], matched: bool
) -> ArrowDecider:
    if table.hit_policy is not HitPolicy.FIRST:
        raise ValueError(f"table {table.name!r}: only a first-hit table has one deciding row")
    inputs = pa.schema([schema.field(name) for name in table.inputs])
    source = ibis.table(ibis.Schema.from_pyarrow(inputs), name=SOURCE)
    index, rules = first_positions(table, source)
    sql = ibis.to_sql(source.select(**{HIT: index}), dialect="duckdb")
    return ArrowDecider(table, inputs, tuple(keys), str(sql), tuple(rules), matched)


def decide_arrow(
    table: DecisionTable,
    facts: pa.Table,
    keys: Sequence[str] | None = None,
    with_matched: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pa.Table:
    """Evaluate ``table`` on every row of an Arrow table in memory, on DuckDB (``con``, a
    connection to reuse; a new in-memory one by default).

    Returns the key columns (the input's own arrays) and every output, row for row in the
    input's order. Raises like :func:`decide_parquet`. To evaluate one table on many inputs,
    compile it once with :func:`arrow_decider`.
    """
    keys = _checked_keys(table, arrow_column_types(facts.schema), keys, "the input table")
    return evaluate_arrow(table, facts, keys, with_matched, con)


def evaluate_arrow(
    table: DecisionTable,
    facts: pa.Table,
    keys: Sequence[str],
    matched: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pa.Table:
    """:func:`decide_arrow` without the checks (the table is known to fit ``facts``)."""
    if table.hit_policy is HitPolicy.FIRST:
        return _compiled(table, facts.schema, keys, matched)(facts, con)
    t = ibis.memtable(facts.select([*dict.fromkeys([*keys, *table.inputs])]))
    return ibis.duckdb.from_connection(con or duckdb.connect()).to_pyarrow(
        decide(table, t, keys, matched=matched)
    )
