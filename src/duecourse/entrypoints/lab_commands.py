"""The simulation lab's commands: ``calibrate``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from duecourse.entrypoints.console import console, errors

if TYPE_CHECKING:
    from rich.table import Table

    from duecourse.lab.calibration import Calibration, Counts, Matrix

STATE_LABELS = {
    "current": "正常 current",
    "1": "逾期1月 1 month",
    "2": "逾期2月 2 months",
    "3": "逾期3月 3 months",
    "4+": "逾期4月+ 4+ months",
}
SHOWN_PROBLEMS = 30


class StatusFormat(StrEnum):
    """The layouts ``calibrate`` reads."""

    UCI_TAIWAN = "uci-taiwan"
    MONTHLY_STATUS = "monthly-status"


def register(app: typer.Typer) -> None:
    """Add the lab commands to ``app``."""
    app.command()(calibrate)


def calibrate(
    file: Annotated[Path, typer.Argument(help="The history file (.csv or .csv.gz).")],
    file_format: Annotated[
        StatusFormat,
        typer.Option(
            "--format",
            help="uci-taiwan: the UCI default-of-credit-card file; monthly-status: a long CSV "
            "account_id, month (YYYY-MM), months_late[, segment].",
        ),
    ],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (the contract).")] = False,
    sparse_below: Annotated[
        int, typer.Option(min=1, help="Rows with fewer transitions than this are smoothed.")
    ] = 1_000,
    prior_strength: Annotated[
        float, typer.Option(min=0, help="Pseudo-counts of the prior a sparse row shrinks toward.")
    ] = 100.0,
) -> None:
    """Fit the monthly roll-rate matrix (current, 1, 2, 3, 4+ months late): raw, cleaned by the
    one-step cap, sparse rows smoothed; ever-late shares."""
    import json

    from duecourse.adapters.status_files import (
        CalibrationInputError,
        read_monthly_status,
        read_uci,
    )
    from duecourse.lab.calibration import calibrate_all, calibration_json

    read = read_uci if file_format is StatusFormat.UCI_TAIWAN else read_monthly_status
    try:
        accounts = read(file)
    except CalibrationInputError as exc:
        errors.print("[bold red]校准文件有误 Calibration file rejected[/]", highlight=False)
        for problem in exc.problems[:SHOWN_PROBLEMS]:
            errors.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)
        if len(exc.problems) > SHOWN_PROBLEMS:
            more = len(exc.problems) - SHOWN_PROBLEMS
            errors.print(f"  … 另有 {more:,} 处 and {more:,} more", highlight=False)
        raise typer.Exit(1) from None
    pooled, segments = calibrate_all(accounts, sparse_below, prior_strength)
    if json_output:
        typer.echo(json.dumps(calibration_json(pooled, segments), ensure_ascii=False, indent=2))
        return
    _print(pooled, "全部账户 All accounts")
    for name, found in segments.items():
        _print(found, f"分段 Segment {name}")


def _print(found: Calibration, title: str) -> None:
    from rich.table import Table

    from duecourse.lab.calibration import row_matrix

    console.print(
        f"[bold]{title}[/]: 账户 accounts {found.accounts:,} · 月度迁移 transitions "
        f"{found.transitions:,} · 封顶改动的月份 months lowered by the cap {found.capped_months:,}",
        highlight=False,
    )
    ever = Table(title="曾经逾期 Ever late: cleaned / raw")
    for key in found.ever_late:
        ever.add_column(f"{key} 月 months", justify="right")
    ever.add_row(
        *(f"{found.ever_late[k]:.2%} / {found.raw_ever_late[k]:.2%}" for k in found.ever_late)
    )
    console.print(ever)
    sparse = set(found.sparse_rows)
    console.print(_matrix_table("原始 Raw", found.raw_counts, row_matrix(found.raw_counts), set()))
    console.print(
        _matrix_table(
            "封顶后 Cleaned (s_t ≤ s_t-1 + 1)",
            found.cleaned_counts,
            row_matrix(found.cleaned_counts),
            set(),
        )
    )
    console.print(
        _matrix_table(
            f"模拟器使用 Used by the simulator (* 稀疏行已平滑 sparse row smoothed, "
            f"n < {found.sparse_below:,})",
            found.cleaned_counts,
            found.matrix,
            sparse,
        )
    )


def _matrix_table(title: str, counts: Counts, matrix: Matrix, sparse: set[str]) -> Table:
    from rich.table import Table

    from duecourse.lab.calibration import STATES

    table = Table(title=f"迁移矩阵 Transition matrix — {title}", title_justify="left")
    table.add_column("从 From \\ 到 To", no_wrap=True)
    table.add_column("n", justify="right")
    for state in STATES:
        table.add_column(STATE_LABELS[state], justify="right")
    for state, row, probabilities in zip(STATES, counts, matrix, strict=True):
        marker = " *" if state in sparse else ""
        table.add_row(
            STATE_LABELS[state] + marker,
            f"{sum(row):,}",
            *(f"{p:.4f}" if p else "·" for p in probabilities),
        )
    return table
