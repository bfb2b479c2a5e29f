"""``duecourse explain`` for a collections operator: each fact with its Chinese label, the
English beside it and its unit (元, 天, 次), each table's row with its reason in words (the
seed ids of the strategy files stay in the files and in ``docs/strategies.md``), and the rule
pack's word on today's action, with times in the lender's zone and UTC beside.

:func:`explain_view` is the plain data that ``--format json`` and ``csv`` print; the tables
are drawn from it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.table import Table

from duecourse.adapters.messages import has_label, label, text
from duecourse.entrypoints.labels import action_label

if TYPE_CHECKING:
    from duecourse.service.explain import Explanation
    from duecourse.strategy.table import Rule

#: The unit of each fact that has one (the words come from the catalog, ``msgctxt unit``).
UNITS = {
    "days_past_due": "days",
    "days_unreachable": "days",
    "days_since_last_payment": "days",
    "amount_overdue": "yuan",
    "outstanding_principal": "yuan",
    "accrued_penalty": "yuan",
    "prior_overdues": "times",
    "consecutive_failed_calls": "times",
    "broken_promises": "times",
    "bucket_jump": "buckets",
    "cadence_days": "days",
}
#: Facts whose value is itself a key with a label (lender types, contact status).
LABELLED = frozenset({"lender_type", "contact"})

_SEED_PREFIX = re.compile(r"^S\d+(?:/S\d+)*:\s*")
_SEED_NOTE = re.compile(r"\s*\(S\d+(?:,\s*S\d+)*\)")
_QUOTED = re.compile(r'"([^"]*)"')


def reason_in_words(why: str) -> str:
    """A row's ``why`` for people: the seed ids (``S4: …``, ``(S3, S7)``) left out, Chinese
    first with the English beside it when the catalog has it."""
    words = _SEED_NOTE.sub("", _SEED_PREFIX.sub("", why)).strip()
    return text(words) if words else ""


def value_shown(name: str, value: Any) -> str:
    """A fact's value as an operator reads it: yuan with two decimals and 元, days with 天,
    yes/no in both languages, labelled keys by their label."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return text("yes") if value else text("no")
    unit = UNITS.get(name)
    if unit == "yuan":
        return f"{Decimal(value):,.2f} {label(unit, 'unit')}"
    if unit is not None:
        return f"{value:,} {label(unit, 'unit')}"
    if name in LABELLED:
        return label(str(value))
    return str(value)


def _plain(value: Any) -> Any:
    """A value as JSON holds it: money as an exact decimal string, dates in ISO form."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _condition(rule: Rule) -> str:
    parts = []
    for column, cell in rule.when.items():
        yes_no = _BOOLS.get(cell.text.strip())
        shown = (
            text(yes_no)
            if yes_no
            else _QUOTED.sub(
                lambda m: label(m.group(1)) if has_label(m.group(1)) else m.group(0), cell.text
            )
        )
        parts.append(f"{label(column, 'fact')} {shown}")
    return "; ".join(parts) or text("otherwise")


_BOOLS = {"true": "yes", "false": "no"}


def _outcome_value(column: str, value: Any) -> str:
    if column == "action":
        return action_label(str(value))
    if column == "channel":
        return label(str(value), "channel")
    return value_shown(column, value)


def _times(stored: Any, zone: str) -> dict[str, str] | None:
    """A stored UTC instant (naive, as the store keeps it) in the lender's zone and in UTC."""
    if stored is None:
        return None
    at = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    utc = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    local = utc.astimezone(ZoneInfo(zone))
    return {"local": local.isoformat(), "utc": utc.isoformat(), "zone": zone}


