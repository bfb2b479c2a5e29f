"""The rule language for one request: each rule compiled once into Python closures.

``compile_rule`` turns a :class:`~duecourse.compliance.rule.Rule` into a function of the
request's facts and history that returns the rule's findings. Unknowns follow three-valued
logic (``None`` is unknown), as the batch's SQL does, so both paths agree on missing facts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

from duecourse.compliance import clock
from duecourse.compliance.facts import FIELDS, PAST_FIELDS, Facts
from duecourse.compliance.lang import Node
from duecourse.compliance.rule import Count, Rule, show
from duecourse.compliance.verdict import Finding

RuleFn = Callable[[Facts, Sequence[Facts], Sequence[Facts]], list[Finding]]


_zone = lru_cache(maxsize=512)(ZoneInfo)


def _hhmm(t: datetime) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _day(at: datetime, zone: str) -> date:
    return at.astimezone(_zone(zone)).date()


@lru_cache(maxsize=256)
def _windows(value: Any) -> list[clock.Window]:
    if not value:
        return []
    if isinstance(value[0], str):
        return [clock.parse_window(value)]
    return [clock.parse_window(w) for w in value]


def _zones(values: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for v in values:
        for z in (v,) if isinstance(v, str) else v or ():
            if z not in out:
                out.append(z)
    return out


def _in_window(at: datetime, wins: Any, *zones: Any) -> bool:
    windows = _windows(wins)
    if not windows:
        return False
    for zs in zones:
        for z in (zs,) if isinstance(zs, str) else zs:
            moment = at.astimezone(_zone(z)).time()
            for start, end in windows:
                if (start <= moment < end) if start <= end else (moment >= start or moment < end):
                    return True
    return False


def _next_outside(at: datetime, wins: Any, *zones: Any) -> datetime | None:
    return clock.next_outside(at, _zones(zones), _windows(wins))


def _midnight_after(at: datetime, zone: str, n: int) -> datetime:
    return datetime.combine(_day(at, zone) + timedelta(days=n), time(0), tzinfo=ZoneInfo(zone))


@lru_cache(maxsize=4096)
def validation_end(sent: date, receipt_days: int, period_days: int) -> date:
    """US-VAL-02: ``receipt_days`` business days (no weekends or US federal holidays) after
    ``sent``, then ``period_days`` more."""
    federal = holidays.country_holidays("US", years=range(sent.year, sent.year + 2))
    day, counted = sent, 0
    while counted < receipt_days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in federal:
            counted += 1
    return day + timedelta(days=period_days)


#: The Python face of each function of the language (``about_debt`` reads the facts).
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "local_date": _day,
    "local_time": lambda at, z: _hhmm(at.astimezone(_zone(z))),
    "weekday": lambda at, z: at.astimezone(_zone(z)).isoweekday(),
    "next_midnight": clock.next_local_midnight,
    "midnight_after": _midnight_after,
    "in_window": _in_window,
    "next_outside": _next_outside,
    "days": lambda n: timedelta(days=n),
    "minutes": lambda n: timedelta(minutes=n),
    "years_after": lru_cache(maxsize=8192)(lambda d, n: d + relativedelta(years=n)),
    "months_after": lru_cache(maxsize=8192)(lambda d, n: d + relativedelta(months=n)),
    "days_after": lambda d, n: d + timedelta(days=n),
    "validation_end": validation_end,
}
_NULL_SAFE = {"in_window", "next_outside"}


# --- code generation -------------------------------------------------------------------
# Each rule becomes the source of one Python function, compiled once: conditions are emitted
# as plain ``and``/``or`` where no part can be unknown, and through the helpers below where
# one can, so three-valued logic costs only where a fact may be missing.


def _nn(fn: Callable[..., Any], *args: Any) -> Any:
    return None if any(a is None for a in args) else fn(*args)


def _kand(*values: Any) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _kor(*values: Any) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _knot(v: Any) -> bool | None:
    return None if v is None else not v


_ENV: dict[str, Any] = {
    "_nn": _nn,
    "_kand": _kand,
    "_kor": _kor,
    "_knot": _knot,
    "_day": _day,
    "_past_day": None,  # set below
    "_show": show,
    "_timedelta": timedelta,
    "_op": operator,
    **{f"_F_{k}": v for k, v in FUNCTIONS.items()},
}
_PY_OP = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "+": "+", "-": "-"}
_OP_FN = {
    "==": "eq",
    "!=": "ne",
    "<": "lt",
    "<=": "le",
    ">": "gt",
    ">=": "ge",
    "+": "add",
    "-": "sub",
}


class _Gen:
    """Emits Python source for the expressions of one rule."""

    def __init__(self, params: Mapping[str, Any], nullable_locals: dict[str, bool]) -> None:
        self.params = params
        self.null_locals = nullable_locals
        self.consts: dict[str, Any] = {}
        self.temps = 0

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"

    def const(self, value: Any) -> str:
        name = f"_c{len(self.consts)}"
        self.consts[name] = value
        return name

    def nullable(self, n: Node) -> bool:
        op = n.op
        if op == "lit":
            return n.value is None
        if op == "param":
            return False
        if op == "fact":
            f = FIELDS[n.value]
            return f.nullable or (f.single_only and f.default is None)
        if op == "past":
            return PAST_FIELDS[n.value].nullable
        if op == "local":
            return self.null_locals[n.value]
        if op in {"isnull", "notnull", "in_window", "about_debt"}:
            return False
        if op == "next_outside":
            return True
        if op in {"in", "notin"}:
            return self.nullable(n.args[0])
        return any(self.nullable(a) for a in n.args)

    def val(self, n: Node) -> str:
        """A Python expression for the value of ``n`` (``None`` when unknown)."""
        op = n.op
        if op == "lit":
            return repr(n.value)
        if op == "param":
            value = params_value(self.params, n)
            return repr(value) if isinstance(value, bool | int | str) else self.const(value)
        if op == "fact":
            return f"f[{n.value!r}]"
        if op == "past":
            return f"p[{n.value!r}]"
        if op == "local":
            name = repr(n.value)
            return f"(l[{name}] if {name} in l else _local(_MAKERS, {name}, f, h, l))"
        if op in {"and", "or", "not"} and not self.nullable(n):
            return self.truth(n)
        if op == "and":
            return f"_kand({', '.join(self.val(a) for a in n.args)})"
        if op == "or":
            return f"_kor({', '.join(self.val(a) for a in n.args)})"
        if op == "not":
            return f"_knot({self.val(n.args[0])})"
        if op == "neg":
            return f"_nn(_op.neg, {self.val(n.args[0])})"
        if op == "isnull":
            return f"({self.val(n.args[0])} is None)"
        if op == "notnull":
            return f"({self.val(n.args[0])} is not None)"
        if op in {"in", "notin"}:
            left, right = (self.val(a) for a in n.args)
            word = "in" if op == "in" else "not in"
            if self.nullable(n.args[0]):
                return f"(None if (_x := {left}) is None else _x {word} {right})"
            return f"({left} {word} {right})"
        if op in _PY_OP:
            a, b = n.args
            if self.nullable(a) or self.nullable(b):
                x, y = self.temp(), self.temp()
                return (
                    f"(None if ({x} := {self.val(a)}) is None or ({y} := {self.val(b)}) is None "
                    f"else {x} {_PY_OP[op]} {y})"
                )
            return f"({self.val(a)} {_PY_OP[op]} {self.val(b)})"
        if op == "about_debt":
            return f"(not f['debt_group'].isdisjoint({self.val(n.args[0])}))"
        args = ", ".join(self.val(a) for a in n.args)
        if op in _NULL_SAFE or not any(self.nullable(a) for a in n.args):
            return f"_F_{op}({args})"
        return f"_nn(_F_{op}, {args})"

    def truth(self, n: Node) -> str:
        """A Python expression that is true exactly when ``n`` is true (not unknown)."""
        if n.op == "and":
            return "(" + " and ".join(self.truth(a) for a in n.args) + ")"
        if n.op == "or":
            return "(" + " or ".join(self.truth(a) for a in n.args) + ")"
        if n.op == "not":
            return self.falsity(n.args[0])
        if self.nullable(n):
            return f"({self.val(n)} is True)"
        return self.val(n)

    def falsity(self, n: Node) -> str:
        """True exactly when ``n`` is false (not unknown)."""
        if n.op == "and":
            return "(" + " or ".join(self.falsity(a) for a in n.args) + ")"
        if n.op == "or":
            return "(" + " and ".join(self.falsity(a) for a in n.args) + ")"
        if n.op == "not":
            return self.truth(n.args[0])
        if self.nullable(n):
            return f"({self.val(n)} is False)"
        return f"(not {self.val(n)})"


def params_value(params: Mapping[str, Any], n: Node) -> Any:
    value = params[n.value]
    return Decimal(value) if n.type == "decimal" else value


def _count_source(g: _Gen, c: Count) -> list[str]:
    lines = [f"def _count_{c.name}(f, h, l):", "    at = f['at']"]
    where = g.truth(c.where)
    if c.window == "local_day" and c.arg is not None:
        lines += [f"    zone = {g.val(c.arg)}", "    day = _day(at, zone)"]
        test = f"_past_day(p, zone) == day and {where}"
    elif c.window == "days" and c.arg is not None:
        lines += [f"    since = at - _timedelta(days={g.val(c.arg)})"]
        test = f"since < p['at'] <= at and {where}"
    else:
        test = where
    if c.of == "count":
        lines += [f"    return sum(1 for p in h if {test})"]
    elif c.of == "any":
        lines += [f"    return any({test} for p in h)"]
    else:
        assert c.value is not None
        lines += [
            f"    found = sorted(v for p in h if {test} and (v := {g.val(c.value)}) is not None)",
        ]
        if c.of == "latest":
            lines += ["    return found[-1] if found else None"]
        else:
            k = g.val(c.n) if c.n is not None else "1"
            lines += [
                f"    k = {k}",
                "    return found[len(found) - k] if 0 < k <= len(found) else None",
            ]
    return lines


def compile_rule(rule: Rule) -> RuleFn:
    """The rule as ``(facts, facts per debt, history) -> findings``, compiled from source."""
    null_locals = {c.name: c.of in {"latest", "nth_latest"} for c in rule.counts}
    g = _Gen(rule.params, null_locals)
    lines: list[str] = []
    makers: list[str] = []
    for c in rule.counts:
        lines += _count_source(g, c)
        makers.append(f"{c.name!r}: _count_{c.name}")
    for name, node in rule.values:
        null_locals[name] = g.nullable(node)
        lines += [f"def _value_{name}(f, h, l):", f"    return {g.val(node)}"]
        makers.append(f"{name!r}: _value_{name}")
    head = "def judge(f, h):" if not rule.each_debt else "def judge_one(f, h):"
    lines += [f"_MAKERS = {{{', '.join(makers)}}}", head]
    lines += ["    l = {}", "    out = []"]
    shown = {k: show(v) for k, v in rule.params.items()}
    for fr in rule.findings:
        dynamic = {
            k: f"_show({g.val(_ref(k, null_locals))})" for k in fr.reason.names() if k not in shown
        }
        values = "{" + ", ".join(f"{k!r}: {v}" for k, v in dynamic.items()) + "}"
        lift = g.val(fr.lift) if fr.lift is not None else "None"
        text, verdict = g.const(fr.reason.text()), g.const(fr.verdict)
        lines += [
            f"    if {g.truth(fr.when)}:",
            f"        out.append(_Finding({rule.id!r}, {verdict}, "
            f"{text}.format_map({{**_SHOWN, **{values}}}), {lift}))",
        ]
    lines += ["    return out"]
    if rule.each_debt:
        lines += [
            "def judge(f, debts, h):",
            "    return [x for d in debts for x in judge_one(d, h)]",
        ]
    else:
        lines[lines.index(head)] = "def judge(f, debts, h):"
    env = {**_ENV, **g.consts, "_local": _local, "_Finding": Finding, "_SHOWN": shown}
    env["_past_day"] = _past_day
    exec(compile("\n".join(lines), f"<rule {rule.id}>", "exec"), env)
    judge: RuleFn = env["judge"]
    return judge


def _ref(name: str, locals_: Mapping[str, bool]) -> Node:
    if name in locals_:
        return Node("local", "", value=name)
    return Node("fact", FIELDS[name].type, value=name)


def _past_day(p: Facts, zone: str) -> date:
    key = ("day", zone)
    day = p.get(key)  # type: ignore[call-overload]
    if day is None:
        day = p[key] = _day(p["at"], zone)  # type: ignore[index]
    return day  # type: ignore[no-any-return]


def _local(
    makers: Mapping[str, Callable[..., Any]],
    name: str,
    facts: Facts,
    history: Sequence[Facts],
    known: dict[str, Any],
) -> Any:
    """A rule's count or named value, computed when first read and kept in ``known``."""
    value = known[name] = makers[name](facts, history, known)
    return value


__all__ = ["compile_rule", "validation_end"]
