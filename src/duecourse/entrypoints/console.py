"""Terminal output helpers: a progress bar behind the ``Progress`` port, and summary tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from rich.cells import cell_len
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

from duecourse.adapters.messages import text
from duecourse.entrypoints.labels import action_label, label

if TYPE_CHECKING:
    from duecourse.service.facts import FactsSummary
    from duecourse.service.importer import ImportReport

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


def import_lines(report: ImportReport) -> list[Table | str]:
    """What an import changed, truly: rows read and rows new or changed per table, then the
    journal; an import of what the store already holds says that nothing changed."""
    table = Table(title=text("Import"), title_justify="left")
    table.add_column(label("table"))
    table.add_column(label("rows_read"), justify="right")
    table.add_column(label("rows_changed"), justify="right")
    for name, count in report.rows.items():
        table.add_row(name, f"{count:,}", f"{report.changed.get(name, 0):,}")
    lines: list[Table | str] = [table]
    if report.nothing_changed:
        lines.append(text("Imported: nothing changed, the store already held every row."))
        return lines
    journal = report.journal
    lines.append(
        text(
            "Imported: {rows:,} rows new or changed; {written:,} allocations written, "
            "{removed:,} removed.",
            rows=sum(report.changed.values()),
            written=journal.allocations_written,
            removed=journal.allocations_removed,
        )
    )
    return lines


def fitted(
    title: str,
    head: str,
    rows: Sequence[tuple[str, Sequence[str]]],
    columns: Sequence[str],
    width: int,
) -> list[Table]:
    """A table of labelled rows of right-aligned counts that never drops a column.

    When every column does not fit in ``width`` (a narrow terminal, or 80 columns in a pipe),
    the columns are dealt into as many tables as needed, each repeating the row labels in full
    and saying which part it is; a row label wider than the terminal wraps."""
    label_width = max((cell_len(r) for r, _ in rows), default=0)
    label_width = max(label_width, cell_len(head))
    widths = [
        max(cell_len(c), *(cell_len(v[i]) for _, v in rows)) if rows else cell_len(c)
        for i, c in enumerate(columns)
    ]
    parts: list[list[int]] = [[]]
    used = label_width + 4  # a column is its cells, two spaces of padding and one border
    for i, w in enumerate(widths):
        if parts[-1] and used + w + 3 > width:
            parts.append([])
            used = label_width + 4
        parts[-1].append(i)
        used += w + 3
    tables = []
    for n, part in enumerate(parts, start=1):
        suffix = f" ({text('part {part} of {parts}', part=n, parts=len(parts))})"
        grid = Table(title=title + (suffix if len(parts) > 1 else ""), title_justify="left")
        grid.add_column(head, overflow="fold")
        for i in part:
            grid.add_column(columns[i], justify="right", no_wrap=True)
        for name, values in rows:
            grid.add_row(name, *(values[i] for i in part))
        tables.append(grid)
    return tables


def facts_tables(summary: FactsSummary, width: int = 80) -> list[Table]:
    """The facts summary: accounts by lender type × bucket, amounts overdue, contact status."""
    types = sorted({t for t, _ in summary.by_type_bucket})
    title = f"{text('Account facts')} — {summary.as_of} · {summary.accounts:,} {text('accounts')}"
    rows = []
    for kind in types:
        counts = [summary.by_type_bucket.get((kind, b), 0) for b in summary.buckets]
        rows.append((label(kind), [*(f"{c:,}" for c in counts), f"{sum(counts):,}"]))
    columns = [*summary.buckets, label("total")]
    grids = fitted(title, label("lender_type"), rows, columns, width)
    money = Table(title=text("Amounts overdue"))
    for column in ("lender_type", "past_due", "amount_overdue"):
        money.add_column(label(column), justify="left" if column == "lender_type" else "right")
    for kind in types:
        n, amount = summary.overdue_by_type.get(kind, (0, 0))
        money.add_row(label(kind), f"{n:,}", f"{amount:,.2f}")
    contact = Table(title=text("Contact status"))
    contact.add_column(label("contact"))
    contact.add_column(label("accounts"), justify="right")
    for status in ("reachable", "unresponsive", "lost"):
        contact.add_row(label(status), f"{summary.contact.get(status, 0):,}")
    return [*grids, money, contact]


PLAN_SUMMARY_KEYS = ["lender_type", "bucket", "action", "arm", "status", "rules"]


def plan_groups(plan: Any) -> list[dict[str, Any]]:
    """The plan counted by :data:`PLAN_SUMMARY_KEYS` (``count_all`` rows each).

    Counted in Arrow: a few hundred groups reach Python, not a million rows."""
    groups: list[dict[str, Any]] = (
        plan.group_by(PLAN_SUMMARY_KEYS).aggregate([([], "count_all")]).to_pylist()
    )
    return groups


def plan_tables(plan: Any, width: int = 80) -> list[Table]:
    """The daily plan summary: actions by lender type × bucket, by arm, by status, and what
    the rule pack blocked, deferred or sent for review, by rule."""
    rows = [(g, g["count_all"]) for g in plan_groups(plan)]
    buckets = sorted({r["bucket"] for r, _ in rows}, key=_bucket_order)
    by_type: Counter[tuple[str, str, str]] = Counter()
    by_arm: Counter[tuple[str, str]] = Counter()
    by_status: Counter[str] = Counter()
    for r, n in rows:
        by_type[(r["lender_type"], r["action"], r["bucket"])] += n
        by_arm[(r["action"], r["arm"])] += n
        by_status[r["status"]] += n
    tables = []
    for kind in sorted({t for t, _, _ in by_type}):
        lines = []
        for action in sorted({a for t, a, _ in by_type if t == kind}):
            counts = [by_type.get((kind, action, b), 0) for b in buckets]
            lines.append((action_label(action), [f"{c:,}" if c else "·" for c in counts]))
        title = text("Today's plan") + f" — {label(kind)}"
        tables += fitted(title, label("action"), lines, buckets, width)
    arms = sorted({arm for _, arm in by_arm})
    arm_rows = [
        (action_label(action), [f"{by_arm.get((action, a), 0):,}" for a in arms])
        for action in sorted({a for a, _ in by_arm})
    ]
    arm_tables = fitted(
        text("By arm (champion/challenger)"), label("action"), arm_rows, arms, width
    )
    status = Table(title=label("status"))
    status.add_column(label("status"))
    status.add_column(label("accounts"), justify="right")
    for name, count in sorted(by_status.items()):
        status.add_row(label(name), f"{count:,}")
    return [*tables, *arm_tables, status, _guard_table(rows)]


GUARDED = ("blocked", "deferred", "review", "warned")


def _guard_table(rows: list[tuple[dict[str, Any], int]]) -> Table:
    """Planned actions the pack stopped or warned on, by rule (an action stopped by two rules
    counts under both); ``rows`` are plan rows with how many times each occurs."""
    by_rule: Counter[tuple[str, str]] = Counter()
    for r, n in rows:
        if r["rules"] and r["status"] in (*GUARDED, "planned"):
            for rule in r["rules"].split(","):
                by_rule[(rule, "warned" if r["status"] == "planned" else r["status"])] += n
    table = Table(title=text("The rule pack, by rule"))
    table.add_column(label("rule"), no_wrap=True)
    for heading in GUARDED:
        table.add_column(label(heading), justify="right")
    for rule in sorted({rule for rule, _ in by_rule}):
        table.add_row(rule, *(f"{by_rule.get((rule, s), 0):,}" for s in GUARDED))
    if not by_rule:
        table.add_row("—", *("0" for _ in GUARDED))
    return table


def _bucket_order(bucket: str) -> int:
    digits = "".join(ch for ch in bucket if ch.isdigit())
    return int(digits or 0)
