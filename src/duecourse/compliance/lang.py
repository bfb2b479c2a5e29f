"""The rule language: conditions, counts, lifts and reasons as small typed expressions.

A rule's expressions are written like Python (``channel == "call" and tries >= limit``) and
read with :mod:`ast`, but only this subset is accepted: names (facts of
:mod:`duecourse.compliance.facts`, the rule's parameters, its counts and named values),
``past.<field>`` inside a count, literals (text, whole numbers, ``true``/``false``/``null`` and
lists of text), the domain's classes of outcomes and channels (:data:`CONSTANTS`),
``and``/``or``/``not``, one comparison (``== != < <= > >= in``, ``not in``), ``+``/``-`` and
the functions of :data:`FUNCTIONS`. :func:`parse` checks names, types and values and returns a
typed :class:`Node` tree; ``compliance/single.py`` runs it for one request and
``compliance/batch.py`` turns it into an ibis expression. ``null`` is an unknown: a comparison
with it is unknown, ``and``/``or``/``not`` follow three-valued logic (as SQL), and a condition
that is unknown does not fire.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from duecourse.compliance.facts import FIELDS, PAST_FIELDS
from duecourse.domain.model import (
    CONNECTED_OUTCOMES,
    FAILED_CALL_OUTCOMES,
    NOT_CONNECTED_OUTCOMES,
    REAL_TIME_CHANNELS,
    SUCCESS_OUTCOMES,
    UNANSWERED_OUTCOMES,
    Channel,
)

#: Function name → (argument types, result type). ``zone*``: any number of zones (a ``str``
#: zone or the ``zones`` fact); ``win``: a window parameter or a ``windows`` fact.
FUNCTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "local_date": (("instant", "str"), "date"),
    "local_time": (("instant", "str"), "str"),
    "weekday": (("instant", "str"), "int"),
    "next_midnight": (("instant", "str"), "instant"),
    "midnight_after": (("instant", "str", "int"), "instant"),
    "in_window": (("instant", "win", "zone*"), "bool"),
    "next_outside": (("instant", "win", "zone*"), "instant"),
    "days": (("int",), "interval"),
    "minutes": (("int",), "interval"),
    "years_after": (("date", "int"), "date"),
    "months_after": (("date", "int"), "date"),
    "days_after": (("date", "int"), "date"),
    "about_debt": (("set",), "bool"),
    "validation_end": (("date", "int", "int"), "date"),
}
#: The domain's classes of outcomes and channels, by the names a rule uses for them.
CONSTANTS: dict[str, tuple[str, ...]] = {
    name: tuple(sorted(str(v) for v in values))
    for name, values in {
        "UNANSWERED": UNANSWERED_OUTCOMES,
        "CONNECTED": CONNECTED_OUTCOMES,
        "NOT_CONNECTED": NOT_CONNECTED_OUTCOMES,
        "SUCCESS": SUCCESS_OUTCOMES,
        "FAILED_CALL": FAILED_CALL_OUTCOMES,
        # a request and the history name an AI call ``call`` (``by`` says who made it)
        "REAL_TIME": REAL_TIME_CHANNELS - {Channel.AI_CALL},
    }.items()
}
#: Functions with no batch face: a rule using one runs only in ``check-contact``.
SINGLE_FUNCTIONS = frozenset({"validation_end"})
_ORDERED = {"int", "decimal", "date", "instant"}
_CMP = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


@dataclass(frozen=True, slots=True)
class Node:
    """A typed expression: ``op`` is ``lit``, ``fact``, ``param``, ``local``, ``past``, an
    operator (``and or not neg == != < <= > >= in notin isnull notnull + -``) or a function
    name; ``value`` holds a literal's value or a reference's name."""

    op: str
    type: str
    args: tuple[Node, ...] = ()
    value: Any = None

    def names(self) -> set[tuple[str, str]]:
        """Every (kind, name) the expression reads."""
        here = {(self.op, self.value)} if self.op in {"fact", "param", "local", "past"} else set()
        for a in self.args:
            here |= a.names()
        return here

    def calls(self) -> set[str]:
        here = {self.op} if self.op in FUNCTIONS else set()
        for a in self.args:
            here |= a.calls()
        return here


class LangError(ValueError):
    """An expression that is not in the language; the message is bilingual."""


def param_type(value: Any) -> str:
    """The type of a parameter from its value."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, list | tuple):
        if len(value) == 2 and all(isinstance(v, str) and _WINDOW.match(v) for v in value):
            return "window"
        return "list"
    if isinstance(value, str) and re.fullmatch(r"\d+\.\d+", value):
        return "decimal"
    return "str"


@dataclass(frozen=True, slots=True)
class Scope:
    """What names mean in one expression."""

    params: Mapping[str, Any]
    locals: Mapping[str, str]  # name → type
    past: bool = False


