"""Strategy lint against a rule pack: rows the pack would block, rows that never match, and
actions nobody can carry out.

For every path through a strategy that ends in a field visit, the conditions of the treatment row
are compared with the visit rules: a verified address and lost or unresponsive contact
(DC-VIS-PRE), and the lender's minimum days past due and balance for visits (DC-VIS-PRE
``min_dpd``, ``min_balance``). A row that can only plan blocked visits is an error; a row that
can plan some blocked visits is a warning. The lender's own rules (written in its overrides
file) are held against every contacting action the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from duecourse.compliance.packs import Pack
from duecourse.compliance.rule import may_fire
from duecourse.compliance.verdict import Verdict
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.cells import Cell, CellKind, parse_cell
from duecourse.strategy.pipeline import Strategy, validate_strategy
from duecourse.strategy.table import Rule

INTERNAL = frozenset({"hold", "write_off_review"})
VISITABLE = parse_cell('"lost", "unresponsive"')
VERIFIED = parse_cell("true")


@dataclass(frozen=True, slots=True)
class LintIssue:
    severity: str  # error | warning
    where: str
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        return f"{self.severity}: {self.where}{rule}: {self.message}"


def _visit_treatments(strategy: Strategy) -> set[str]:
    last = strategy.tables[-1]
    out = set()
    for rule in last.rules:
        if rule.then.get("action") == "field_visit":
            cell = rule.cell("treatment")
            out |= {v for v in cell.values if isinstance(v, str)}
    return out


def _range(cell: Cell) -> tuple[Decimal | None, Decimal | None]:
    """The smallest and largest value a numeric cell admits (``None``: unbounded that side)."""
    if cell.kind is CellKind.INTERVAL:
        return cell.low, cell.high
    numbers = [v for v in cell.values if isinstance(v, Decimal)] if cell.kind is CellKind.IN else []
    return (min(numbers), max(numbers)) if numbers else (None, None)


def _check_visit_row(table: str, rule: Rule, params: dict[str, object]) -> list[LintIssue]:
    where = f"{table}#{rule.id}"
    out: list[LintIssue] = []

    def against(column: str, allowed: Cell, what: str) -> None:
        cell = rule.cell(column)
        if allowed.covers(cell):
            return
        if not allowed.overlaps(cell):
            out.append(
                LintIssue(
                    "error", where, f"plans only visits the pack blocks: {what}", "DC-VIS-PRE"
                )
            )
        else:
            out.append(
                LintIssue(
                    "warning", where, f"may plan visits the pack blocks: {what}", "DC-VIS-PRE"
                )
            )

    against("address_verified", VERIFIED, "the address must be verified")
    against("contact", VISITABLE, "contact must be lost or unresponsive")
    for column, key in (("days_past_due", "min_dpd"), ("amount_overdue", "min_balance")):
        floor = Decimal(str(params[key]))
        lowest, highest = _range(rule.cell(column))
        if highest is not None and highest < floor:
            out.append(
                LintIssue("error", where, f"{column} is always below {key} {floor}", "DC-VIS-PRE")
            )
        elif floor > 0 and (lowest is None or lowest < floor):
            out.append(
                LintIssue("warning", where, f"{column} may be below {key} {floor}", "DC-VIS-PRE")
            )
    return out


def _own_rules(strategy: Strategy, pack: Pack) -> list[LintIssue]:
    """Actions the lender's own rules (its overrides file's ``rules``) block: an error when a
    rule blocks every contact the action makes, a warning when it may block some (it depends
    on facts of the account or the day)."""
    own = [r for r in pack.active() if r.id in pack.own]
    last = strategy.tables[-1]
    out: list[LintIssue] = []
    for row in last.rules:
        action = ACTIONS.get(str(row.then.get("action")))
        if not own or action is None or action.reach is None:
            continue
        reach = action.reach
        known = {
            "channel": reach.channel,
            "to": reach.to,
            "purpose": reach.purpose,
            "by": reach.by,
            "legal_action": reach.legal_action,
        }
        for rule in own:
            fires = [
                may_fire(f.when, known, rule.params)
                for f in rule.findings
                if f.verdict is Verdict.BLOCK
            ]
            where = f"{last.name}#{row.id}"
            if any(x is True for x in fires):
                out.append(
                    LintIssue(
                        "error",
                        where,
                        f"plans only contacts the pack blocks: {rule.title}",
                        rule.id,
                    )
                )
            elif any(x is None for x in fires):
                out.append(
                    LintIssue(
                        "warning",
                        where,
                        f"may plan contacts the pack blocks: {rule.title}",
                        rule.id,
                    )
                )
    return out


def lint_strategy(strategy: Strategy, pack: Pack) -> list[LintIssue]:
    """Every problem of ``strategy`` under ``pack``, errors first."""
    issues = [
        LintIssue(i.severity, f"{i.table}: {i.where}", i.message)
        for i in validate_strategy(strategy)
    ]
    rules = {r.id: r for r in pack.active()}
    visit_rule = rules.get("DC-VIS-PRE")
    treatments = _visit_treatments(strategy)
    if visit_rule is not None and treatments:
        for table in strategy.tables[:-1]:
            for rule in table.rules:
                if rule.then.get("treatment") in treatments:
                    issues += _check_visit_row(table.name, rule, dict(visit_rule.params))
    issues += _own_rules(strategy, pack)
    for rule in strategy.tables[-1].rules:
        action = rule.then.get("action")
        known = ACTIONS.get(str(action))
        if known is not None and known.dispatcher is None and action not in INTERNAL:
            issues.append(
                LintIssue(
                    "error",
                    f"{strategy.tables[-1].name}#{rule.id}",
                    f"no dispatcher carries out {action!r}",
                )
            )
    return sorted(issues, key=lambda i: i.severity != "error")
