"""The ``duecourse`` command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from duecourse.adapters.store_url import ENV_VAR, store_url
from duecourse.batch.engines import Engine
from duecourse.domain.facts import FactsConfig
from duecourse.domain.ledger import parse_order
from duecourse.entrypoints import (
    assess_commands,
    compliance_commands,
    lab_commands,
    outcome_commands,
    plan_commands,
    record_commands,
    sim_commands,
    web_commands,
)
from duecourse.entrypoints.boundary import GuardedGroup, row_error_line
from duecourse.entrypoints.console import RichProgress, console, errors
from duecourse.entrypoints.formats import FormatOption, OutputFormat
from duecourse.errors import BadUsage
from duecourse.strategy.table import TableError

if TYPE_CHECKING:
    from duecourse.service.plan import ArmSpec

# Commands import the heavy parts (SQLAlchemy, ibis, DuckDB, the services) when they run, so
# that `duecourse --help` and the light commands start in about a second
# (tests/integration/test_cli_startup.py).

app = typer.Typer(
    cls=GuardedGroup,  # the error boundary: no traceback reaches a user (entrypoints/boundary.py)
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
        raise BadUsage("--as-of 不是日期", "is not a date (YYYY-MM-DD)", repr(value)) from None


def _output(path: Path | None) -> Path | None:
    """An output file whose folder exists (checked before any work is done)."""
    if path is not None and not path.parent.is_dir():
        raise BadUsage("输出文件夹不存在", "the output file's folder does not exist", str(path))
    return path


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
    encoding: Annotated[
        str,
        typer.Option(
            help="Encoding of the CSV files: auto (detect UTF-8, GBK or GB18030 per file), "
            "or one to use for all, e.g. gbk."
        ),
    ] = "auto",
    promise_grace: Annotated[
        int,
        typer.Option(min=0, help="Days after its due date a promise may still be kept."),
    ] = 0,
) -> None:
    """Import a portfolio atomically: every error is listed and nothing is written, or all is."""
    from duecourse.adapters.encodings import canonical

    try:
        order = parse_order(allocation_order)
    except ValueError as exc:
        raise BadUsage("--allocation-order 无效", f"invalid ({exc})", allocation_order) from None
    try:
        encoding = canonical(encoding)
    except LookupError:
        raise BadUsage("未知编码", "unknown encoding", repr(encoding)) from None
    from duecourse.adapters.store import open_store
    from duecourse.entrypoints.console import import_lines
    from duecourse.service.importer import ImportFailed, import_paths

    engine = open_store(state.db)
    try:
        report = import_paths(
            engine, paths, order, RichProgress(), encoding, promise_grace_days=promise_grace
        )
    except ImportFailed as failed:
        errors.print(
            f"[bold red]导入失败，未写入任何数据 Import rejected[/]: {failed}", soft_wrap=True
        )
        for error in failed.errors:
            errors.print(
                f"  {row_error_line(error)}", markup=False, highlight=False, soft_wrap=True
            )
        raise typer.Exit(1) from None
    for name, used in report.encodings.items():
        console.print(f"读取 read {name} · 编码 encoding {used}", highlight=False)
    for rendered in import_lines(report):  # a sentence is one line, however long
        console.print(rendered, markup=False, highlight=False, soft_wrap=True)


@app.command()
def sample(
    out: Annotated[Path, typer.Argument(help="Directory to write the CSV files into.")],
    accounts: Annotated[int, typer.Option(min=1, help="Number of accounts.")] = 20_000,
    seed: Annotated[int, typer.Option(help="Random seed; same seed, same portfolio.")] = 7,
    as_of: AsOf = None,
) -> None:
    """Generate a reproducible sample portfolio across the four lender types."""
    from duecourse.adapters.messages import text
    from duecourse.service.sample import write_sample

    counts = write_sample(out, accounts, seed, _as_of(as_of), RichProgress())
    for table, count in counts.items():
        console.print(f"{table:<18} {count:>10,} {text('rows')}")
    console.print(f"{text('Sample written to')} {out}", soft_wrap=True)


@app.command()
def facts(
    as_of: AsOf = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the facts to this Parquet file.")
    ] = None,
    summary: Annotated[bool, typer.Option(help="Print a summary table.")] = True,
    engine: Annotated[Engine, typer.Option(help="Where the facts are computed.")] = Engine.DUCKDB,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Compute every account's facts as of a date (DPD, bucket, amounts, contact, flags ...)."""
    from duecourse.adapters.messages import text
    from duecourse.adapters.store import open_store
    from duecourse.entrypoints.console import facts_tables
    from duecourse.entrypoints.formats import FACTS_FIELDS, emit, facts_data
    from duecourse.service.facts import compute_facts, summarize, write_facts

    day = _as_of(as_of)
    _output(output)
    open_store(state.db)
    config = FactsConfig()
    notes = console if format is OutputFormat.TABLE else errors
    with errors.status(text("Computing facts ...")):
        table = compute_facts(state.db, day, engine, config)
    if output is not None:
        write_facts(table, output)
        notes.print(f"{table.num_rows:,} {text('rows written to')} {output}", soft_wrap=True)
    if format is not OutputFormat.TABLE:
        emit(format, *facts_data(summarize(table, day, config)), FACTS_FIELDS)
    elif summary:
        for rendered in facts_tables(summarize(table, day, config), console.width):
            console.print(rendered)