def parse(text: str, scope: Scope, want: str | None = None) -> Node:
    """``text`` as a typed tree, or :class:`LangError` naming the first problem."""
    if not isinstance(text, str):
        raise LangError(f"应为表达式文本 · expected an expression as text, got {text!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as e:
        raise LangError(f"语法错误 · syntax error: {e.msg}") from None
    node = _node(tree, scope)
    if want is not None and not _fits(node.type, want):
        raise LangError(f"应为 {want} 类型，实为 {node.type} · expected {want}, got {node.type}")
    return node


def _fits(got: str, want: str) -> bool:
    return got == want or got == "null" or (want == "decimal" and got == "int")


def _node(e: ast.expr, s: Scope) -> Node:
    if isinstance(e, ast.Constant):
        return _literal(e.value)
    if isinstance(e, ast.Name):
        return _name(e.id, s)
    if isinstance(e, ast.Attribute):
        if not (isinstance(e.value, ast.Name) and e.value.id == "past"):
            raise LangError(f"未知名称 · unknown name {ast.unparse(e)!r}")
        if not s.past:
            raise LangError("past.* 只能用于计数 · past.* is only allowed in a count")
        f = PAST_FIELDS.get(e.attr)
        if f is None:
            raise LangError(
                f"未知的历史字段 · unknown history field past.{e.attr} "
                f"(known: {', '.join(PAST_FIELDS)})"
            )
        return Node("past", f.type, value=e.attr)
    if isinstance(e, ast.BoolOp):
        args = tuple(_want(_node(v, s), "bool") for v in e.values)
        return Node("and" if isinstance(e.op, ast.And) else "or", "bool", args)
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.Not):
        return Node("not", "bool", (_want(_node(e.operand, s), "bool"),))
    if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub):
        inner = _node(e.operand, s)
        if inner.op == "lit" and isinstance(inner.value, int):
            return Node("lit", "int", value=-inner.value)
        return Node("neg", _want(inner, "int").type, (inner,))
    if isinstance(e, ast.Compare):
        return _compare(e, s)
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add | ast.Sub):
        return _arith(e, s)
    if isinstance(e, ast.Call):
        return _call(e, s)
    if isinstance(e, ast.List | ast.Tuple):
        items = [_node(v, s) for v in e.elts]
        if not all(i.op == "lit" and i.type == "str" for i in items):
            raise LangError("列表只能包含文本 · a list holds text literals only")
        return Node("lit", "list", value=tuple(i.value for i in items))
    raise LangError(f"不支持的写法 · not in the language: {ast.unparse(e)!r}")


def _literal(value: Any) -> Node:
    if value is None:
        return Node("lit", "null")
    if isinstance(value, bool):
        return Node("lit", "bool", value=value)
    if isinstance(value, int):
        return Node("lit", "int", value=value)
    if isinstance(value, str):
        return Node("lit", "str", value=value)
    raise LangError(f"不支持的字面量 · unsupported literal {value!r}")


def _name(name: str, s: Scope) -> Node:
    if name in {"true", "false"}:
        return Node("lit", "bool", value=name == "true")
    if name == "null":
        return Node("lit", "null")
    if name in CONSTANTS:
        return Node("lit", "list", value=CONSTANTS[name])
    if name in s.locals:
        return Node("local", s.locals[name], value=name)
    if name in s.params:
        return Node("param", param_type(s.params[name]), value=name)
    f = FIELDS.get(name)
    if f is None:
        raise LangError(f"未知名称 · unknown name {name!r} (not a fact, parameter or count)")
    return Node("fact", f.type, value=name)


def _want(n: Node, t: str) -> Node:
    if not _fits(n.type, t):
        raise LangError(f"应为 {t} 类型，实为 {n.type} · expected {t}, got {n.type}")
    return n


def _values(n: Node) -> frozenset[str] | None:
    if n.op == "fact":
        return FIELDS[n.value].values
    if n.op == "past":
        return PAST_FIELDS[n.value].values
    return None


def _check_names(ref: Node, lit: Node) -> None:
    allowed = _values(ref)
    if allowed is None:
        return
    given = lit.value if lit.type == "list" else (lit.value,) if lit.type == "str" else ()
    if ref.op == "param":
        return
    bad = [v for v in given if v not in allowed]
    if bad:
        raise LangError(
            f"{ref.value} 不可能取值 {', '.join(bad)} · {ref.value} can never be "
            f"{', '.join(map(repr, bad))} (it is one of {', '.join(sorted(allowed))})"
        )


