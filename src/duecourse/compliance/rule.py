"""A rule as data: conditions, counts over the history, verdicts, lifts and reasons.

Rules are written in pack files (``compliance/packs/*.yaml``, read by
``compliance/rulefile.py``); this module holds what a read rule is. Both interpreters —
``compliance/single.py`` for one request, ``compliance/batch.py`` for a table of requests —
read these records, so a rule is defined once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any

from duecourse.compliance.facts import FIELDS
from duecourse.compliance.lang import Node
from duecourse.compliance.verdict import Verdict

#: Rules that are named functions with both faces (``compliance/plugins.py``).
PLUGINS = frozenset({"message_content"})


@dataclass(frozen=True, slots=True)
class Count:
    """A reduction over the contact history, per request.

    Attributes:
        of: ``count`` (how many), ``any`` (whether one), ``latest`` (the latest ``value``) or
            ``nth_latest`` (the ``n``-th latest ``value``; ``null`` when fewer).
        window: ``all``; ``local_day`` (the request's local day in the zone ``arg``; entries
            later that day count too); ``days`` (``at - arg days < past.at <= at``).
    """

    name: str
    of: str
    where: Node
    window: str
    arg: Node | None = None
    value: Node | None = None
    n: Node | None = None


@dataclass(frozen=True, slots=True)
class Template:
    """A reason with ``{name}`` placeholders (parameters, facts, counts, named values)."""

    zh: str
    en: str

    def text(self) -> str:
        return f"{self.zh} · {self.en}"

    def names(self) -> list[str]:
        return [f for _, f, _, _ in Formatter().parse(self.text()) if f]


@dataclass(frozen=True, slots=True)
class FindingRule:
    """One finding a rule may make: when it fires, its verdict, when a block lifts, why."""

    verdict: Verdict
    when: Node
    reason: Template
    lift: Node | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a pack.

    Attributes:
        title: English title; ``title_zh`` the Chinese one.
        grade: ``V`` (primary text read), ``S`` (secondary), ``R`` (recollection).
        params: the rule's numbers and switches (a lender's overrides change them).
        counts, values, findings: the rule's body, in the language of ``compliance/lang.py``.
        each_debt: judged once per debt of the contact (US-FREQ: per person and debt).
        plugin: the named function that is the rule (``message_content``), else ``None``.
        origin: the file the rule came from.
    """

    id: str
    title: str
    title_zh: str
    source: str
    grade: str
    params: Mapping[str, Any]
    counts: tuple[Count, ...] = ()
    values: tuple[tuple[str, Node], ...] = ()
    findings: tuple[FindingRule, ...] = ()
    each_debt: bool = False
    plugin: str | None = None
    origin: str = ""

    def nodes(self) -> list[Node]:
        out = [n for c in self.counts for n in (c.where, c.arg, c.value, c.n) if n is not None]
        out += [n for _, n in self.values]
        out += [n for f in self.findings for n in (f.when, f.lift) if n is not None]
        return out

    @property
    def batch(self) -> bool:
        """Whether the daily run checks it: some finding can fire with the facts the store
        holds (single-only facts at their defaults)."""
        return self.in_batch()

    def in_batch(self, given: frozenset[str] = frozenset()) -> bool:
        """Whether some finding can fire in a batch whose table has the single-only facts
        ``given``."""
        return self.plugin is not None or any(batch_can_fire(f.when, given) for f in self.findings)

    @property
    def zoned(self) -> bool:
        """Whether it converts times in the debtor's own zone (the batch then builds it per
        zone, so each conversion has a constant zone)."""
        return any(("fact", z) in n.names() for n in self.nodes() for z in ("zone", "zones"))

    def lookback(self) -> int | None:
        """Days of history before a request the counts read (``None``: all of it)."""
        days = 0
        for c in self.counts:
            if c.window == "all":
                return None
            if c.window == "local_day":
                days = max(days, 2)
            elif c.window == "days" and c.arg is not None:
                days = max(days, constant(c.arg, self.params) + 1)
        return days


def constant(n: Node, params: Mapping[str, Any]) -> Any:
    """The value of an expression of literals and parameters (``int`` arithmetic)."""
    if n.op == "lit":
        return n.value
    if n.op == "param":
        return params[n.value]
    if n.op in {"+", "-"}:
        a, b = (constant(x, params) for x in n.args)
        return a + b if n.op == "+" else a - b
    raise ValueError(f"not a constant: {n.op}")


def show(value: Any) -> str:
    """A parameter or value as a reason shows it: windows ``22:00–08:00``, lists joined."""
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, str) and ":" in v for v in value):
            return f"{value[0]}–{value[1]}"
        return ", ".join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)


_DYN = object()


def _static(
    n: Node,
    known: Mapping[str, Any],
    params: Mapping[str, Any],
    given: frozenset[str] = frozenset(),
) -> Any:
    """The value of ``n`` from ``known`` facts (single-only facts at their defaults) when the
    rest does not matter, else a marker."""
    if n.op == "lit":
        return n.value
    if n.op == "param":
        return params.get(n.value, _DYN)
    if n.op == "fact":
        if n.value in known:
            return known[n.value]
        f = FIELDS[n.value]
        return f.default if f.single_only and n.value not in given else _DYN
    args = [_static(a, known, params, given) for a in n.args]
    if n.op == "and":
        if any(a is False for a in args):
            return False
        if any(a is None for a in args):
            return None
        return True if all(a is True for a in args) else _DYN
    if n.op == "or":
        if any(a is True for a in args):
            return True
        return False if all(a is False or a is None for a in args) else _DYN
    if n.op == "not":
        return _DYN if args[0] is _DYN else (None if args[0] is None else not args[0])
    if n.op in {"isnull", "notnull"}:
        return _DYN if args[0] is _DYN else (args[0] is None) is (n.op == "isnull")
    if n.op == "in_window" and args[1] == ():
        return False
    if n.op in {"==", "!=", "in", "notin"} and not any(a is _DYN or a is None for a in args):
        a, b = args
        if n.op in {"in", "notin"}:
            return (a in b) is (n.op == "in")
        return (a == b) is (n.op == "==")
    if any(a is None for a in args) and n.op not in {"in_window", "next_outside"}:
        return None
    return _DYN


def batch_can_fire(when: Node, given: frozenset[str] = frozenset()) -> bool:
    """Whether a condition can hold in the batch, where single-only facts keep their defaults
    unless the table has them (``given``)."""
    return _static(when, {}, {}, given) not in (False, None)


def may_fire(when: Node, known: Mapping[str, Any], params: Mapping[str, Any]) -> bool | None:
    """Whether a condition holds given some facts: ``True`` always, ``False`` never, ``None``
    when it depends on the others."""
    value = _static(when, known, params)
    return value if isinstance(value, bool) else None if value is _DYN else False
