"""``plan-repayment``: a repayment plan (分期/延期/减免) checked against a lender's guardrails."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from duecourse.entrypoints.console import console, errors

if TYPE_CHECKING:
    from collections.abc import Sequence
    from decimal import Decimal

    from duecourse.domain.repayment.decide import Decision
    from duecourse.domain.repayment.texts import Text

VERDICTS = {
    "accepted": "在规则之内 accepted (within the guardrails)",
    "rejected": "拒绝 rejected",
    "approval": "需审批 needs approval",
}
TREATMENTS = {"waive": "免除 waive", "carry": "并入本金 carry", "enforce": "单独收取 enforce"}


def register(app: typer.Typer) -> None:
    """Add ``plan-repayment`` to ``app``."""
    app.command("plan-repayment")(plan_repayment)


def plan_repayment(
    file: Annotated[str, typer.Argument(help="JSON proposal file, or - for standard input.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    guardrails: Annotated[
        Path | None,
        typer.Option(help="The lender's guardrails (YAML); default: the documented defaults."),
    ] = None,
) -> None:
    """Compute a repayment plan to the fen and decide it: accepted, rejected with reasons, or
    sent for approval. A plan is something the lender MAY agree to, not a right."""
    import json
    import sys

    from duecourse.adapters.repayment_json import (
        BadInput,
        decision_json,
        load_guardrails,
        parse_json,
        parse_proposal,
    )
    from duecourse.domain.repayment.decide import decide
    from duecourse.domain.repayment.plan import ProposalError
    from duecourse.domain.repayment.terms import Guardrails

    for path in (None if file == "-" else Path(file), guardrails):
        if path is not None and not path.is_file():
            _fail(f"文件不存在 File not found: {path}", [], 2)
    try:
        limits = load_guardrails(guardrails) if guardrails else Guardrails()
    except OSError as exc:
        _fail(f"无法读取文件 cannot read {guardrails}: {exc.strerror}", [], 2)
    except UnicodeDecodeError:
        _fail(
            "限额设置有误 · bad guardrails:", [f"{guardrails}: 不是 UTF-8 文本 not UTF-8 text"], 1
        )
    except BadInput as exc:
        _fail("限额设置有误 · bad guardrails:", exc.problems, 1)
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        decision = decide(parse_proposal(parse_json(text)), limits)
    except OSError as exc:
        _fail(f"无法读取文件 cannot read {file}: {exc.strerror}", [], 2)
    except UnicodeDecodeError:
        _fail(f"文件不是 UTF-8 文本 not UTF-8 text: {file}", [], 1)
    except BadInput as exc:
        _fail("方案有误 · bad proposal:", exc.problems, 1)
    except ProposalError as exc:
        _fail("方案有误 · bad proposal:", [f"{exc.field}: {exc.zh} · {exc.en}"], 1)
    if json_output:
        typer.echo(json.dumps(decision_json(decision, limits), ensure_ascii=False, indent=2))
        return
    _show(decision, limits.cost_cap)


def _fail(header: str, problems: list[str], code: int) -> NoReturn:
    """One bilingual message on standard error (each problem on its own line), then exit."""
    errors.print(header, markup=False, soft_wrap=True)
    for problem in problems:
        errors.print(f"  {problem}", markup=False, soft_wrap=True)
    raise typer.Exit(code)


def _show(decision: Decision, cap: Decimal) -> None:
    from rich.table import Table

    from duecourse.domain.repayment.terms import Component
    from duecourse.domain.repayment.texts import pct

    plan = decision.plan
    p = plan.proposal
    verdict = VERDICTS[decision.verdict.value]
    if decision.approvers:
        verdict += f": {', '.join(decision.approvers)}"
    console.print(f"结论 Verdict: {verdict}", highlight=False, markup=False)
    _bullets(decision.reasons)
    cost = plan.cost
    summary = Table(title="还款方案 Repayment plan", show_header=False)
    summary.add_column()
    summary.add_column(justify="right")
    method = (
        "等额本息 equal instalment"
        if p.method == "equal_instalment"
        else "等额本金 equal principal"
    )
    rows = [
        ("方式 Method", method),
        ("期数 Term (months)", str(p.term_months)),
        ("计划年利率 Plan annual rate", pct(p.annual_rate)),
        ("债务合计 Debt", f"{p.debt.total:,.2f}"),
        ("减免 Forgiven", f"{plan.total_forgiven:,.2f}"),
        ("首付 Down payment", f"{p.down_payment:,.2f}"),
        ("延期 Deferral (months)", f"{p.deferral_months}"),
        (
            "延期利息 Deferral interest",
            f"{plan.deferral_interest:,.2f} ({TREATMENTS[p.deferral_interest.value]})",
        ),
        ("分期本金 Amount financed", f"{plan.amount_financed:,.2f}"),
        ("利息合计 Total interest", f"{plan.total_interest:,.2f}"),
        ("还款总额 Total payable", f"{plan.total_payable:,.2f}"),
        (
            "综合年化成本 Cost of credit (IRR)",
            f"{pct(cost.nominal)} (上限 cap {pct(cap)})"
            if cost.nominal is not None
            else f"无上限 unbounded (上限 cap {pct(cap)})",
        ),
    ]
    for component, name in (
        (Component.INTEREST, "利息 Interest"),
        (Component.PENALTY, "罚息 Penalty"),
        (Component.FEES, "费用 Fees"),
    ):
        rows.append((f"{name} 处理 treatment", TREATMENTS[p.treatment(component).value]))
    for name, value in rows:
        summary.add_row(name, value)
    console.print(summary)
    schedule = Table(
        title="还款计划 Schedule (每期四舍五入到分，尾差计入最后一期 "
        "ROUND_HALF_UP per instalment, residue in the last)"
    )
    for heading in (
        "期 #",
        "到期日 Due",
        "本金 Principal",
        "利息 Interest",
        "单独 Separate",
        "应还 Payment",
        "剩余本金 Balance",
    ):
        if heading.startswith("到期"):
            schedule.add_column(heading, no_wrap=True, min_width=10)
        else:
            schedule.add_column(heading, justify="right")
    for i in plan.instalments:
        due = i.due_date.isoformat() if i.due_date else f"+{i.month} 月 months"
        schedule.add_row(
            str(i.seq),
            due,
            f"{i.principal:,.2f}",
            f"{i.interest:,.2f}",
            f"{i.separate:,.2f}",
            f"{i.payment:,.2f}",
            f"{i.balance:,.2f}",
        )
    console.print(schedule)
    console.print("须知 Please note:", highlight=False, markup=False)
    _bullets(decision.notes)


def _bullets(items: Sequence[Text]) -> None:
    """Each text as a bullet with a hanging indent: Chinese, then English on its own line."""
    from rich.table import Table
    from rich.text import Text as Rich

    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row("-", Rich(f"{item.zh}\n{item.en}"))
    console.print(grid)
