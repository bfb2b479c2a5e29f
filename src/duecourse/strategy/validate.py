"""Checks on a decision table; every problem is collected, none is raised."""

from __future__ import annotations

from collections.abc import Mapping

from duecourse.strategy.cells import Cell, CellKind
from duecourse.strategy.table import ColumnType, DecisionTable, HitPolicy, Rule, TableIssue


def _cell_type_issue(cell: Cell, kind: ColumnType) -> str | None:
    if cell.is_any:
        return None
    if cell.kind is CellKind.INTERVAL:
        return None if kind.numeric else f"a comparison needs a number column, not {kind}"
    for value in cell.values:
        if kind is ColumnType.BOOL and not isinstance(value, bool):
            return f"{value!r} is not true or false"
        if kind is ColumnType.STRING and not isinstance(value, str):
            return f"{value!r} is not a quoted string"
        if kind.numeric and isinstance(value, bool | str):
            return f"{value!r} is not a number"
    return None


def _covers(earlier: Rule, later: Rule, columns: list[str]) -> bool:
    return all(earlier.cell(c).covers(later.cell(c)) for c in columns)


def _overlap(a: Rule, b: Rule, columns: list[str]) -> bool:
    return all(a.cell(c).overlaps(b.cell(c)) for c in columns)


def validate_table(
    table: DecisionTable,
    available: Mapping[str, ColumnType] | None = None,
    overlaps: bool = False,
) -> list[TableIssue]:
    """Every problem of a table: unknown columns, type mismatches, a missing catch-all, rows
    that can never match, missing outputs. ``available`` are the columns the table will see.

    Under ``first``, rows that merely overlap an earlier row are normal (the order decides);
    ``overlaps=True`` adds them as warnings.
    """
    issues: list[TableIssue] = []

    def issue(where: str, message: str, severity: str = "error") -> None:
        issues.append(TableIssue(table.name, where, message, severity))

    if available is not None:
        for name, kind in table.inputs.items():
            if name not in available:
                issue(f"inputs.{name}", "unknown column (not in the facts or earlier outputs)")
            elif available[name] != kind and not (kind.numeric and available[name].numeric):
                issue(f"inputs.{name}", f"declared {kind}, but the column is {available[name]}")
    columns = list(table.inputs)
    for index, rule in enumerate(table.rules, start=1):
        where = f"row {index} ({rule.id})"
        for column, cell in rule.when.items():
            if column not in table.inputs:
                issue(f"{where}, column {column!r}", "condition on a column that is not an input")
            elif message := _cell_type_issue(cell, table.inputs[column]):
                issue(f"{where}, column {column!r}", f"type mismatch: {message}")
        missing = [o for o in table.outputs if o not in rule.then]
        if missing:
            issue(where, f"no value for output(s) {', '.join(missing)}")
    if not table.rules or not table.rules[-1].is_catch_all:
        issue("rules", "the last row must be a catch-all (no conditions)")
    if any(r.is_catch_all for r in table.rules[:-1]) and table.hit_policy is HitPolicy.FIRST:
        first = next(i for i, r in enumerate(table.rules, 1) if r.is_catch_all)
        issue(f"row {first}", "a catch-all before the last row makes the rows after it unreachable")
    if table.hit_policy is HitPolicy.FIRST:
        for index, rule in enumerate(table.rules[:-1], start=1):
            if rule.is_catch_all:
                continue
            for earlier_index, earlier in enumerate(table.rules[: index - 1], start=1):
                if _covers(earlier, rule, columns):
                    issue(
                        f"row {index} ({rule.id})",
                        f"unreachable: row {earlier_index} "
                        f"({earlier.id}) matches everything it matches",
                    )
                    break
                if overlaps and _overlap(earlier, rule, columns):
                    issue(
                        f"row {index} ({rule.id})",
                        f"overlaps row {earlier_index} ({earlier.id}); the earlier row wins",
                        "warning",
                    )
    ids = [r.id for r in table.rules]
    for rule_id in {i for i in ids if ids.count(i) > 1}:
        issue(f"row id {rule_id!r}", "row ids must be unique")
    return issues


def errors_only(issues: list[TableIssue]) -> list[TableIssue]:
    return [i for i in issues if i.severity == "error"]
