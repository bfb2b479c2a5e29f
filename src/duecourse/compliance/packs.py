"""Rule packs: the registry of built-in rules, per-lender overrides, and evaluation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import Any

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rule import Rule
from duecourse.compliance.verdict import Finding, Outcome, Verdict, combine


def _rules(*modules: str) -> tuple[Rule, ...]:
    """The ``RULE`` of each named module in ``duecourse.compliance.rules``."""
    found = (import_module(f"duecourse.compliance.rules.{name}").RULE for name in modules)
    return tuple(rule for rule in found if isinstance(rule, Rule))


#: The one place built-in rules are registered, by pack (module names, in evaluation order).
BUILT_IN: dict[str, tuple[Rule, ...]] = {
    "cn": _rules(
        "cn_time_01",
        "cn_freq_01",
        "cn_freq_02",
        "cn_freq_03",
        "cn_tgt_01",
        "cn_tgt_02",
        "cn_tgt_03",
        "cn_tgt_04",
        "cn_tgt_05",
        "cn_id_01",
        "cn_out_01",
        "cn_out_02",
        "cn_out_03",
        "cn_sol_01",
        "cn_crim_01",
        "cn_vis_01",
        "cn_vis_02",
        "dc_vis_pre",
        "cn_ban",
    ),
    "us": _rules(
        "us_time_01",
        "us_time_02",
        "us_atty_01",
        "us_work_01",
        "us_cease_01",
        "us_3p_01",
        "us_3p_02",
        "us_freq_01",
        "us_freq_02",
        "us_freq_06",
        "us_e_01",
        "us_e_02",
        "us_val_01",
        "us_val_02",
        "us_disp_01",
        "us_tb_01",
    ),
}


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

    def active(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.id not in self.disabled)


def load_pack(name: str, overrides: Mapping[str, Any] | None = None) -> Pack:
    """A built-in pack, with a lender's overrides: ``{"params": {RULE: {name: value}},
    "disabled": [RULE, ...]}``. Unknown rules, unknown parameters and wrong types are errors."""
    if name not in BUILT_IN:
        raise OverrideError([f"unknown pack {name!r}; known: {', '.join(BUILT_IN)}"])
    rules = {r.id: r for r in BUILT_IN[name]}
    overrides = overrides or {}
    problems: list[str] = []
    for key in overrides:
        if key not in {"params", "disabled"}:
            problems.append(f"unknown section {key!r} (params, disabled)")
    params = overrides.get("params") or {}
    for rule_id, values in params.items():
        rule = rules.get(rule_id)
        if rule is None:
            problems.append(f"params: unknown rule {rule_id!r}")
            continue
        merged = dict(rule.params)
        for key, value in (values or {}).items():
            if key not in rule.params:
                problems.append(f"params.{rule_id}: unknown parameter {key!r}")
            elif not _same_type(rule.params[key], value):
                problems.append(
                    f"params.{rule_id}.{key}: expected "
                    f"{type(rule.params[key]).__name__}, got {value!r}"
                )
            else:
                merged[key] = tuple(value) if isinstance(value, list) else value
        rules[rule_id] = replace(rule, params=merged)
    disabled = frozenset(overrides.get("disabled") or ())
    problems += [f"disabled: unknown rule {r!r}" for r in sorted(disabled - set(rules))]
    if problems:
        raise OverrideError(problems)
    return Pack(name, tuple(rules.values()), disabled)


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, tuple):
        return isinstance(value, list | tuple)
    return isinstance(value, type(default))


def findings(request: ContactRequest, pack: Pack) -> list[Finding]:
    """Every active rule's findings on one request."""
    out: list[Finding] = []
    for rule in pack.active():
        out += rule.check(request, rule.params)
    return out


def evaluate(request: ContactRequest, pack: Pack, max_steps: int = 20) -> Outcome:
    """Check one contact. For a block that lifts, ``next_allowed_at`` is the first instant at
    which the whole pack allows it (each lift is re-checked: a daily cap that ends at midnight
    may run into quiet hours)."""
    outcome = combine(findings(request, pack))
    if outcome.verdict is not Verdict.BLOCK or outcome.next_allowed_at is None:
        return outcome
    later = outcome.next_allowed_at
    for _ in range(max_steps):
        again = combine(findings(replace(request, at=later), pack))
        if again.verdict is not Verdict.BLOCK:
            return replace(outcome, next_allowed_at=later)
        if again.next_allowed_at is None:
            return replace(outcome, next_allowed_at=None)
        later = again.next_allowed_at
    return replace(outcome, next_allowed_at=None)


def pack_rules(packs: Sequence[str] = tuple(BUILT_IN)) -> list[Rule]:
    return [r for p in packs for r in BUILT_IN[p]]
