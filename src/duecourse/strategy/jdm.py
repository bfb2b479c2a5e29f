"""GoRules JDM (the zen engine's JSON format) ⇄ duecourse decision tables.

Import reads the first ``decisionTableNode`` of a JDM graph: its hit policy, its input and output
fields, and its rows. Cells use the unary-test syntax both share (comparisons, intervals, lists of
literals); output cells must be literals (quoted strings, numbers, booleans). JDM declares no
column types, so they are inferred from the cells unless ``types`` names them. Export writes the
same shape (a request node → the table → a response node), without editor positions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from duecourse.strategy.cells import Cell, CellError, CellKind, cell_text, parse_cell
from duecourse.strategy.table import (
    ColumnType,
    DecisionTable,
    HitPolicy,
    Rule,
    TableError,
    TableIssue,
)


def _output_literal(text: str, where: str) -> Any:
    text = text.strip()
    if text == "":
        return None
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return text[1:-1].replace('\\"', '"')
    if text in {"true", "false"}:
        return text == "true"
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"{where}: output {text!r} is not a literal") from None


def _infer(cells: list[Cell]) -> ColumnType:
    values = [v for c in cells for v in c.values]
    if any(isinstance(v, str) for v in values):
        return ColumnType.STRING
    if values and all(isinstance(v, bool) for v in values):
        return ColumnType.BOOL
    return ColumnType.DECIMAL


def _infer_output(values: list[Any]) -> ColumnType:
    present = [v for v in values if v is not None]
    if any(isinstance(v, str) for v in present):
        return ColumnType.STRING
    if present and all(isinstance(v, bool) for v in present):
        return ColumnType.BOOL
    if all(isinstance(v, Decimal) and v == v.to_integral_value() for v in present):
        return ColumnType.INT
    return ColumnType.DECIMAL


def table_from_jdm(
    graph: Mapping[str, Any], name: str | None = None, types: Mapping[str, ColumnType] | None = None
) -> DecisionTable:
    """Read the first decision table of a JDM graph."""
    types = types or {}
    node = next((n for n in graph.get("nodes", []) if n.get("type") == "decisionTableNode"), None)
    title = name or (node or {}).get("name") or "jdm"
    if node is None:
        raise TableError([TableIssue(title, "nodes", "no decisionTableNode in this JDM graph")])
    content = node.get("content", {})
    issues: list[TableIssue] = []
    policy_text = content.get("hitPolicy", "first")
    if policy_text not in {p.value for p in HitPolicy}:
        issues.append(TableIssue(title, "hitPolicy", f"{policy_text!r} is not first or collect"))
    inputs = {i["id"]: i.get("field") or i.get("name") for i in content.get("inputs", [])}
    outputs = {o["id"]: o.get("field") or o.get("name") for o in content.get("outputs", [])}
    rules: list[Rule] = []
    cells_by_input: dict[str, list[Cell]] = {field: [] for field in inputs.values()}
    values_by_output: dict[str, list[Any]] = {field: [] for field in outputs.values()}
    for index, raw in enumerate(content.get("rules", []), start=1):
        rule_id = str(raw.get("_id", index))
        where = f"row {index} ({rule_id})"
        when: dict[str, Cell] = {}
        then: dict[str, Any] = {}
        try:
            for column_id, field in inputs.items():
                cell = parse_cell(raw.get(column_id, ""))
                if not cell.is_any:
                    when[field] = cell
                    cells_by_input[field].append(cell)
            for column_id, field in outputs.items():
                then[field] = _output_literal(str(raw.get(column_id, "")), where)
                values_by_output[field].append(then[field])
        except CellError as exc:
            issues.append(TableIssue(title, where, str(exc)))
            continue
        rules.append(Rule(rule_id, when, then, str(raw.get("_description", ""))))
    if issues:
        raise TableError(issues)
    input_types = {f: types.get(f) or _infer(c) for f, c in cells_by_input.items()}
    output_types = {f: types.get(f) or _infer_output(v) for f, v in values_by_output.items()}
    converted = tuple(
        Rule(
            r.id,
            r.when,
            {k: _convert(v, output_types[k]) for k in r.then for v in [r.then[k]]},
            r.why,
        )
        for r in rules
    )
    return DecisionTable(title, HitPolicy(policy_text), input_types, output_types, converted)


def _convert(value: Any, kind: ColumnType) -> Any:
    if value is None or not isinstance(value, Decimal):
        return value
    if kind is ColumnType.INT:
        return int(value)
    return float(value) if kind is ColumnType.FLOAT else value


def _out_literal(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def table_to_jdm(table: DecisionTable) -> dict[str, Any]:
    """Write a table as a JDM graph (request → table → response)."""
    for rule in table.rules:
        for column, cell in rule.when.items():
            if cell.kind is CellKind.NOT_IN:
                raise TableError(
                    [
                        TableIssue(
                            table.name, f"{rule.id}.{column}", "not(...) cells have no JDM form"
                        )
                    ]
                )
    inputs = [{"id": f"in_{n}", "name": n, "field": n} for n in table.inputs]
    outputs = [{"id": f"out_{n}", "name": n, "field": n} for n in table.outputs]
    rules = []
    for rule in table.rules:
        row: dict[str, str] = {"_id": rule.id}
        if rule.why:
            row["_description"] = rule.why
        for name in table.inputs:
            row[f"in_{name}"] = cell_text(rule.cell(name))
        for name in table.outputs:
            row[f"out_{name}"] = _out_literal(rule.then.get(name))
        rules.append(row)
    return {
        "nodes": [
            {"id": "request", "type": "inputNode", "name": "Request"},
            {
                "id": "table",
                "type": "decisionTableNode",
                "name": table.name,
                "content": {
                    "hitPolicy": table.hit_policy.value,
                    "inputs": inputs,
                    "outputs": outputs,
                    "rules": rules,
                },
            },
            {"id": "response", "type": "outputNode", "name": "Response"},
        ],
        "edges": [
            {"id": "e1", "sourceId": "request", "targetId": "table", "type": "edge"},
            {"id": "e2", "sourceId": "table", "targetId": "response", "type": "edge"},
        ],
    }
