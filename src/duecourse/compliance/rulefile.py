"""Rule files: a pack (``compliance/packs/cn.yaml``) or a lender's own rules, read and checked.

A file is checked as a whole and every problem listed, ``where: 中文 · English``: unknown or
missing keys, wrong types, names that are not facts, parameters or counts, comparisons of
values a field can never hold, expressions of the wrong type, placeholders a reason cannot
fill, and conditions that can never hold together. Parsed data only: reading the file is the
caller's (``adapters/overrides.py``, ``compliance/packs.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from duecourse.compliance.facts import FIELDS
from duecourse.compliance.lang import LangError, Node, Scope, parse, unreachable
from duecourse.compliance.rule import PLUGINS, Count, FindingRule, Rule, Template
from duecourse.compliance.verdict import Verdict

RULE_KEYS = {
    "id",
    "title",
    "source",
    "grade",
    "params",
    "counts",
    "values",
    "findings",
    "each",
    "plugin",
}
FINDING_KEYS = {"when", "verdict", "lift", "reason"}
COUNT_KEYS = {"of", "where", "window"}
_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_SHOWN = {"int", "str", "date"}  # fact types a reason may show


class RuleFileError(ValueError):
    """A rule file that does not hold; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_rules(data: Any, where: str) -> list[Rule]:
    """The rules of a parsed file (a list of rule mappings), or :class:`RuleFileError`."""
    problems: list[str] = []
    if not isinstance(data, list):
        raise RuleFileError([f"{where}: 应为规则列表 · expected a list of rules"])
    rules, seen = [], set()
    for i, item in enumerate(data):
        rule = _rule(item, f"{where}[{i}]", problems)
        if rule is not None:
            if rule.id in seen:
                problems.append(f"{where}[{i}].id: 规则重复 · rule {rule.id} given twice")
            seen.add(rule.id)
            rules.append(rule)
    if problems:
        raise RuleFileError(problems)
    return rules


def _keys(data: Any, known: set[str], required: set[str], where: str, out: list[str]) -> bool:
    if not isinstance(data, dict):
        out.append(f"{where}: 应为映射 · expected a mapping")
        return False
    for key in data:
        if key not in known:
            out.append(
                f"{where}.{key}: 未知字段 · unknown field (known: {', '.join(sorted(known))})"
            )
    for key in sorted(required - set(data)):
        out.append(f"{where}.{key}: 缺少必填字段 · missing")
    return True


def _text(data: Any, where: str, out: list[str]) -> str:
    if not isinstance(data, str) or not data.strip():
        out.append(f"{where}: 应为文本 · expected text")
        return ""
    return data


def _bilingual(data: Any, where: str, out: list[str]) -> tuple[str, str]:
    if not _keys(data, {"zh", "en"}, {"zh", "en"}, where, out):
        return "", ""
    return _text(data.get("zh"), f"{where}.zh", out), _text(data.get("en"), f"{where}.en", out)


