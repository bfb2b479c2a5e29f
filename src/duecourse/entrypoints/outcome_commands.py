"""``duecourse outcomes``: what followed each plan row, per action or per arm."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer

from duecourse.errors import BadUsage

_db: Callable[[], str] = lambda: ""  # noqa: E731 - set by register()
HEADINGS = {
    "rows": "计划行 Plan rows",
    "attempts": "联系 Attempts",
    "conversations": "接通 Reached",
    "promises": "承诺 Promises",
    "promises_kept": "履约 Kept",
    "payments": "还款笔数 Payments",
    "paid": "还款额 Paid (元)",
    "paying_share": "有还款占比 Paying share",
    "paid_per_row": "每行还款 Paid per row (元)",
}
BY = {
    "action": "动作 Action",
    "arm": "分组 Arm",
    "strategy": "策略 Strategy",
    "status": "状态 Status",
    "bucket": "账龄 Bucket",
}


def register(app: typer.Typer, db: Callable[[], str]) -> None:
    """Add ``outcomes`` to ``app``; ``db`` gives the store URL chosen by ``--db``."""
    global _db
    _db = db
    app.command("outcomes")(outcomes)


def _date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadUsage(f"{option} 不是日期", "is not a date (YYYY-MM-DD)", repr(value)) from None


def outcomes(
    start: Annotated[str, typer.Option("--from", help="First plan day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option("--to", help="Last plan day, YYYY-MM-DD.")],
    by: Annotated[
        str, typer.Option(help="Group by action, arm, strategy, status or bucket.")
    ] = "action",
    window: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Days after each plan day to count (default: until the account's next plan).",
        ),
    ] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="Print JSON: the summary and every plan row.")
    ] = False,
) -> None:
    """What followed each plan row — attempts, promises (kept), payments — per action or arm.
    计划执行结果。"""
    import json

    from duecourse.adapters.store import open_store
    from duecourse.service.outcomes import GROUPINGS, read_outcomes

    first, last = _date("--from", start), _date("--to", end)
    if last < first:
        raise BadUsage("--to 早于 --from", "the period ends before it starts", f"{start}..{end}")
    if by not in GROUPINGS:
        raise BadUsage("--by 无效", f"must be one of {', '.join(GROUPINGS)}", repr(by))
    url = _db()
    open_store(url)
    summary = read_outcomes(url, first, last, window, by).to_pylist()
    if json_output:
        rows = read_outcomes(url, first, last, window).to_pylist()
        document = {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "by": by,
            "window_days": window,
            "summary": [_plain(r) for r in summary],
            "rows": [_plain(r) for r in rows],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    _show(summary, by, first, last)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """JSON values: money as exact decimal strings, dates as ISO."""
    from decimal import Decimal

    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Decimal):
            out[key] = f"{value:.2f}"
        elif isinstance(value, date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _show(summary: list[dict[str, Any]], by: str, first: date, last: date) -> None:
    """One row per group: its name, then what followed in words (wraps in a narrow terminal)."""
    from rich.table import Table

    from duecourse.entrypoints.console import console

    if not summary:
        console.print("期间内没有计划 No plan rows in the period.", highlight=False)
        return
    table = Table(title=f"计划之后 What followed the plan, {first} – {last}")
    table.add_column(BY[by], no_wrap=True)
    table.add_column("结果 Outcomes", overflow="fold")
    for row in summary:
        parts = [
            f"{HEADINGS[k]} {row[k]:.1%}" if k == "paying_share" else f"{HEADINGS[k]} {row[k]:,}"
            for k in HEADINGS
        ]
        table.add_row(str(row[by]), " · ".join(parts))
    console.print(table, highlight=False)
