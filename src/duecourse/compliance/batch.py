"""The rule language over many requests: each rule compiled into ibis expressions.

The requests table has one row per contact to check (the columns of
:data:`duecourse.compliance.facts.BATCH_FIELDS`, plus ``request_id`` and ``debtor_id``); the
history table one row per earlier contact (:data:`~duecourse.compliance.facts.PAST_FIELDS`),
joined on ``debtor_id``. Counts become aggregates over the join; each finding a column
``hit_N``, with ``lift_N`` and ``reason_N`` where it has them. :func:`combine_hits` combines
them as :func:`duecourse.compliance.verdict.combine` does one request's findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from string import Formatter
from typing import Any

import ibis
import ibis.expr.types as ir

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.batch_clock import UTC
from duecourse.compliance.facts import COLUMN, FIELDS, SINGLE_ONLY
from duecourse.compliance.lang import Node
from duecourse.compliance.plugins import message_content_batch
from duecourse.compliance.rule import Rule, batch_can_fire, show
from duecourse.compliance.verdict import Verdict


@dataclass(frozen=True, slots=True)
class BatchRule:
    """A rule the batch runs (what :func:`guard_hits` needs); ``face`` is the rule."""

    id: str
    params: Mapping[str, Any]
    face: Rule = field(repr=False)


def lookback(rules: Sequence[BatchRule]) -> int | None:
    """Days of history the rules need before a request's instant; ``None`` for all of it."""
    days = [r.face.lookback() for r in rules]
    if any(d is None for d in days):
        return None
    return max((d for d in days if d is not None), default=0)


def pairs(requests: ir.Table, history: ir.Table) -> ir.Table:
    """Each request with each earlier contact of its debtor; history columns prefixed ``h_``."""
    h = history.rename({f"h_{c}": c for c in history.columns})
    return requests.inner_join(h, requests.debtor_id == h.h_debtor_id)


def _day_key(zone: Any) -> str:
    return f"d_{zone}" if isinstance(zone, str) else "d_row"


def day_bounds(requests: ir.Table, rules: Sequence[BatchRule]) -> dict[str, ir.Value]:
    """For each zone a ``local_day`` window names, the request's local day as two instants
    (``<key>_lo`` its midnight, ``<key>_hi`` the next), computed once per request: a window
    then compares ``past.at`` with them instead of converting every pair's instants."""
    out: dict[str, ir.Value] = {}
    for r in rules:
        ctx = _Ctx(requests, r.face.params, {})
        for count in r.face.counts:
            if count.window != "local_day" or count.arg is None:
                continue
            zone = expr(count.arg, ctx)
            key = _day_key(zone)
            if f"{key}_lo" not in out:
                day = bc.local_day(requests.at, zone)
                out[f"{key}_lo"] = bc.instant(day.cast("timestamp"), zone)
                out[f"{key}_hi"] = bc.next_local_midnight(requests.at, zone)
    return out


def _lit(v: Any) -> Any:
    return ibis.literal(v) if isinstance(v, bool | int | str | Decimal) else v


@dataclass
class _Ctx:
    t: ir.Table
    params: Mapping[str, Any]
    locals: dict[str, Any]


