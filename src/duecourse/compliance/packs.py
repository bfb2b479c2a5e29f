"""Rule packs: the pack files, a lender's overrides and own rules, and checking one request.

A pack is a file in ``compliance/rulepacks/`` (``cn.yaml``, ``us.yaml``, ``uk.yaml``): its rules in
the language of ``compliance/lang.py``. A lender's overrides change parameters, switch rules off
and add rules of its own (``rules:``, checked exactly as a pack's). :func:`evaluate` checks one
contact; ``service/guard.py`` checks many with the same rules through ``compliance/batch.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from duecourse.compliance.facts import facts_of, history_of, per_debt
from duecourse.compliance.lang import param_type
from duecourse.compliance.plugins import message_content
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.rulefile import RuleFileError, read_rules
from duecourse.compliance.single import RuleFn, compile_rule
from duecourse.compliance.verdict import Finding, Outcome, Verdict, combine
from duecourse.domain.contact import ContactThresholds

PACK_NAMES = ("cn", "us", "uk")
#: How many times a lifting block is re-checked at its lift before it counts as not lifting.
MAX_STEPS = 20


@cache
def pack_file(name: str) -> dict[str, Any]:
    """A pack file, parsed (``pack``, ``title``, ``rules``)."""
    text = files("duecourse.compliance.rulepacks").joinpath(f"{name}.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def _built_in(name: str) -> tuple[Rule, ...]:
    return tuple(read_rules(pack_file(name)["rules"], f"rulepacks/{name}.yaml: rules"))


class _BuiltIn(Mapping[str, tuple[Rule, ...]]):
    """Pack name → its rules, read when first asked for."""

    def __getitem__(self, name: str) -> tuple[Rule, ...]:
        if name not in PACK_NAMES:
            raise KeyError(name)
        return _built_in(name)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(PACK_NAMES)

    def __len__(self) -> int:
        return len(PACK_NAMES)


BUILT_IN: Mapping[str, tuple[Rule, ...]] = _BuiltIn()


class OverrideError(ValueError):
    """An override file that does not fit the pack; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Pack:
    """A named set of rules with their parameters (defaults, then a lender's overrides)."""

    name: str
    rules: tuple[Rule, ...]
    disabled: frozenset[str] = field(default_factory=frozenset)
    own: frozenset[str] = field(default_factory=frozenset)
    """Ids of the lender's own rules (from its overrides file, not the pack file)."""

    def active(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.id not in self.disabled)


def load_pack(name: str, overrides: Mapping[str, Any] | None = None) -> Pack:
    """A built-in pack with a lender's overrides: ``{"params": {RULE: {name: value}},
    "disabled": [RULE, ...], "rules": [rule, ...]}``. Every problem is listed at once."""
    if name not in PACK_NAMES:
        raise OverrideError([f"未知规则包 · unknown pack {name!r}; known: {', '.join(PACK_NAMES)}"])
    rules = {r.id: r for r in BUILT_IN[name]}
    overrides = overrides or {}
    problems: list[str] = []
    for key in overrides:
        if key not in {"params", "disabled", "rules"}:
            problems.append(f"unknown section {key!r} (params, disabled, rules)")
    own: set[str] = set()
    if overrides.get("rules") is not None:
        try:
            for rule in read_rules(overrides["rules"], "rules"):
                own.add(rule.id)
                if rule.id in rules:
                    problems.append(f"rules: {rule.id} 已在规则包中 · already in pack {name}")
                rules[rule.id] = rule
        except RuleFileError as e:
            problems += e.problems
    params = overrides.get("params") or {}
    for rule_id, values in params.items():
        found = rules.get(rule_id)
        if found is None:
            problems.append(f"params: unknown rule {rule_id!r}")
            continue
        merged = dict(found.params)
        for key, value in (values or {}).items():
            if key not in found.params:
                problems.append(f"params.{rule_id}: unknown parameter {key!r}")
            elif param_type(value) != param_type(found.params[key]) and not (
                isinstance(value, list) and isinstance(found.params[key], tuple)
            ):
                problems.append(
                    f"params.{rule_id}.{key}: expected "
                    f"{type(found.params[key]).__name__}, got {value!r}"
                )
            else:
                merged[key] = tuple(value) if isinstance(value, list) else value
        rules[rule_id] = replace(found, params=merged)
    disabled = frozenset(overrides.get("disabled") or ())
    problems += [f"disabled: unknown rule {r!r}" for r in sorted(disabled - set(rules))]
    if problems:
        raise OverrideError(problems)
    return Pack(name, tuple(rules.values()), disabled, frozenset(own))


_COMPILED: dict[int, tuple[Rule, RuleFn]] = {}


def _compiled(rule: Rule) -> RuleFn:
    """``rule`` compiled once (keyed by identity; the rule is kept so its id stays unique)."""
    found = _COMPILED.get(id(rule))
    if found is None:
        found = _COMPILED[id(rule)] = (rule, compile_rule(rule))
    return found[1]


_JUDGES: dict[int, tuple[Pack, list[RuleFn]]] = {}


def _judges(pack: Pack) -> list[RuleFn]:
    """The pack's active rules, compiled (once per pack)."""
    found = _JUDGES.get(id(pack))
    if found is None:
        found = _JUDGES[id(pack)] = (pack, _judges_of(pack))
    return found[1]


def _judges_of(pack: Pack) -> list[RuleFn]:
    out: list[RuleFn] = []
    for rule in pack.active():
        if rule.plugin is not None:
            out.append(lambda f, d, h: message_content(f))
        else:
            out.append(_compiled(rule))
    return out


def evaluate(request: ContactRequest, pack: Pack, max_steps: int = MAX_STEPS) -> Outcome:
    """Check one contact. For a block that lifts, ``next_allowed_at`` is the first instant at
    which the whole pack allows it (each lift is re-checked: a daily cap that ends at midnight
    may run into quiet hours)."""
    judges = _judges(pack)
    facts, history = facts_of(request), history_of(request)
    debts = per_debt(request, facts)

    def at(when: Any) -> list[Finding]:
        f = facts if when is None else facts.at(when)
        d = debts if when is None else [x.at(when) for x in debts]
        return [x for judge in judges for x in judge(f, d, history)]

    outcome = combine(at(None))
    if outcome.verdict is not Verdict.BLOCK or outcome.next_allowed_at is None:
        return outcome
    later = outcome.next_allowed_at
    for _ in range(max_steps):
        again = combine(at(later))
        if again.verdict is not Verdict.BLOCK:
            return replace(outcome, next_allowed_at=later)
        if again.next_allowed_at is None:
            return replace(outcome, next_allowed_at=None)
        later = again.next_allowed_at
    return replace(outcome, next_allowed_at=None)


def contact_thresholds(pack: Pack) -> ContactThresholds:
    """When a debtor counts as lost (失联), from the pack: the parameters
    ``lost_after_failed_calls`` and ``lost_after_days_unreachable`` of the rule that holds them
    (CN-TGT-02), so the facts' contact status and the rule read one setting; a pack without
    such a rule keeps the domain's defaults."""
    for rule in pack.active():
        params = rule.params
        if "lost_after_failed_calls" in params and "lost_after_days_unreachable" in params:
            return ContactThresholds(
                int(params["lost_after_failed_calls"]), int(params["lost_after_days_unreachable"])
            )
    return ContactThresholds()


def pack_rules(packs: Sequence[str] = PACK_NAMES) -> list[Rule]:
    return [r for p in packs for r in BUILT_IN[p]]
