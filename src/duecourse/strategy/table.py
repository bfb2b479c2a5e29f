"""Decision tables: ordered rules with an explicit hit policy and a required catch-all row.

A table is data (YAML or imported GoRules JDM); :func:`table_from_dict` reads it and
:func:`duecourse.strategy.validate.validate_table` checks it. Columns are keyed by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from duecourse.strategy.cells import Cell, CellError, parse_cell


class HitPolicy(StrEnum):
    """``first``: the first matching row decides. ``collect``: every matching row contributes."""

    FIRST = "first"
    COLLECT = "collect"


class ColumnType(StrEnum):
    """Types of input and output columns."""

    INT = "int"
    DECIMAL = "decimal"
    FLOAT = "float"
    STRING = "string"
    BOOL = "bool"

    @property
    def numeric(self) -> bool:
        return self in {ColumnType.INT, ColumnType.DECIMAL, ColumnType.FLOAT}


@dataclass(frozen=True, slots=True)
class Rule:
    """One row: conditions by input name (missing = any), outputs by output name.

    Attributes:
        why: the human reason for the row, shown in explanations.
    """

    id: str
    when: Mapping[str, Cell]
    then: Mapping[str, Any]
    why: str = ""

    def cell(self, column: str) -> Cell:
        return self.when.get(column, ANY)

    @property
    def is_catch_all(self) -> bool:
        return all(c.is_any for c in self.when.values())


ANY = parse_cell(None)


@dataclass(frozen=True, slots=True)
class DecisionTable:
    """An ordered decision table.

    Attributes:
        inputs: input columns and their types, in order.
        outputs: output columns and their types, in order.
        rules: the rows, in order; the last must be a catch-all.
    """

    name: str
    hit_policy: HitPolicy
    inputs: Mapping[str, ColumnType]
    outputs: Mapping[str, ColumnType]
    rules: tuple[Rule, ...]
    description: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TableIssue:
    """A problem in a table: where, what, and whether it stops the table being used."""

    table: str
    where: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        return f"{self.table}: {self.where}: {self.message}"


class TableError(ValueError):
    """A table that cannot be used; ``issues`` lists every problem."""

    def __init__(self, issues: list[TableIssue]) -> None:
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


def _column_types(
    raw: Any, table: str, what: str, issues: list[TableIssue]
) -> dict[str, ColumnType]:
    if isinstance(raw, list):
        raw = dict.fromkeys(raw, "string")
    if not isinstance(raw, Mapping) or not raw:
        issues.append(TableIssue(table, what, "must map column names to types"))
        return {}
    out: dict[str, ColumnType] = {}
    for name, kind in raw.items():
        try:
            out[str(name)] = ColumnType(str(kind))
        except ValueError:
            allowed = ", ".join(ColumnType)
            issues.append(
                TableIssue(table, f"{what}.{name}", f"type {kind!r} is not one of {allowed}")
            )
    return out


def _output_value(value: Any, kind: ColumnType) -> Any:
    if value is None:
        return None
    if kind is ColumnType.STRING:
        return str(value)
    if kind is ColumnType.BOOL:
        if not isinstance(value, bool):
            raise CellError(f"{value!r} is not true or false")
        return value
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number")
    if kind is ColumnType.INT:
        number = Decimal(str(value))
        if number != number.to_integral_value():
            raise CellError(f"{value!r} is not a whole number")
        return int(number)
    return Decimal(str(value)) if kind is ColumnType.DECIMAL else float(value)


def table_from_dict(data: Mapping[str, Any]) -> DecisionTable:
    """Read a table from plain data (parsed YAML); raise :class:`TableError` listing problems."""
    name = str(data.get("name") or "unnamed")
    issues: list[TableIssue] = []
    try:
        policy = HitPolicy(str(data.get("hit_policy", "first")))
    except ValueError:
        issues.append(TableIssue(name, "hit_policy", "must be 'first' or 'collect'"))
        policy = HitPolicy.FIRST
    inputs = _column_types(data.get("inputs"), name, "inputs", issues)
    outputs = _column_types(data.get("outputs"), name, "outputs", issues)
    rules: list[Rule] = []
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        issues.append(TableIssue(name, "rules", "a table needs at least one row"))
        raw_rules = []
    for index, raw in enumerate(raw_rules, start=1):
        rule_id = str(raw.get("id", index)) if isinstance(raw, Mapping) else str(index)
        where = f"row {index} ({rule_id})"
        if not isinstance(raw, Mapping):
            issues.append(TableIssue(name, where, "a row must be a mapping with when/then"))
            continue
        when: dict[str, Cell] = {}
        for column, cell in (raw.get("when") or {}).items():
            try:
                when[str(column)] = parse_cell(cell)
            except CellError as exc:
                issues.append(TableIssue(name, f"{where}, column {column!r}", str(exc)))
        then: dict[str, Any] = {}
        for column, value in (raw.get("then") or {}).items():
            kind = outputs.get(str(column))
            if kind is None:
                issues.append(TableIssue(name, f"{where}, output {column!r}", "unknown output"))
                continue
            try:
                then[str(column)] = _output_value(value, kind)
            except (CellError, ValueError, ArithmeticError) as exc:
                issues.append(
                    TableIssue(name, f"{where}, output {column!r}", f"type mismatch: {exc}")
                )
        rules.append(Rule(rule_id, when, then, str(raw.get("why", ""))))
    if issues:
        raise TableError(issues)
    meta = {
        k: v
        for k, v in data.items()
        if k not in {"name", "hit_policy", "inputs", "outputs", "rules", "description"}
    }
    return DecisionTable(
        name, policy, inputs, outputs, tuple(rules), str(data.get("description", "")), meta
    )