def expr(n: Node, c: _Ctx) -> Any:
    """``n`` over the table of ``c`` (Python values for literals and parameters)."""
    op = n.op
    if op == "lit":
        return n.value
    if op == "param":
        return Decimal(c.params[n.value]) if n.type == "decimal" else c.params[n.value]
    if op == "fact":
        f = FIELDS[n.value]
        if f.single_only and n.value not in c.t.columns:
            return f.default
        if n.value == "zones":
            return [c.t.zone]
        return c.t[COLUMN.get(n.value, n.value)]
    if op == "past":
        return c.t[f"h_{n.value}"]
    if op == "local":
        return c.locals[n.value]
    if op == "about_debt":
        return c.t.h_debts.contains(ibis.literal(",").concat(c.t.debt, ","))
    a = [expr(x, c) for x in n.args]
    if op in {"and", "or"}:
        out = _lit(a[0])
        for x in a[1:]:
            out = (out & _lit(x)) if op == "and" else (out | _lit(x))
        return out
    if op == "not":
        return ~_lit(a[0])
    if op == "neg":
        return -a[0]
    if op == "isnull":
        return ibis.literal(True) if a[0] is None else _lit(a[0]).isnull()
    if op == "notnull":
        return ibis.literal(False) if a[0] is None else _lit(a[0]).notnull()
    if op in {"in", "notin"}:
        left, right = a
        if n.args[1].type == "set":
            hit = right.contains(ibis.literal(",").concat(_lit(left), ","))
        elif left is None:
            return ibis.null("boolean")
        else:
            hit = _lit(left).isin(tuple(right))
        return hit if op == "in" else ~hit
    if op in {"==", "!=", "<", "<=", ">", ">=", "+", "-"}:
        left, right = a
        if left is None or right is None:
            return ibis.null("boolean") if op not in {"+", "-"} else ibis.null()
        left = _lit(left) if not isinstance(right, ir.Value) else left
        return {
            "==": lambda: left == right,
            "!=": lambda: left != right,
            "<": lambda: left < right,
            "<=": lambda: left <= right,
            ">": lambda: left > right,
            ">=": lambda: left >= right,
            "+": lambda: left + right,
            "-": lambda: left - right,
        }[op]()
    return _call(op, a)


def _zones(args: Sequence[Any]) -> list[Any]:
    return [z for a in args for z in (a if isinstance(a, list) else [a])]


def _call(op: str, a: list[Any]) -> Any:
    if op == "local_date":
        return bc.local_day(a[0], a[1])
    if op == "local_time":
        return bc.local(a[0], a[1]).strftime("%H:%M")
    if op == "weekday":
        return bc.local(a[0], a[1]).day_of_week.index() + 1
    if op == "next_midnight":
        return bc.next_local_midnight(a[0], a[1])
    if op == "midnight_after":
        start = bc.local_day(a[0], a[1]).cast("timestamp") + ibis.interval(days=a[2])
        return bc.instant(start, a[1])
    if op in {"in_window", "next_outside"}:
        if not a[1]:
            return ibis.literal(False) if op == "in_window" else ibis.null(UTC)
        window, zones = a[1], _zones(a[2:])
        if op == "next_outside":
            return bc.next_outside(a[0], zones, window)
        out = bc.in_window(a[0], zones[0], window)
        for z in zones[1:]:
            out |= bc.in_window(a[0], z, window)
        return out
    if op == "days":
        return ibis.interval(days=a[0])
    if op == "minutes":
        return ibis.interval(minutes=a[0])
    if op in {"years_after", "months_after", "days_after"}:
        unit = op.split("_")[0]
        return None if a[0] is None else (a[0] + ibis.interval(**{unit: a[1]})).cast("date")
    raise ValueError(f"{op} has no batch face")


def _shown(value: Any) -> ir.StringValue:
    """A value as :func:`duecourse.compliance.rule.show` writes it (dates ``YYYY-MM-DD``)."""
    if not isinstance(value, ir.Value):
        return ibis.literal(show(value))
    if value.type().is_date() or value.type().is_timestamp():
        return value.strftime("%Y-%m-%d").fill_null("")
    return value.cast("string").fill_null("")


def reason(rule: Rule, text: str, c: _Ctx) -> ir.StringValue | str:
    """A reason template filled over the table (a plain string when nothing varies)."""
    shown = {k: show(v) for k, v in rule.params.items()}
    parts: list[Any] = []
    for literal, name, _, _ in Formatter().parse(text):
        if literal:
            parts.append(literal)
        if name:
            if name in shown:
                parts.append(shown[name])
            else:
                node = (
                    Node("local", "", value=name)
                    if name in c.locals
                    else Node("fact", FIELDS[name].type, value=name)
                )
                parts.append(_shown(expr(node, c)))
    if all(isinstance(p, str) for p in parts):
        return "".join(parts)
    out = ibis.literal("")
    for p in parts:
        out = out.concat(p)
    return out