def explain_view(found: Explanation, zone: str) -> dict[str, Any]:
    """Everything ``explain`` shows, as plain data (labels, values, units, reasons)."""
    shown = {
        "lender_type": found.facts["lender_type"],
        "bucket": found.facts["bucket"],
        **{n: found.facts.get(n) for n in found.strategy.inputs},
    }
    facts = [
        {
            "name": name,
            "label": label(name, "fact"),
            "value": _plain(value),
            "unit": _unit(name),
            "shown": value_shown(name, value),
        }
        for name, value in shown.items()
    ]
    steps = [
        {
            "table": table.name,
            "table_label": label(table.name, "table"),
            "row": rule.id,
            "when": _condition(rule),
            "then": {k: _plain(v) for k, v in rule.then.items()},
            "then_shown": "; ".join(
                f"{label(k, 'fact')} = {_outcome_value(k, v)}" for k, v in rule.then.items()
            ),
            "why": reason_in_words(rule.why),
        }
        for table, decision in found.decision.steps
        for rule in decision.rules
    ]
    out = found.decision.outputs
    stored = found.stored
    guard = []
    if stored and stored.get("rules"):
        said = stored["reasons"].split(" | 合规 guard: ", 1)[-1]
        for part in said.split("; "):
            rule_id, _, reason = part.partition(": ")
            guard.append({"rule": rule_id, "title": _rule_title(rule_id), "reason": reason})
    return {
        "account_id": found.facts["account_id"],
        "as_of": _plain(found.facts["as_of"]),
        "strategy": found.strategy.name,
        "arm": found.arm,
        "facts": facts,
        "steps": steps,
        "outcome": {
            "action": out.get("action"),
            "action_label": action_label(str(out.get("action"))),
            "channel": out.get("channel"),
            "channel_label": label(str(out.get("channel")), "channel"),
        },
        "in_plan": (
            {
                "action": stored["action"],
                "action_label": action_label(stored["action"]),
                "status": stored["status"],
                "status_label": label(stored["status"]),
            }
            if stored
            else None
        ),
        "guard": guard,
        "next_allowed_at": _times(stored.get("next_allowed_at") if stored else None, zone),
    }


def _rule_title(rule_id: str) -> str:
    """A rule's title in both languages, from whichever built-in pack has the id."""
    from duecourse.compliance.packs import BUILT_IN

    for rules in BUILT_IN.values():
        for rule in rules:
            if rule.id == rule_id:
                return f"{rule.title_zh} {rule.title}"
    return ""


def _unit(name: str) -> str | None:
    return label(UNITS[name], "unit") if name in UNITS else None


def explanation_tables(view: dict[str, Any]) -> list[Table]:
    """The explanation as tables: facts, the strategy's rows, the outcome, the rule pack."""
    facts = Table(title=f"{text('Account')} {view['account_id']} — {view['as_of']}")
    facts.add_column(text("Fact"), overflow="fold")
    facts.add_column(text("Value"), justify="right")
    for fact in view["facts"]:
        facts.add_row(fact["label"], fact["shown"])
    steps = Table(
        title=f"{text('Strategy')} {view['strategy']} · {text('arm')} {view['arm']}",
        show_header=False,
    )
    steps.add_column(no_wrap=True)
    steps.add_column(overflow="fold")
    for step in view["steps"]:  # one block per table: it reads at 80 columns too
        steps.add_row(text("Table"), f"{step['table_label']} · {text('Row')} {step['row']}")
        steps.add_row(text("When"), step["when"])
        steps.add_row(text("Then"), step["then_shown"].replace("; ", "\n"))
        steps.add_row(text("Why"), step["why"], end_section=True)
    outcome = Table(title=text("Outcome"))
    for heading in ("action", "channel"):
        outcome.add_column(label(heading, "fact"))
    outcome.add_column(text("In today's plan"))
    in_plan = view["in_plan"]
    planned = (
        f"{in_plan['action_label']}（{in_plan['status_label']}）"
        if in_plan
        else text("not run yet")
    )
    outcome.add_row(view["outcome"]["action_label"], view["outcome"]["channel_label"], planned)
    tables = [facts, steps, outcome]
    if view["guard"]:
        guard = Table(title=text("The rule pack on today's action"))
        guard.add_column(text("Rule"), no_wrap=True)
        guard.add_column(text("Reason"), overflow="fold")
        for said in view["guard"]:  # the rule's title, then what it said of this contact
            guard.add_row(said["rule"], f"{said['title']}\n{said['reason']}".strip())
        times = view["next_allowed_at"]
        if times is not None:
            guard.add_section()
            guard.add_row("", f"{text('Next allowed at')}\n{_when(times)}")
        tables.append(guard)
    return tables


def _when(times: dict[str, str]) -> str:
    local = datetime.fromisoformat(times["local"])
    utc = datetime.fromisoformat(times["utc"])
    return f"{local:%Y-%m-%d %H:%M} {times['zone']} · {utc:%Y-%m-%d %H:%M} UTC"
