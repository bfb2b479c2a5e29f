"""``duecourse simulate``: try strategies on simulated accounts (the simulation lab)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from duecourse.entrypoints.console import RichProgress, console
from duecourse.errors import BadData, BadUsage

if TYPE_CHECKING:
    from duecourse.lab.behaviour import BehaviourModel
    from duecourse.lab.calibration import Calibration
    from duecourse.service.simulate import SimArm

DEFAULT_START = "2026-01-01"


def register(app: typer.Typer) -> None:
    """Add the simulation command to ``app``."""
    app.command()(simulate)


def _calibrated(path: Path, model: BehaviourModel) -> tuple[Calibration, BehaviourModel]:
    """The calibration of a UCI-format history and ``model`` run from it (its matrix per
    simulated month and its starting mix), as the reproduction test runs it."""
    from duecourse.adapters.status_files import CalibrationInputError, read_uci
    from duecourse.lab.calibration import calibrate, initial_mix, matrices_by_step

    try:
        chains = read_uci(path)
    except CalibrationInputError as exc:
        first = exc.problems[0]
        raise BadData(f"校准文件有误：{first}", f"calibration file rejected: {first}") from None
    fitted = calibrate(chains)
    by_step = matrices_by_step(chains, fitted.matrix)
    return fitted, model.with_matrices(by_step).with_initial_mix(initial_mix(chains))


def _arm(name: str, baseline_name: str) -> SimArm:
    """A strategy by name: a reference strategy (``small_loan``, ``bank``, ...), a strategy
    file, ``optimiser`` (the daily run's optimiser over the baseline strategy's segments,
    with the built-in ``strategies/optimiser.yaml``) or a registered picker."""
    from duecourse.adapters.strategy_files import load_strategy, reference_strategy
    from duecourse.domain.model import LenderType
    from duecourse.service.simulate import PICKERS, SimArm

    kinds = {k.value: k for k in LenderType}
    if name == "optimiser":
        from duecourse.adapters.optimiser_config import load_optimiser_config

        baseline = reference_strategy(kinds[baseline_name])
        return SimArm(name, baseline, optimiser=load_optimiser_config())
    if name in PICKERS:
        pick, candidates = PICKERS[name]
        return SimArm(name, reference_strategy(kinds[baseline_name]), pick, candidates)
    if name in kinds:
        return SimArm(name, reference_strategy(kinds[name]))
    path = Path(name)
    if path.is_file():
        strategy = load_strategy(path)
        return SimArm(strategy.name, strategy)
    known = ", ".join([*kinds, "optimiser", *PICKERS])
    raise BadUsage(
        f"未知策略 {name!r}：可用 {known} 或策略文件路径",
        f"unknown strategy {name!r}: use one of {known} or a strategy file",
    )


def simulate(
    strategy: Annotated[
        str, typer.Option(help="Strategy: a reference one (small_loan, bank, ...) or a file.")
    ] = "small_loan",
    vs: Annotated[
        str | None, typer.Option(help="A second strategy, paired with the first.")
    ] = None,
    accounts: Annotated[int, typer.Option(min=1, help="Simulated accounts.")] = 10_000,
    days: Annotated[int, typer.Option(min=1, help="Simulated days.")] = 90,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same output.")] = 7,
    replications: Annotated[int, typer.Option(min=1, help="Independent worlds per arm.")] = 1,
    baseline: Annotated[
        str, typer.Option(help="The business-as-usual strategy the model is calibrated under.")
    ] = "small_loan",
    model_file: Annotated[
        Path | None, typer.Option("--model", help="Behaviour model file (default: packaged).")
    ] = None,
    start: Annotated[str, typer.Option(help="First simulated day (YYYY-MM-DD).")] = DEFAULT_START,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON (the contract).")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write a self-contained HTML report here.")
    ] = None,
    gain_three_ways: Annotated[
        bool,
        typer.Option(
            "--gain-three-ways",
            help="With --vs optimiser: the gain with true, estimated and halved effects.",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(min=1, help="Processes running arms and replications (same output)."),
    ] = 1,
    calibration: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="A UCI-format history: simulate the model calibrated on it (its monthly "
            "matrices and starting mix) and report how the first arm reproduces it.",
        ),
    ] = None,
) -> None:
    """Run the real pipeline day by day on simulated accounts and compare strategies:
    recovered, cost, net (with its interval), cure rate, contacts, visits, complaints, blocks."""
    from duecourse.adapters.behaviour_file import read_behaviour
    from duecourse.adapters.strategy_files import reference_strategy
    from duecourse.domain.model import LenderType
    from duecourse.service.sim_report import run_simulation, simulation_json
    from duecourse.service.simulate import SimSpec

    try:
        first_day = date.fromisoformat(start)
    except ValueError:
        raise BadUsage(
            f"日期格式应为 YYYY-MM-DD：{start}", f"--start must be YYYY-MM-DD: {start}"
        ) from None
    if baseline not in {k.value for k in LenderType}:
        raise BadUsage(f"基线策略未知：{baseline}", f"unknown baseline strategy {baseline!r}")
    model = read_behaviour(model_file)
    fitted = None
    if calibration is not None:
        fitted, model = _calibrated(calibration, model)
    arms = [_arm(strategy, baseline)]
    if vs is not None:
        arms.append(_arm(vs, baseline))
    if len({a.name for a in arms}) < len(arms):
        raise BadUsage("两个策略同名", "the two strategies have the same name")
    spec = SimSpec(
        accounts,
        days,
        seed,
        first_day,
        reference_strategy(LenderType(baseline)),
        lender_type=baseline,
        replications=replications,
    )
    if gain_three_ways and (len(arms) < 2 or arms[1].optimiser is None):
        raise BadUsage(
            "--gain-three-ways 需要 --vs optimiser", "--gain-three-ways needs --vs optimiser"
        )
    sim = run_simulation(spec, arms, model, RichProgress(), workers)
    document = simulation_json(sim)
    if fitted is not None:
        from duecourse.service.sim_report import reproduction_json

        document["reproduction"] = reproduction_json(fitted, document["roll"][arms[0].name])
    if gain_three_ways:
        from duecourse.service.sim_gain import gain_checks

        document["gain_checks"] = gain_checks(spec, arms[0], arms[1], model, RichProgress())
    if report is not None:
        from duecourse.service.sim_html import write_report

        try:
            write_report(sim, document, model, report)
        except OSError as exc:
            raise BadData(
                f"无法写入报告 {report}", f"cannot write the report {report}: {exc}"
            ) from None
    if json_output:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    _print(document)


def _print(document: dict[str, object]) -> None:
    from rich.table import Table

    table = Table(title="模拟结果 Simulation", title_justify="left")
    for column in ("策略 arm", "回收 recovered", "成本 cost", "净回收 net", "95% CI", "治愈 cure"):
        table.add_column(column, justify="right")
    arms = document["arms"]
    assert isinstance(arms, list)
    for arm in arms:
        table.add_row(
            arm["name"],
            arm["recovered"],
            arm["cost"],
            arm["net"],
            f"{arm['net_ci95'][0]} … {arm['net_ci95'][1]}",
            "—" if arm["cure_rate"] is None else f"{arm['cure_rate']:.2%}",
        )
    console.print(table)
    difference = document.get("difference")
    if isinstance(difference, dict):
        console.print(
            f"差异 Difference ({difference['of']}): {difference['net']} 元 yuan, 95% CI "
            f"{difference['ci95'][0]} … {difference['ci95'][1]}; "
            f"{'显著 significant' if difference['significant'] else '不显著 not significant'}",
            highlight=False,
        )
