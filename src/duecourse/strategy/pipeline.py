"""A strategy: a small pipeline of decision tables (segmentation → treatment → action).

Each table sees the facts and the outputs of the tables before it. The last table must decide
``action``, ``channel``, ``priority`` and ``cadence_days`` (do not repeat the same action within
that many days). Strategies are data; :func:`strategy_from_dict` reads one.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

import ibis.expr.types as ir

from duecourse.domain.facts import FLAG_COLUMNS, AccountFacts
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.compile import MATCHED, with_outputs
from duecourse.strategy.evaluate import Decision, evaluate
from duecourse.strategy.table import (
    ColumnType,
    DecisionTable,
    HitPolicy,
    TableError,
    TableIssue,
    table_from_dict,
)
from duecourse.strategy.validate import validate_table

REQUIRED_OUTPUTS = {
    "action": ColumnType.STRING,
    "channel": ColumnType.STRING,
    "priority": ColumnType.INT,
    "cadence_days": ColumnType.INT,
}
#: Inputs the daily run adds to the facts: bucket steps since the account's last recent plan.
DERIVED_INPUTS = {"bucket_jump": ColumnType.INT}
#: How recent (days before the run's day) a stored plan must be for ``bucket_jump`` to compare
#: with it; an older or absent one gives a jump of 0 (``docs/strategies.md``, Catch-up).
CATCH_UP_DAYS = 7
_PY_TYPES = {
    int: ColumnType.INT,
    Decimal: ColumnType.DECIMAL,
    str: ColumnType.STRING,
    bool: ColumnType.BOOL,
    date: ColumnType.STRING,
}


def fact_columns() -> dict[str, ColumnType]:
    """Every column a strategy table may read, with its type."""
    hints = typing.get_type_hints(AccountFacts)
    out: dict[str, ColumnType] = {}
    for f in fields(AccountFacts):
        if f.name == "flags":
            continue
        hint = hints[f.name]
        base = next((t for t in typing.get_args(hint) if t is not type(None)), hint)
        out[f.name] = _PY_TYPES.get(base, ColumnType.STRING)
    out.update(dict.fromkeys(FLAG_COLUMNS, ColumnType.BOOL))
    out.update(DERIVED_INPUTS)
    return out


@dataclass(frozen=True, slots=True)
class Strategy:
    """A named pipeline of first-hit tables, optionally for one lender type."""

    name: str
    tables: tuple[DecisionTable, ...]
    lender_type: str | None = None
    description: str = ""

    @property
    def inputs(self) -> list[str]:
        """The fact columns the strategy reads (not the outputs of its own tables)."""
        produced: set[str] = set()
        used: list[str] = []
        for table in self.tables:
            used += [c for c in table.inputs if c not in produced and c not in used]
            produced |= set(table.outputs)
        return used


def strategy_from_dict(data: Mapping[str, Any]) -> Strategy:
    """Read a strategy from plain data whose ``tables`` are table mappings."""
    name = str(data.get("name") or "unnamed")
    raw_tables = data.get("tables")
    if not isinstance(raw_tables, list) or not raw_tables:
        raise TableError([TableIssue(name, "tables", "a strategy needs at least one table")])
    issues: list[TableIssue] = []
    tables = []
    for raw in raw_tables:
        try:
            tables.append(table_from_dict(raw))
        except TableError as exc:
            issues += exc.issues
    if issues:
        raise TableError(issues)
    lender_type = data.get("lender_type")
    return Strategy(
        name,
        tuple(tables),
        str(lender_type) if lender_type else None,
        str(data.get("description", "")),
    )


def validate_strategy(strategy: Strategy) -> list[TableIssue]:
    """Every table's issues, with columns checked against the facts and earlier outputs."""
    available = fact_columns()
    issues: list[TableIssue] = []
    for table in strategy.tables:
        if table.hit_policy is not HitPolicy.FIRST:
            issues.append(
                TableIssue(
                    table.name,
                    "hit_policy",
                    "strategy tables decide one row per account: use 'first'",
                )
            )
        issues += validate_table(table, available)
        available = {**available, **table.outputs}
    last = strategy.tables[-1]
    for name, kind in REQUIRED_OUTPUTS.items():
        if last.outputs.get(name) != kind:
            issues.append(
                TableIssue(last.name, "outputs", f"the last table must output {name} ({kind})")
            )
    for rule in last.rules:
        action = rule.then.get("action")
        if action is not None and action not in ACTIONS:
            issues.append(TableIssue(last.name, f"row {rule.id}", f"unknown action {action!r}"))
    return issues


def cadence_horizons(strategies: Iterable[Strategy]) -> dict[str, int] | None:
    """Per action, the most days any row of the strategies' last tables waits before it is
    planned again: a plan older than that can hold no account back today. ``None`` when a
    row gives no constant action and cadence (then every past plan may count)."""
    horizons: dict[str, int] = {}
    for strategy in strategies:
        for rule in strategy.tables[-1].rules:
            action, days = rule.then.get("action"), rule.then.get("cadence_days")
            if not isinstance(action, str) or not isinstance(days, int):
                return None
            horizons[action] = max(horizons.get(action, 0), days)
    return horizons


@dataclass(frozen=True, slots=True)
class StrategyDecision:
    """The reference result for one account: final outputs and each table's decision."""

    outputs: dict[str, Any]
    steps: tuple[tuple[DecisionTable, Decision], ...]


def run_reference(strategy: Strategy, facts: Mapping[str, Any]) -> StrategyDecision:
    """Evaluate the pipeline on one account with the reference evaluator."""
    row = dict(facts)
    steps = []
    for table in strategy.tables:
        decision = evaluate(table, row)
        row.update(decision.outputs)
        steps.append((table, decision))
    outputs = {k: row[k] for t in strategy.tables for k in t.outputs}
    return StrategyDecision(outputs, tuple(steps))


def compile_strategy(strategy: Strategy, t: ir.Table) -> ir.Table:
    """Add every table's outputs, and ``<table>_row`` (the row matched), to ``t``."""
    for table in strategy.tables:
        t = with_outputs(table, t).rename({f"{table.name}_row": MATCHED})
    return t
