"""Terminal output helpers: a progress bar behind the ``Progress`` port, and summary tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from duecourse.entrypoints.labels import label
from duecourse.service.facts import FactsSummary

T = TypeVar("T")
console = Console()
errors = Console(stderr=True)


class RichProgress:
    """Shows a progress bar (on stderr) for each long step."""

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=errors, transient=True) as bar:
            yield from bar.track(items, total=total, description=description)


def facts_tables(summary: FactsSummary) -> list[Table]:
    """The facts summary as three tables."""
    types = sorted({t for t, _ in summary.by_type_bucket})
    grid = Table(
        title=f"账户事实 Account facts — {summary.as_of} · {summary.accounts:,} 账户 accounts"
    )
    grid.add_column(label("lender_type"), no_wrap=True)
    for bucket in summary.buckets:
        grid.add_column(bucket, justify="right")
    grid.add_column(label("total"), justify="right")
    for kind in types:
        counts = [summary.by_type_bucket.get((kind, b), 0) for b in summary.buckets]
        grid.add_row(label(kind), *(f"{c:,}" for c in counts), f"{sum(counts):,}")
    money = Table(title="逾期金额 Amounts overdue")
    for column in ("lender_type", "past_due", "amount_overdue"):
        money.add_column(label(column), justify="left" if column == "lender_type" else "right")
    for kind in types:
        n, amount = summary.overdue_by_type.get(kind, (0, 0))
        money.add_row(label(kind), f"{n:,}", f"{amount:,.2f}")
    contact = Table(title="联系状态 Contact status")
    contact.add_column(label("contact"))
    contact.add_column(label("accounts"), justify="right")
    for status in ("reachable", "unresponsive", "lost"):
        contact.add_row(label(status), f"{summary.contact.get(status, 0):,}")
    return [grid, money, contact]
