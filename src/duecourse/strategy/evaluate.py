"""The reference evaluator: plain Python, one row at a time. It is the oracle for the compiler."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from duecourse.strategy.table import DecisionTable, HitPolicy, Rule


@dataclass(frozen=True, slots=True)
class Decision:
    """What a table decided for one input row.

    Attributes:
        outputs: output values; under ``collect``, a list per output in row order.
        matched: ids of the rows that matched (one under ``first``).
    """

    outputs: dict[str, Any]
    matched: tuple[str, ...]
    rules: tuple[Rule, ...]


def rule_matches(rule: Rule, row: Mapping[str, Any]) -> bool:
    return all(cell.matches(row.get(column)) for column, cell in rule.when.items())


def evaluate(table: DecisionTable, row: Mapping[str, Any]) -> Decision:
    """Evaluate ``table`` on one input row."""
    if table.hit_policy is HitPolicy.FIRST:
        for rule in table.rules:
            if rule_matches(rule, row):
                return Decision(dict(rule.then), (rule.id,), (rule,))
        return Decision(dict.fromkeys(table.outputs), (), ())
    hits = tuple(rule for rule in table.rules if rule_matches(rule, row))
    outputs = {name: [rule.then.get(name) for rule in hits] for name in table.outputs}
    return Decision(outputs, tuple(r.id for r in hits), hits)
