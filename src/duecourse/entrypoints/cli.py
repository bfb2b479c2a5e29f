"""The ``duecourse`` command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from duecourse.adapters.store import ENV_VAR, open_store, store_url
from duecourse.batch.backend import Engine
from duecourse.domain.facts import FactsConfig
from duecourse.domain.ledger import parse_order
from duecourse.entrypoints.console import RichProgress, console, errors, facts_tables
from duecourse.service.facts import compute_facts, summarize, write_facts
from duecourse.service.importer import ImportFailed, import_paths
from duecourse.service.sample import write_sample

app = typer.Typer(
    help="duecourse — 合规催收决策引擎 · a compliance-first collections engine.",
    no_args_is_help=True,
    add_completion=False,
)


class State:
    db: str = ""


state = State()

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="The day to compute for, YYYY-MM-DD (default: today)."),
]


def _as_of(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=f"Store URL (SQLAlchemy). Default: ${ENV_VAR}, else sqlite:///duecourse.db.",
        ),
    ] = None,
) -> None:
    """duecourse — 合规催收决策引擎 · a compliance-first collections engine."""
    state.db = store_url(db)


@app.command("import")
def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Directories or files: <table>.csv or <table>.parquet.")
    ],
    allocation_order: Annotated[
        str,
        typer.Option(help="Payment allocation order within an instalment."),
    ] = "fee,penalty,interest,principal",
) -> None:
    """Import a portfolio atomically: every error is listed and nothing is written, or all is."""
    try:
        order = parse_order(allocation_order)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    engine = open_store(state.db)
    try:
        report = import_paths(engine, paths, order, RichProgress())
    except ImportFailed as failed:
        errors.print(f"[bold red]导入失败 Import rejected[/]: {failed}")
        for error in failed.errors:
            errors.print(f"  {error}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    for table, count in report.rows.items():
        console.print(f"{table:<18} {count:>10,} rows")
    console.print(
        f"导入完成 Imported; {report.loans_reposted:,} loans re-posted, "
        f"{report.allocations:,} allocations."
    )


@app.command()
def sample(
    out: Annotated[Path, typer.Argument(help="Directory to write the CSV files into.")],
    accounts: Annotated[int, typer.Option(min=1, help="Number of accounts.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same portfolio.")] = 7,
    as_of: AsOf = None,
) -> None:
    """Generate a reproducible sample portfolio across the four lender types."""
    counts = write_sample(out, accounts, seed, _as_of(as_of), RichProgress())
    for table, count in counts.items():
        console.print(f"{table:<18} {count:>10,} rows")
    console.print(f"样本已写入 Sample written to {out}")


@app.command()
def facts(
    as_of: AsOf = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the facts to this Parquet file.")
    ] = None,
    summary: Annotated[bool, typer.Option(help="Print a summary table.")] = True,
    engine: Annotated[Engine, typer.Option(help="Where the facts are computed.")] = Engine.DUCKDB,
) -> None:
    """Compute every account's facts as of a date (DPD, bucket, amounts, contact, flags ...)."""
    day = _as_of(as_of)
    open_store(state.db)
    config = FactsConfig()
    with console.status("计算账户事实 Computing facts ..."):
        table = compute_facts(state.db, day, engine, config)
    if output is not None:
        write_facts(table, output)
        console.print(f"{table.num_rows:,} rows written to {output}")
    if summary:
        for rendered in facts_tables(summarize(table, day, config)):
            console.print(rendered)


def main() -> None:
    """Console-script entry point."""
    app()