def _window(rule: Rule, count: Any, p: ir.Table, ctx: _Ctx) -> Any:
    if count.window == "local_day":
        key = _day_key(expr(count.arg, ctx))
        return (p.h_at >= p[f"{key}_lo"]) & (p.h_at < p[f"{key}_hi"])
    if count.window == "days":
        since = p.at - ibis.interval(
            days=expr(count.arg, ctx) if count.arg.op == "param" else _const(count.arg, rule)
        )
        return (p.h_at > since) & (p.h_at <= p.at)
    return ibis.literal(True)


def _const(n: Node, rule: Rule) -> int:
    from duecourse.compliance.rule import constant

    return int(constant(n, rule.params))


def aggregates(rule: Rule, prefix: str, p: ir.Table) -> dict[str, ir.Scalar]:
    """The rule's counts as reductions over requests joined to history (one row per pair)."""
    out: dict[str, ir.Scalar] = {}
    ctx = _Ctx(p, rule.params, {})
    for count in rule.counts:
        name = f"{prefix}_{count.name}"
        cond = (_lit(expr(count.where, ctx)) & _window(rule, count, p, ctx)).fill_null(False)
        if count.of == "count":
            out[name] = ibis.ifelse(cond, 1, 0).sum()
        elif count.of == "any":
            out[name] = cond.any()
        elif count.value is not None:
            value = expr(count.value, ctx)
            out[name] = value.max(where=cond) if count.of == "latest" else value.collect(where=cond)
    return out


@dataclass(frozen=True, slots=True)
class HitColumn:
    """One finding's columns in the hits table: ``hit_N``, and ``lift_N``, ``reason_N``."""

    n: int
    rule: str
    verdict: Verdict
    reason: str | None  # the constant reason, or None when it is the column reason_N
    lifts: bool


def _locals(rule: Rule, prefix: str, t: ir.Table) -> dict[str, Any]:
    loc: dict[str, Any] = {}
    for count in rule.counts:
        col = t[f"{prefix}_{count.name}"]
        if count.of == "count":
            loc[count.name] = col.fill_null(0)
        elif count.of == "any":
            loc[count.name] = col.fill_null(False)
        elif count.of == "latest":
            loc[count.name] = col
        else:
            k = _const(count.n, rule) if count.n is not None else 1
            length = col.length().fill_null(0)
            loc[count.name] = ibis.ifelse(length >= k, col.sort()[length - k], ibis.null(UTC))
    ctx = _Ctx(t, rule.params, loc)
    for name, node in rule.values:
        loc[name] = expr(node, ctx)
    return loc


