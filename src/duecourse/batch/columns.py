"""Which store columns an expression reads, so that a run copies only those.

The expressions are built once on placeholders (unbound ibis tables with the store's schemas)
and their column references traced back to the placeholders. A copy that skips the rest reads
less (payments: half the time at 1,000,000 accounts, ``docs/benchmarks.md``) and leaves out
personal data the run never looks at, such as names and identity numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from duecourse.batch.backend import ALL_TABLES, arrow_schema


def placeholders(names: Iterable[str]) -> dict[str, ir.Table]:
    """Unbound tables with the store's schemas, named like the store's tables."""
    return {
        name: ibis.table(ibis.schema(arrow_schema(ALL_TABLES[name])), name=name) for name in names
    }


def columns_read(expressions: Iterable[ir.Table]) -> dict[str, set[str]]:
    """Per placeholder table, the columns that ``expressions`` refer to.

    A reference to a derived relation that passes its parent's columns through (a filter, a
    sort, a join side, ...) is followed to the parent; a computed column (projection,
    aggregate, join output) holds its own references, which are visited in their turn.
    """
    read: dict[str, set[str]] = {}
    for expression in expressions:
        for field in expression.op().find(ops.Field):
            pending: list[tuple[ops.Relation, str]] = [(field.rel, field.name)]
            while pending:
                relation, name = pending.pop()
                if isinstance(relation, ops.UnboundTable):
                    read.setdefault(relation.name, set()).add(name)
                elif isinstance(relation, ops.Set):
                    pending += [(relation.left, name), (relation.right, name)]
                elif isinstance(relation, ops.Project | ops.Aggregate | ops.JoinChain):
                    continue  # a computed column: its own references are found directly
                elif (parent := getattr(relation, "parent", None)) is not None:
                    pending.append((parent, name))
    return read


def wanted_columns(expressions: Iterable[ir.Table], names: Iterable[str]) -> dict[str, list[str]]:
    """For each store table in ``names``, the columns ``expressions`` read, in table order
    (the first column when none is read, so that the table still exists)."""
    read = columns_read(expressions)
    wanted = {}
    for name in names:
        columns = [c.name for c in ALL_TABLES[name].columns]
        wanted[name] = [c for c in columns if c in read.get(name, set())] or columns[:1]
    return wanted