def _compare(e: ast.Compare, s: Scope) -> Node:
    if len(e.ops) != 1:
        raise LangError("一次只能比较一对 · one comparison at a time (use and)")
    left, right, op = _node(e.left, s), _node(e.comparators[0], s), e.ops[0]
    if isinstance(op, ast.In | ast.NotIn):
        if right.type in {"list", "set"} or (right.op == "param" and right.type == "list"):
            if left.type not in {"str", "null"}:
                raise LangError(f"in 左侧应为文本 · 'in' needs text on the left, got {left.type}")
            if right.op == "lit":
                _check_names(left, right)
            if left.op == "lit" and right.op in {"fact", "past"}:
                _check_names(right, left)
            return Node("in" if isinstance(op, ast.In) else "notin", "bool", (left, right))
        raise LangError(f"in 右侧应为列表 · 'in' needs a list on the right, got {right.type}")
    name = _CMP.get(type(op))
    if name is None:
        raise LangError(f"不支持的比较 · unsupported comparison in {ast.unparse(e)!r}")
    if "null" in {left.type, right.type}:
        if name not in {"==", "!="}:
            raise LangError("null 只能用 == 或 != 比较 · compare null with == or != only")
        other = right if left.type == "null" else left
        return Node("isnull" if name == "==" else "notnull", "bool", (other,))
    lt, rt = left.type, right.type
    numbers = {"int", "decimal"}
    if not (lt == rt or {lt, rt} <= numbers):
        raise LangError(f"不能比较 {lt} 与 {rt} · cannot compare {lt} with {rt}")
    if name not in {"==", "!="} and lt not in _ORDERED:
        raise LangError(f"{lt} 不能比较大小 · {lt} values have no order")
    if right.op == "lit":
        _check_names(left, right)
    if left.op == "lit":
        _check_names(right, left)
    return Node(name, "bool", (left, right))


def _arith(e: ast.BinOp, s: Scope) -> Node:
    left, right = _node(e.left, s), _node(e.right, s)
    op = "+" if isinstance(e.op, ast.Add) else "-"
    if left.type == right.type == "int":
        return Node(op, "int", (left, right))
    if left.type == "instant" and right.type == "interval":
        return Node(op, "instant", (left, right))
    raise LangError(
        f"不能计算 {left.type} {op} {right.type} · cannot compute {left.type} {op} {right.type}"
    )


def _call(e: ast.Call, s: Scope) -> Node:
    if not isinstance(e.func, ast.Name) or e.func.id not in FUNCTIONS:
        name = ast.unparse(e.func)
        raise LangError(f"未知函数 · unknown function {name!r} (known: {', '.join(FUNCTIONS)})")
    name = e.func.id
    wants, result = FUNCTIONS[name]
    args = tuple(_node(a, s) for a in e.args)
    fixed = [w for w in wants if w != "zone*"]
    if len(args) < len(fixed) or (len(args) > len(fixed) and "zone*" not in wants):
        raise LangError(f"{name} 参数个数不对 · {name} takes {len(fixed)} arguments")
    for i, a in enumerate(args):
        w = wants[i] if i < len(fixed) else "zone*"
        if w == "zone*":
            if a.type not in {"str", "zones"}:
                raise LangError(f"{name}: 应为时区 · expected a time zone, got {a.type}")
        elif w == "win":
            if not (a.type == "window" or a.type == "windows"):
                raise LangError(f"{name}: 应为时间窗 · expected a window, got {a.type}")
        else:
            _want(a, w)
    if name in {"in_window", "next_outside"} and len(args) < 3:
        raise LangError(f"{name}: 至少一个时区 · {name} needs at least one zone")
    return Node(name, result, args)


def conjuncts(n: Node) -> list[Node]:
    """The parts of a top-level ``and``."""
    return [c for a in n.args for c in conjuncts(a)] if n.op == "and" else [n]


def unreachable(n: Node, params: Mapping[str, Any]) -> str | None:
    """Why the conjunction ``n`` can never hold (two parts that exclude each other), if so."""
    allowed: dict[str, set[Any]] = {}
    for c in conjuncts(n):
        ref, vals = _constraint(c, params)
        if ref is None:
            continue
        before = allowed.get(ref)
        allowed[ref] = set(vals) if before is None else before & set(vals)
        if not allowed[ref]:
            return f"{ref} 的条件互相矛盾 · the conditions on {ref} exclude each other"
    return None


def _constraint(c: Node, params: Mapping[str, Any]) -> tuple[str | None, set[Any]]:
    if c.op == "fact" and c.type == "bool":
        return c.value, {True}
    if c.op == "not" and c.args[0].op == "fact" and c.args[0].type == "bool":
        return c.args[0].value, {False}
    if c.op in {"==", "in", "notin", "!="} and c.args[0].op == "fact":
        ref, other = c.args
        universe = FIELDS[ref.value].values or ({True, False} if ref.type == "bool" else None)
        if other.op == "param":
            value = params[other.value]
            vals = set(value) if isinstance(value, list | tuple) else {value}
        elif other.op == "lit":
            vals = set(other.value) if other.type == "list" else {other.value}
        else:
            return None, set()
        if c.op in {"==", "in"}:
            return ref.value, vals
        if universe is not None:
            return ref.value, set(universe) - vals
    return None, set()
