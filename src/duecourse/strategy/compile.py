"""Compile a decision table to ibis expressions (no SQL is built from strings).

``first`` becomes one ``CASE WHEN`` over the rows in order giving the first match's position
(the catch-all as ``ELSE``), and each output a lookup by that position; ``collect`` becomes an
array per output of the values of every matching row. A null input makes its conditions null,
and a null condition does not match: the same semantics as the reference evaluator, where a
missing value matches only the empty cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import reduce
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from duecourse.strategy.cells import Cell, CellKind
from duecourse.strategy.table import ColumnType, DecisionTable, HitPolicy, Rule

IBIS_TYPES = {
    ColumnType.INT: "int64",
    ColumnType.DECIMAL: "decimal(18, 2)",
    ColumnType.FLOAT: "float64",
    ColumnType.STRING: "string",
    ColumnType.BOOL: "boolean",
}
MATCHED = "matched_row"


def _bound(value: Decimal, kind: ColumnType, column: ir.Value) -> ir.Scalar:
    if kind is ColumnType.FLOAT:
        return ibis.literal(float(value))
    if kind is ColumnType.INT and value == value.to_integral_value():
        return ibis.literal(int(value))
    return ibis.literal(value, type=_decimal_type(value, column))


def _decimal_type(value: Decimal, column: ir.Value) -> dt.DataType | None:
    """A decimal type that holds both ``value`` and the column exactly: the column's own type
    when it can (sparing the engine a widening cast per row), else the smallest wider one."""
    own = column.type()
    if not (own.is_decimal() and own.scale is not None and own.precision is not None):
        return None  # let ibis infer; the engine widens
    _, digits, exponent = value.as_tuple()
    scale = max(-int(exponent), 0, own.scale)
    whole = max(len(digits) + int(exponent), own.precision - own.scale)
    if (scale, whole + scale) == (own.scale, own.precision):
        return own
    return dt.Decimal(precision=whole + scale, scale=scale)


def _member(value: Any, kind: ColumnType) -> Any:
    if isinstance(value, Decimal):
        if kind is ColumnType.FLOAT:
            return float(value)
        if kind is ColumnType.INT and value == value.to_integral_value():
            return int(value)
    return value


def cell_expr(cell: Cell, column: ir.Value, kind: ColumnType) -> ir.BooleanValue | None:
    """The condition of one cell on one column; ``None`` for the empty cell."""
    if cell.kind is CellKind.ANY:
        return None
    if cell.kind is CellKind.INTERVAL:
        parts = []
        if cell.low is not None:
            low = _bound(cell.low, kind, column)
            parts.append(column >= low if cell.low_closed else column > low)
        if cell.high is not None:
            high = _bound(cell.high, kind, column)
            parts.append(column <= high if cell.high_closed else column < high)
        return reduce(lambda a, b: a & b, parts)
    members = sorted((_member(v, kind) for v in cell.values), key=repr)
    if len(members) == 1:  # a plain comparison: the same null semantics, a simpler plan
        return column == members[0] if cell.kind is CellKind.IN else column != members[0]
    return column.isin(members) if cell.kind is CellKind.IN else column.notin(members)


def rule_expr(rule: Rule, table: DecisionTable, t: ir.Table) -> ir.BooleanValue | None:
    """The conjunction of a row's conditions; ``None`` when the row matches everything."""
    parts = [
        expr
        for column, cell in rule.when.items()
        if (expr := cell_expr(cell, t[column], table.inputs[column])) is not None
    ]
    return reduce(lambda a, b: a & b, parts) if parts else None


def _value(value: Any, kind: ColumnType) -> ir.Scalar:
    if value is None:
        return ibis.null(IBIS_TYPES[kind])
    if kind is ColumnType.FLOAT:
        value = float(value)
    return ibis.literal(value, type=IBIS_TYPES[kind])


HIT = "_first_hit"


def first_hit(conditions: list[tuple[Rule, ir.BooleanValue | None]]) -> tuple[ir.Value, int]:
    """One ``CASE WHEN`` giving the position of the first matching row (null when none does).

    Also returns how many rows it can name: rows after a catch-all are never first.
    """
    whens: list[tuple[ir.BooleanValue, ir.Value]] = []
    for position, (_, condition) in enumerate(conditions):
        if condition is None:
            fallback = ibis.literal(position, type="int16")
            break
        whens.append((condition, ibis.literal(position, type="int16")))
    else:
        fallback = ibis.null("int16")
    reachable = len(whens) + (1 if len(whens) < len(conditions) else 0)
    return (ibis.cases(*whens, else_=fallback) if whens else fallback), reachable


def first_positions(table: DecisionTable, t: ir.Table) -> tuple[ir.Value, tuple[Rule, ...]]:
    """Under ``first``: each row's position of the first matching rule (``int16``, null when
    none matches), and the rules in order up to the last one that can be first (the
    catch-all). Every output of a row is its deciding rule's, so these two make the decision."""
    conditions = [(rule, rule_expr(rule, table, t)) for rule in table.rules]
    index, reachable = first_hit(conditions)
    return index, table.rules[:reachable]


def with_outputs(
    table: DecisionTable,
    t: ir.Table,
    keep: Sequence[str] | None = None,
    matched: bool = True,
) -> ir.Table:
    """The columns ``keep`` of ``t`` (all of them by default) and every output of ``table``,
    and ``matched_row`` unless ``matched`` is false, in two projections at most.

    Under ``first`` the rows' conditions are evaluated once, into the position of the first
    match, and each output looks its value up by that position (one pass over the conditions
    however many outputs the table has). Under ``collect`` each output is an array.
    """
    kept = list(t.columns if keep is None else keep)
    kinds: Mapping[str, ColumnType] = (
        {**table.outputs, MATCHED: ColumnType.STRING} if matched else table.outputs
    )
    if table.hit_policy is HitPolicy.FIRST:
        index, reachable = first_positions(table, t)
        hit = t.select(*kept, **{HIT: index})
        outputs = {
            name: ibis.null(IBIS_TYPES[kind])
            if not reachable
            else ibis.array(
                [
                    _value(rule.id if name == MATCHED else rule.then.get(name), kind)
                    for rule in reachable
                ]
            )[hit[HIT]]
            for name, kind in kinds.items()
        }
        return hit.select(*kept, **outputs)
    conditions = [(rule, rule_expr(rule, table, t)) for rule in table.rules]
    collected: dict[str, ir.Value] = {}
    for name, kind in kinds.items():
        items = []
        for rule, condition in conditions:
            value = _value(rule.id if name == MATCHED else rule.then.get(name), kind)
            items.append(
                value
                if condition is None
                else ibis.ifelse(condition, value, ibis.null(IBIS_TYPES[kind]))
            )
        collected[name] = ibis.array(items).filter(lambda x: x.notnull())
    return t.select(*kept, **collected)


def decide(
    table: DecisionTable, t: ir.Table, keys: Sequence[str], matched: bool = True
) -> ir.Table:
    """The key columns of ``t`` and every output of ``table`` (and ``matched_row``)."""
    return with_outputs(table, t, keys, matched)