def guard_hits(
    requests: ir.Table, history: ir.Table, rules: Sequence[BatchRule], first: int = 0
) -> tuple[ir.Table, list[HitColumn]]:
    """Every rule's findings on every request at its ``at``, one column per possible finding,
    numbered from ``first`` (materialise this before :func:`combine_hits`)."""
    bounds = day_bounds(requests, rules)
    joined = pairs(requests.mutate(**bounds) if bounds else requests, history)
    reductions: dict[str, ir.Scalar] = {}
    for i, r in enumerate(rules):
        if r.face.counts:
            reductions |= aggregates(r.face, f"r{first}_{i}", joined)
    table = requests
    if reductions:
        per_request = joined.group_by("request_id").aggregate(**reductions)
        table = table.left_join(per_request, "request_id").drop("request_id_right")
    columns: dict[str, ir.Value] = {}
    layout: list[HitColumn] = []

    def add(rule_id: str, verdict: Verdict, when: Any, why: Any, lift: Any = None) -> None:
        n = first + len(layout)
        columns[f"hit_{n}"] = _lit(when).fill_null(False)
        if lift is not None:
            columns[f"lift_{n}"] = lift
        if not isinstance(why, str):  # written only where it fired
            columns[f"reason_{n}"] = ibis.ifelse(columns[f"hit_{n}"], why, ibis.null("string"))
        layout.append(
            HitColumn(n, rule_id, verdict, why if isinstance(why, str) else None, lift is not None)
        )

    for i, r in enumerate(rules):
        rule = r.face
        if rule.plugin == "message_content":
            for rid, verdict, fired, why in message_content_batch(table):
                add(rid, verdict, fired, why)
            continue
        ctx = _Ctx(table, rule.params, _locals(rule, f"r{first}_{i}", table))
        for fr in rule.findings:
            if not batch_can_fire(fr.when, frozenset(table.columns) & SINGLE_ONLY):
                continue
            when = _lit(expr(fr.when, ctx))
            # the lift unguarded: combine_hits reads it only where the finding fired
            lift = expr(fr.lift, ctx) if fr.lift is not None else None
            add(rule.id, fr.verdict, when, reason(rule, fr.reason.text(), ctx), lift)
    return table.select("request_id", "at", **columns), layout


def combine_hits(t: ir.Table, layout: Sequence[HitColumn]) -> ir.Table:
    """As :func:`duecourse.compliance.verdict.combine`, column-wise: ``request_id``, ``at``,
    ``verdict``, ``rules`` ('A,B', strictest first), ``reasons`` (one line each) and ``lift``
    (when every block lifts by itself, the latest lift; else NULL)."""
    fired = [(h, t[f"hit_{h.n}"]) for h in layout]
    severity = ibis.greatest(
        ibis.literal(0), *(ibis.ifelse(f, h.verdict.severity, 0) for h, f in fired)
    )
    by_rule: dict[str, list[ir.IntegerValue]] = {}
    for h, f in fired:
        by_rule.setdefault(h.rule, []).append(ibis.ifelse(f, h.verdict.severity, 0))
    rule_severity = {
        rule: ibis.greatest(ibis.literal(0), *levels) for rule, levels in sorted(by_rule.items())
    }
    levels = (Verdict.BLOCK, Verdict.REVIEW, Verdict.WARN)
    rules_text = (
        ibis.literal("")
        .concat(
            *(
                ibis.ifelse(s == level.severity, f"{rule},", "")
                for level in levels
                for rule, s in rule_severity.items()
            )
        )
        .re_replace(",$", "")
    )
    ordered = sorted(fired, key=lambda item: item[0].rule)

    def line(h: HitColumn) -> Any:
        text = h.reason if h.reason is not None else t[f"reason_{h.n}"]
        return ibis.literal(f"{h.rule}: ").concat(text, "\n")

    reasons = ibis.literal("").concat(
        *(ibis.ifelse(f, line(h), "") for level in levels for h, f in ordered if h.verdict is level)
    )
    stuck = ibis.literal(False)
    lifts = [ibis.null(UTC)]
    for h, f in fired:
        if h.verdict is not Verdict.BLOCK:
            continue
        if not h.lifts:
            stuck |= f
        else:
            lift = t[f"lift_{h.n}"]
            stuck |= f & lift.isnull()
            lifts.append(ibis.ifelse(f, lift, ibis.null(UTC)))
    verdict = ibis.cases(*((severity == v.severity, v.value) for v in Verdict), else_="allow")
    lift = ibis.ifelse((severity == Verdict.BLOCK.severity) & ~stuck, ibis.greatest(*lifts), None)
    return t.select(
        "request_id", "at", verdict=verdict, rules=rules_text, reasons=reasons, lift=lift
    )


__all__ = ["BatchRule", "combine_hits", "guard_hits", "lookback"]