def _params(data: Any, where: str, out: list[str]) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        out.append(f"{where}: 应为映射 · expected a mapping")
        return {}
    params: dict[str, Any] = {}
    for key, value in data.items():
        ok = isinstance(value, bool | int | str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        if not ok or isinstance(value, float):
            out.append(
                f"{where}.{key}: 参数应为整数、文本、true/false 或文本列表 · a parameter is a "
                "whole number, text, true/false or a list of text"
            )
            continue
        if key in FIELDS:
            out.append(f"{where}.{key}: 与事实字段同名 · a parameter may not be named as a fact")
            continue
        params[key] = tuple(value) if isinstance(value, list) else value
    return params


def _expr(text: Any, scope: Scope, want: str | None, where: str, out: list[str]) -> Node | None:
    try:
        return parse(text, scope, want)
    except LangError as e:
        out.append(f"{where}: {e}")
        return None


def _count(name: str, data: Any, scope: Scope, where: str, out: list[str]) -> Count | None:
    if not _keys(data, COUNT_KEYS, {"where"}, where, out):
        return None
    past = Scope(scope.params, scope.locals, past=True)
    cond = _expr(data["where"], past, "bool", f"{where}.where", out)
    of, value, n = "count", None, None
    spec = data.get("of", "count")
    m = re.fullmatch(r"\s*(latest|nth_latest)\((.*)\)\s*", spec) if isinstance(spec, str) else None
    if spec in {"count", "any"}:
        of = spec
    elif m is None:
        out.append(
            f"{where}.of: 应为 count、any、latest(…) 或 nth_latest(…, n) · expected "
            "count, any, latest(expr) or nth_latest(expr, n)"
        )
        return None
    else:
        of = m.group(1)
        parts = (
            [p.strip() for p in m.group(2).rsplit(",", 1)] if of == "nth_latest" else [m.group(2)]
        )
        value = _expr(parts[0], past, "instant", f"{where}.of", out)
        if of == "nth_latest":
            if len(parts) != 2:
                out.append(f"{where}.of: nth_latest 需要 n · nth_latest(expr, n)")
                return None
            n = _expr(parts[1], scope, "int", f"{where}.of", out)
    window, arg = "all", None
    spec_w = data.get("window", "all")
    m = re.fullmatch(r"\s*(local_day|days)\((.*)\)\s*", spec_w) if isinstance(spec_w, str) else None
    if spec_w != "all":
        if m is None:
            out.append(
                f"{where}.window: 应为 all、local_day(时区) 或 days(n) · expected all, "
                "local_day(zone) or days(n)"
            )
            return None
        window = m.group(1)
        arg = _expr(
            m.group(2), scope, "str" if window == "local_day" else "int", f"{where}.window", out
        )
        if window == "days" and arg is not None and not {k for k, _ in arg.names()} <= {"param"}:
            out.append(f"{where}.window: 天数须为参数或常数 · days(n) takes parameters and numbers")
    if cond is None or (of in {"latest", "nth_latest"} and value is None):
        return None
    return Count(name, of, cond, window, arg, value, n)


def _finding(data: Any, rule: Rule, scope: Scope, where: str, out: list[str]) -> FindingRule | None:
    if not _keys(data, FINDING_KEYS, {"when", "verdict", "reason"}, where, out):
        return None
    try:
        verdict = Verdict(data.get("verdict"))
    except ValueError:
        out.append(f"{where}.verdict: 应为 block、review 或 warn · expected block, review or warn")
        return None
    if verdict is Verdict.ALLOW:
        out.append(f"{where}.verdict: allow 不是发现 · allow is not a finding")
        return None
    when = _expr(data["when"], scope, "bool", f"{where}.when", out)
    lift = None
    if "lift" in data:
        if verdict is not Verdict.BLOCK:
            out.append(f"{where}.lift: 只有 block 会解除 · only a block lifts")
        lift = _expr(data["lift"], scope, "instant", f"{where}.lift", out)
    zh, en = _bilingual(data["reason"], f"{where}.reason", out)
    template = Template(zh, en)
    try:
        names = template.names()
    except ValueError:
        out.append(f"{where}.reason: 占位符写法错误 · malformed placeholder")
        names = []
    for name in names:
        if name in rule.params:
            continue
        kind = scope.locals.get(name) or (FIELDS[name].type if name in FIELDS else None)
        if kind is None:
            out.append(f"{where}.reason: 未知占位符 · unknown placeholder {{{name}}}")
        elif kind not in _SHOWN:
            out.append(
                f"{where}.reason: {{{name}}} 为 {kind}，无法显示 · {{{name}}} is {kind}; a "
                "reason shows whole numbers, text and dates (use local_time or local_date)"
            )
    if when is not None:
        why = unreachable(when, rule.params)
        if why is not None:
            out.append(f"{where}.when: 条件永不成立 · never holds: {why}")
    return FindingRule(verdict, when, template, lift) if when is not None else None


def _rule(data: Any, where: str, out: list[str]) -> Rule | None:
    if not _keys(data, RULE_KEYS, {"id", "title", "source", "grade"}, where, out):
        return None
    rid = _text(data.get("id"), f"{where}.id", out)
    if rid and not _ID.match(rid):
        out.append(f"{where}.id: 规则编号形如 CN-TIME-01 · a rule id looks like CN-TIME-01")
    zh, en = _bilingual(data.get("title"), f"{where}.title", out)
    source = _text(data.get("source"), f"{where}.source", out)
    grade = data.get("grade")
    if grade not in {"V", "S", "R"}:
        out.append(f"{where}.grade: 应为 V、S 或 R · expected V, S or R")
    params = _params(data.get("params"), f"{where}.params", out)
    rule = Rule(rid, en, zh, source, str(grade), params, origin=where)
    plugin = data.get("plugin")
    if plugin is not None:
        if plugin not in PLUGINS:
            out.append(f"{where}.plugin: 未知函数 · unknown plugin (known: {', '.join(PLUGINS)})")
        return Rule(rid, en, zh, source, str(grade), params, plugin=str(plugin), origin=where)
    each = data.get("each")
    if each not in (None, "debt"):
        out.append(f"{where}.each: 只能为 debt · each: debt is the only choice")
    locals_: dict[str, str] = {}
    counts = []
    raw_counts = data.get("counts") or {}
    if not isinstance(raw_counts, dict):
        out.append(f"{where}.counts: 应为映射 · expected a mapping")
        raw_counts = {}
    for name, spec in raw_counts.items():
        c = _count(str(name), spec, Scope(params, dict(locals_)), f"{where}.counts.{name}", out)
        if c is not None:
            counts.append(c)
            locals_[c.name] = {"count": "int", "any": "bool"}.get(c.of, "instant")
    values = []
    raw_values = data.get("values") or {}
    if not isinstance(raw_values, dict):
        out.append(f"{where}.values: 应为映射 · expected a mapping")
        raw_values = {}
    for name, text in raw_values.items():
        n = _expr(text, Scope(params, dict(locals_)), None, f"{where}.values.{name}", out)
        if n is not None:
            values.append((str(name), n))
            locals_[str(name)] = n.type
    scope = Scope(params, locals_)
    findings = []
    raw = data.get("findings")
    if not isinstance(raw, list) or not raw:
        out.append(f"{where}.findings: 应为非空列表 · expected a list of findings")
        raw = []
    for i, item in enumerate(raw):
        f = _finding(item, rule, scope, f"{where}.findings[{i}]", out)
        if f is not None:
            findings.append(f)
    unused = set(params) - {n for r in (rule,) for n in params if _uses(n, data)}
    for name in sorted(unused):
        out.append(f"{where}.params.{name}: 未使用的参数 · parameter never used")
    return Rule(
        rid,
        en,
        zh,
        source,
        str(grade),
        params,
        tuple(counts),
        tuple(values),
        tuple(findings),
        each == "debt",
        None,
        where,
    )


def _uses(name: str, data: Mapping[str, Any]) -> bool:
    body = repr({k: v for k, v in data.items() if k not in {"params", "id", "title", "source"}})
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", body) is not None
