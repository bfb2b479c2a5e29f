"""Condition cells of a decision table, in the unary-test syntax GoRules JDM also uses.

=====================  =====================================================
cell                   matches
=====================  =====================================================
(empty), ``-``         anything, a missing value included
``> 10``, ``<= 2.5``   a number compared with the bound
``[1..30]``            1 ≤ x ≤ 30; ``(`` and ``)`` make an end open
``"a", "b"``           one of the strings (numbers and ``true``/``false`` too)
``not("a", "b")``      none of them (not in JDM; duecourse YAML only)
=====================  =====================================================

A missing (null) value matches only the empty cell, as in SQL and in zen-engine, where a
comparison with null is not true and evaluation falls through to the next row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

Scalar = str | bool | Decimal


class CellKind(StrEnum):
    """The shape of a condition."""

    ANY = "any"
    INTERVAL = "interval"
    IN = "in"
    NOT_IN = "not_in"


class CellError(ValueError):
    """A cell that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One parsed condition.

    Attributes:
        low, high: interval bounds (``None`` = unbounded) for ``INTERVAL``.
        values: the members for ``IN`` and ``NOT_IN``.
        text: the cell as written, for explanations.
    """

    kind: CellKind
    text: str = ""
    low: Decimal | None = None
    high: Decimal | None = None
    low_closed: bool = True
    high_closed: bool = True
    values: frozenset[Scalar] = field(default_factory=frozenset)

    @property
    def is_any(self) -> bool:
        return self.kind is CellKind.ANY

    def matches(self, value: Any) -> bool:
        """Whether ``value`` satisfies the cell (``None`` only satisfies the empty cell)."""
        if self.kind is CellKind.ANY:
            return True
        if value is None or (isinstance(value, float) and value != value):  # null or NaN
            return False
        if self.kind is CellKind.INTERVAL:
            number = _number(value)
            return _above_low(self, number) and _below_high(self, number)
        member = _scalar(value)
        return (member in self.values) == (self.kind is CellKind.IN)

    def covers(self, other: Cell) -> bool:
        """Whether every value matching ``other`` also matches this cell."""
        if self.kind is CellKind.ANY:
            return True
        if other.kind is CellKind.ANY:
            return False
        if self.kind is CellKind.INTERVAL and other.kind is CellKind.INTERVAL:
            return _low_le(self, other) and _high_ge(self, other)
        if self.kind is CellKind.IN:
            return other.kind is CellKind.IN and other.values <= self.values
        if self.kind is CellKind.NOT_IN:
            if other.kind is CellKind.IN:
                return not (other.values & self.values)
            if other.kind is CellKind.NOT_IN:
                return self.values <= other.values
        return False

    def overlaps(self, other: Cell) -> bool:
        """Whether some value matches both cells."""
        if self.is_any or other.is_any:
            return True
        if self.kind is CellKind.INTERVAL and other.kind is CellKind.INTERVAL:
            return _intervals_meet(self, other)
        if self.kind is CellKind.IN and other.kind is CellKind.IN:
            return bool(self.values & other.values)
        if CellKind.NOT_IN in (self.kind, other.kind):
            pos, neg = (self, other) if self.kind is CellKind.IN else (other, self)
            return pos.kind is CellKind.NOT_IN or bool(pos.values - neg.values)
        return True  # an interval against a set: mixed types are rejected by validation


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _scalar(value: Any) -> Scalar:
    if isinstance(value, bool | str):
        return value
    return _number(value)


def _above_low(cell: Cell, number: Decimal) -> bool:
    if cell.low is None:
        return True
    return number >= cell.low if cell.low_closed else number > cell.low


def _below_high(cell: Cell, number: Decimal) -> bool:
    if cell.high is None:
        return True
    return number <= cell.high if cell.high_closed else number < cell.high


def _low_le(a: Cell, b: Cell) -> bool:
    """a's lower end is at or below b's."""
    if a.low is None:
        return True
    if b.low is None:
        return False
    return a.low < b.low or (a.low == b.low and (a.low_closed or not b.low_closed))


def _high_ge(a: Cell, b: Cell) -> bool:
    if a.high is None:
        return True
    if b.high is None:
        return False
    return a.high > b.high or (a.high == b.high and (a.high_closed or not b.high_closed))


def _intervals_meet(a: Cell, b: Cell) -> bool:
    lows = [c for c in (a, b) if c.low is not None]
    highs = [c for c in (a, b) if c.high is not None]
    if not lows or not highs:
        return True
    low = max(lows, key=lambda c: (c.low, not c.low_closed))
    high = min(highs, key=lambda c: (c.high, c.high_closed))
    assert low.low is not None and high.high is not None
    if low.low < high.high:
        return True
    return low.low == high.high and low.low_closed and high.high_closed


COMPARISON = re.compile(r"^(<=|>=|<|>|==|=)\s*(-?\d+(?:\.\d+)?)$")
INTERVAL = re.compile(r"^([\[(])\s*(-?\d+(?:\.\d+)?)\s*\.\.\s*(-?\d+(?:\.\d+)?)\s*([\])])$")
NEGATED = re.compile(r"^not\s*\((.*)\)$", re.DOTALL)
ITEM = re.compile(r'\s*("(?:[^"\\]|\\.)*"|true|false|-?\d+(?:\.\d+)?)\s*(,|$)')


def _items(text: str) -> frozenset[Scalar]:
    values: set[Scalar] = set()
    pos = 0
    while pos < len(text):
        match = ITEM.match(text, pos)
        if not match or match.end() == pos:
            raise CellError(f"cannot read {text!r}: expected quoted strings, numbers or booleans")
        token = match.group(1)
        if token.startswith('"'):
            values.add(token[1:-1].replace('\\"', '"'))
        elif token in {"true", "false"}:
            values.add(token == "true")
        else:
            values.add(Decimal(token))
        pos = match.end()
    if not values:
        raise CellError(f"no values in {text!r}")
    return frozenset(values)


def parse_cell(raw: Any) -> Cell:
    """Read one condition cell (a YAML scalar, list or a unary-test string)."""
    if raw is None:
        return Cell(CellKind.ANY)
    if isinstance(raw, bool):
        return Cell(CellKind.IN, "true" if raw else "false", values=frozenset({raw}))
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
        return Cell(CellKind.IN, str(raw), values=frozenset({number}))
    if isinstance(raw, list | tuple):
        return parse_cell(", ".join(_literal(v) for v in raw))
    text = str(raw).strip()
    if text in {"", "-"}:
        return Cell(CellKind.ANY, text)
    try:
        if match := COMPARISON.match(text):
            op, bound = match.group(1), Decimal(match.group(2))
            if op in {"=", "=="}:
                return Cell(CellKind.IN, text, values=frozenset({bound}))
            low = bound if op in {">", ">="} else None
            high = bound if op in {"<", "<="} else None
            return Cell(CellKind.INTERVAL, text, low, high, op == ">=", op == "<=")
        if match := INTERVAL.match(text):
            low, high = Decimal(match.group(2)), Decimal(match.group(3))
            if low > high:
                raise CellError(f"{text!r}: the interval is empty")
            return Cell(
                CellKind.INTERVAL, text, low, high, match.group(1) == "[", match.group(4) == "]"
            )
        if match := NEGATED.match(text):
            return Cell(CellKind.NOT_IN, text, values=_items(match.group(1)))
        return Cell(CellKind.IN, text, values=_items(text))
    except InvalidOperation:
        raise CellError(f"cannot read the number in {text!r}") from None


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return '"' + str(value).replace('"', '\\"') + '"'


def cell_text(cell: Cell) -> str:
    """The cell in unary-test syntax (what JDM export writes)."""
    if cell.kind is CellKind.ANY:
        return ""
    if cell.kind is CellKind.INTERVAL:
        if cell.low is not None and cell.high is not None:
            left = "[" if cell.low_closed else "("
            right = "]" if cell.high_closed else ")"
            return f"{left}{cell.low}..{cell.high}{right}"
        if cell.low is not None:
            return f"{'>=' if cell.low_closed else '>'} {cell.low}"
        return f"{'<=' if cell.high_closed else '<'} {cell.high}"
    body = ", ".join(sorted(_literal(v) for v in cell.values))
    return body if cell.kind is CellKind.IN else f"not({body})"