strategy_app = typer.Typer(help="Check strategies and decision tables.", no_args_is_help=True)
app.add_typer(strategy_app, name="strategy")


def _arms(
    strategy: Path | None,
    challenger: Path | None,
    share: float,
    optimiser_config: Path | None = None,
) -> list[ArmSpec]:
    from duecourse.adapters.optimiser_config import load_optimiser_config
    from duecourse.adapters.strategy_files import load_strategy, reference_strategies
    from duecourse.service.plan import ArmSpec
    from duecourse.strategy.experiment import Arm
    from duecourse.strategy.pipeline import validate_strategy
    from duecourse.strategy.validate import errors_only

    def make(name: str, percent: float, path: Path | None) -> ArmSpec:
        if path is not None and str(path) == OPTIMISER:
            config = load_optimiser_config(optimiser_config)
            return ArmSpec(Arm(name, percent), reference_strategies(), optimiser=config)
        chosen = {"*": load_strategy(path)} if path else reference_strategies()
        return ArmSpec(Arm(name, percent), chosen)

    try:
        arms = [make("champion", 100 - share if challenger else 100, strategy)]
        if challenger:
            arms.append(make("challenger", share, challenger))
    except TableError as exc:
        _fail_table(exc)
    for arm in arms:
        for chosen in {id(s): s for s in arm.strategies.values()}.values():
            problems = errors_only(validate_strategy(chosen))
            if problems:
                _fail_table(TableError(problems))
    return arms


def _fail_table(exc: TableError) -> NoReturn:
    errors.print("[bold red]策略有误 Strategy rejected[/]")
    for issue in exc.issues:
        errors.print(f"  {issue}", markup=False, highlight=False)
    raise typer.Exit(1)


#: ``--strategy optimiser`` / ``--challenger optimiser``: the optimiser instead of a file.
OPTIMISER = "optimiser"
StrategyOpt = Annotated[
    Path | None,
    typer.Option(
        help="Strategy file for every account (default: the reference strategy of "
        "each account's lender type), or 'optimiser'."
    ),
]
ChallengerOpt = Annotated[
    Path | None,
    typer.Option(help="Challenger strategy file (champion/challenger test), or 'optimiser'."),
]
OptimiserConfigOpt = Annotated[
    Path | None,
    typer.Option(help="The optimiser's capacities and value parameters (YAML; default built in)."),
]
ShareOpt = Annotated[
    float, typer.Option(min=0, max=100, help="Percent of accounts in the challenger arm.")
]
ExperimentOpt = Annotated[str, typer.Option(help="Experiment name; it seeds the split.")]
CatchUpOpt = Annotated[
    int,
    typer.Option(
        min=0,
        help="bucket_jump compares with the latest stored plan at most this many days "
        "before the run's day (older plans: no jump).",
    ),
]


