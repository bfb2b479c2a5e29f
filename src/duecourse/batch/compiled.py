"""An in-memory DuckDB backend that compiles each distinct expression once.

The simulator runs the same daily run every simulated day. With the run's dates written as
offsets from a backend variable (``day_values.day_variable``), every day builds equal ibis
expressions; this backend keeps the SQL of each (keyed by the expression, compared
structurally) and re-executes it, so the ibis-to-SQL compilation (most of a small day's time)
happens once per simulation. Only what the run calls is provided (``create_table``,
``to_pyarrow``, ``drop_table``, ``table``); the rest is the wrapped ibis backend's.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa
import sqlglot.expressions as sge
from ibis.backends.duckdb.converter import DuckDBPyArrowData

from duecourse.batch.built import keeping
from duecourse.batch.day_values import DAY_VARIABLE, day_variable

#: The view an in-memory table's rows are read from while they are inserted.
_LOADING = "duecourse_loading"


class CompiledBackend:
    """``backend`` (ibis DuckDB) with a cache of compiled SQL per expression."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self._sql: dict[Any, tuple[str, ...]] = {}
        #: Expressions the run's steps built, by what they were built from (``built``).
        self.built: dict[Hashable, Any] = {}
        self.compiled = 0  # expressions compiled (the cache's misses)
        self.executed = 0  # statements run from the cache

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)

    @contextmanager
    def day(self, as_of: date) -> Iterator[None]:
        """Within: the run's dates are offsets from ``as_of``, held in the backend, and
        the builders that may (``built.built``) build each expression once."""
        self.backend.con.execute(f"SET VARIABLE {DAY_VARIABLE} = DATE '{as_of.isoformat()}'")
        with day_variable(as_of), keeping(self.built):
            yield

    def _cached(self, key: Any, compile_: Any) -> tuple[str, ...]:
        found = self._sql.get(key)
        if found is None:
            found = self._sql[key] = compile_()
            self.compiled += 1
        self.executed += 1
        return found

    def create_table(
        self, name: str, obj: ir.Table, *, temp: bool = False, overwrite: bool = False
    ) -> ir.Table:
        """``obj`` into the temporary table ``name`` (replacing it), typed as ibis types it."""
        if not temp:
            raise ValueError("the compiled backend keeps temporary tables only")
        dialect = self.backend.dialect
        target = sge.table_(name, db="main", catalog="temp", quoted=True)

        def create() -> str:
            schema = sge.Schema(
                this=target, expressions=obj.schema().to_sqlglot_column_defs(dialect)
            )
            return sge.Create(
                kind="TABLE",
                this=schema,
                replace=True,
                properties=sge.Properties(expressions=[sge.TemporaryProperty()]),
            ).sql(dialect)

        op = obj.op()
        if isinstance(op, ops.InMemoryTable):
            # Rows from Python (a new memtable every day): inserted as they are, by one
            # statement per table and schema, so what reads the table is the same every day.
            (statement,) = self._cached(("load", name, obj.schema()), lambda: (create(),))
            self.backend.con.execute(statement)
            self.backend.con.register(_LOADING, op.data.to_pyarrow(obj.schema()))
            try:
                self.backend.con.execute(
                    f"INSERT INTO {target.sql(dialect)} SELECT * FROM {_LOADING}"
                )
            finally:
                self.backend.con.unregister(_LOADING)
        else:

            def compile_() -> tuple[str, ...]:
                self.backend._run_pre_execute_hooks(obj)  # registers in-memory tables
                query = self.backend.compiler.to_sqlglot(obj)
                columns = [sge.to_identifier(c, quoted=True) for c in obj.columns]
                insert = sge.insert(query, into=target, columns=columns)
                return create(), insert.sql(dialect)

            for statement in self._cached(("table", name, op), compile_):
                self.backend.con.execute(statement)
        table: ir.Table = self.backend.table(name, database=("temp", "main"))
        return table

    def to_pyarrow(self, expr: ir.Expr) -> Any:
        """``expr``'s result as Arrow, as the ibis backend gives it."""
        table_expr = expr.as_table()

        def compile_() -> tuple[str, ...]:
            self.backend._run_pre_execute_hooks(table_expr)
            return (self.backend.compile(table_expr),)

        (sql,) = self._cached(("query", expr.op()), compile_)
        arrow: pa.Table = self.backend.con.sql(sql).to_arrow_table()
        return expr.__pyarrow_result__(arrow, data_mapper=DuckDBPyArrowData)