@app.command()
def run(
    as_of: AsOf = None,
    strategy: StrategyOpt = None,
    challenger: ChallengerOpt = None,
    challenger_share: ShareOpt = 20.0,
    experiment: ExperimentOpt = "default",
    output: Annotated[Path | None, typer.Option(help="Also write the plan to Parquet.")] = None,
    pack: Annotated[str, typer.Option(help="Rule pack that guards the plan: cn, us or uk.")] = "cn",
    overrides: Annotated[
        Path | None, typer.Option(help="A lender's rule-pack overrides (YAML).")
    ] = None,
    what_if: Annotated[
        bool,
        typer.Option("--what-if", help="Compute and print (and --output) the plan; store nothing."),
    ] = False,
    catch_up_days: CatchUpOpt = 7,
    optimiser_config: OptimiserConfigOpt = None,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Compute today's plan: facts → strategy → cadence → rule pack; store it, print a summary.

    A run for a day before the latest stored one is a backfill; later plans are kept."""
    from duecourse.adapters.messages import text
    from duecourse.adapters.overrides import load_overrides
    from duecourse.adapters.store import open_store
    from duecourse.compliance.packs import OverrideError, load_pack
    from duecourse.entrypoints.console import plan_groups, plan_tables
    from duecourse.entrypoints.formats import PLAN_FIELDS, emit, plan_data
    from duecourse.entrypoints.run_notes import optimiser_notes, run_notes
    from duecourse.service.plan import RunSpec, run_day, write_plan

    day = _as_of(as_of)
    _output(output)
    try:
        rules = load_pack(pack, load_overrides(overrides, pack))
    except OverrideError as exc:
        for problem in exc.problems:
            errors.print(f"规则包有误 · bad rule pack: {problem}", markup=False)
        raise typer.Exit(2) from None
    engine = open_store(state.db)
    arms = _arms(strategy, challenger, challenger_share, optimiser_config)
    spec = RunSpec(day, arms, experiment, rules, catch_up_days=catch_up_days)
    with errors.status(text("Planning ...")):
        result = run_day(engine, state.db, spec, what_if=what_if)
    plan = result.plan
    notes = console if format is OutputFormat.TABLE else errors
    for note in run_notes(day, result.runs, what_if, catch_up_days, plan.num_rows):
        notes.print(note, markup=False, highlight=False)
    for note in optimiser_notes(result.optimised):
        notes.print(note, markup=False, highlight=False)
    if output is not None:
        write_plan(plan, output)
        notes.print(f"{plan.num_rows:,} {text('plan rows written to')} {output}", soft_wrap=True)
    if format is not OutputFormat.TABLE:
        emit(format, *plan_data(plan_groups(plan), day.isoformat()), PLAN_FIELDS)
        return
    for rendered in plan_tables(plan, console.width):
        console.print(rendered)


@app.command()
def explain(
    account_id: Annotated[str, typer.Argument(help="The account (loan) id.")],
    as_of: AsOf = None,
    strategy: StrategyOpt = None,
    challenger: ChallengerOpt = None,
    challenger_share: ShareOpt = 20.0,
    experiment: ExperimentOpt = "default",
    catch_up_days: CatchUpOpt = 7,
    format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Explain one account: its facts, each table's matched row, and the resulting action."""
    from duecourse.adapters.store import open_store
    from duecourse.batch.guard_requests import LENDER_ZONE
    from duecourse.entrypoints.explain_view import explain_view, explanation_tables
    from duecourse.entrypoints.formats import EXPLAIN_FIELDS, emit, explain_records
    from duecourse.service.explain import UnknownAccount, explain_account
    from duecourse.service.plan import RunSpec

    day = _as_of(as_of)
    engine = open_store(state.db)
    arms = _arms(strategy, challenger, challenger_share)
    spec = RunSpec(day, arms, experiment, catch_up_days=catch_up_days)
    try:
        found = explain_account(engine, state.db, account_id, spec)
    except UnknownAccount:
        errors.print(f"没有该账户 No account {account_id!r}", markup=False)
        raise typer.Exit(1) from None
    view = explain_view(found, LENDER_ZONE)
    if format is not OutputFormat.TABLE:
        emit(format, view, explain_records(view), EXPLAIN_FIELDS)
        return
    for rendered in explanation_tables(view):
        console.print(rendered)


@app.command()
def decide(
    table: Annotated[Path, typer.Option(help="Decision table: .yaml or GoRules JDM .json.")],
    input: Annotated[Path, typer.Option("--input", help="Parquet file of input rows.")],
    output: Annotated[Path, typer.Option(help="Parquet file to write.")],
    key: Annotated[
        list[str] | None, typer.Option(help="Key column(s) to copy (default: account_id).")
    ] = None,
    matched_row: Annotated[
        bool, typer.Option(help="Also write matched_row, the id of the deciding row.")
    ] = False,
) -> None:
    """Evaluate one decision table over a Parquet file (DuckDB); write keys and outputs."""
    from duecourse.adapters.strategy_files import load_table
    from duecourse.service.decide import decide_parquet

    _output(output)
    try:
        loaded = load_table(table)
        rows = decide_parquet(loaded, input, output, key, matched_row)
    except TableError as exc:
        _fail_table(exc)
    except ValueError as exc:
        errors.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    console.print(f"{rows:,} rows decided → {output}")


@strategy_app.command("check")
def strategy_check(
    file: Annotated[Path, typer.Argument(help="A strategy file, or a single decision table.")],
    overlaps: Annotated[
        bool, typer.Option(help="Also list rows that overlap earlier rows.")
    ] = False,
) -> None:
    """Validate a strategy or table: columns, types, catch-all, unreachable rows, actions."""
    from duecourse.adapters.strategy_files import load_strategy, load_table
    from duecourse.strategy.pipeline import fact_columns, validate_strategy
    from duecourse.strategy.validate import errors_only, validate_table

    try:
        data = load_strategy(file) if _is_strategy(file) else None
        issues = (
            validate_strategy(data)
            if data is not None
            else validate_table(load_table(file), fact_columns(), overlaps)
        )
    except TableError as exc:
        _fail_table(exc)
    for issue in issues:
        style = "red" if issue.severity == "error" else "yellow"
        console.print(f"[{style}]{issue.severity}[/]: {issue}", highlight=False)
    if errors_only(issues):
        raise typer.Exit(1)
    console.print("策略有效 Valid.")


@strategy_app.command("lint")
def strategy_lint(
    file: Annotated[Path, typer.Argument(help="A strategy file.")],
    pack: Annotated[str, typer.Option(help="Rule pack: cn, us or uk.")] = "cn",
    overrides: Annotated[
        Path | None, typer.Option(help="A lender's rule-pack overrides (YAML).")
    ] = None,
) -> None:
    """Lint a strategy against a rule pack: rows the pack would block, rows that never match,
    actions with no dispatcher."""
    from duecourse.adapters.overrides import load_overrides
    from duecourse.adapters.strategy_files import load_strategy
    from duecourse.compliance.packs import OverrideError, load_pack
    from duecourse.service.lint import lint_strategy

    try:
        extra = load_overrides(overrides, pack)
        issues = lint_strategy(load_strategy(file), load_pack(pack, extra))
    except TableError as exc:
        _fail_table(exc)
    except OverrideError as exc:
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False)
        raise typer.Exit(2) from None
    for issue in issues:
        console.print(str(issue), highlight=False, markup=False)
    if any(i.severity == "error" for i in issues):
        raise typer.Exit(1)
    console.print(f"未发现问题 No problems against pack {pack}.", highlight=False)


def _is_strategy(path: Path) -> bool:
    from duecourse.adapters.textfile import read_text

    return path.suffix in {".yaml", ".yml"} and "tables:" in read_text(path)


assess_commands.register(app)
compliance_commands.register(app)
lab_commands.register(app)
sim_commands.register(app)
plan_commands.register(app)
record_commands.register(app, lambda: state.db)
outcome_commands.register(app, lambda: state.db)
web_commands.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
