"""The simulator on the real pipeline: the same seed gives the same bytes, every yuan paid is
allocated and no balance goes negative, outcomes reach tomorrow's facts, arms are paired."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from typer.testing import CliRunner

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.optimiser_config import load_optimiser_config
from duecourse.adapters.strategy_files import reference_strategy
from duecourse.domain.model import LenderType
from duecourse.entrypoints.cli import app
from duecourse.service.sim_world import MemoryRecorder
from duecourse.service.simulate import SimArm, SimSpec, simulate_arm
from duecourse.strategy.action_values import Valuation

ACCOUNTS, DAYS = 120, 6


class KeepingRecorder(MemoryRecorder):
    """Records as the simulator does, and keeps every row it was given."""

    kept: ClassVar[dict[str, list[dict[str, Any]]]] = defaultdict(list)
    last: ClassVar[MemoryRecorder | None] = None

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        KeepingRecorder.last = self

    @classmethod
    def journals(cls) -> dict[str, list[dict[str, Any]]]:
        """What the record service posted in the last simulation's tables."""
        assert cls.last is not None
        con = cls.last.port.con
        return {
            table: con.execute(f"SELECT * FROM {table}").to_arrow_table().to_pylist()
            for table in ("allocations", "penalty_charges", "promise_states")
        }

    def record(self, day, rows):
        super().record(day, rows)
        for name, table_rows in rows.items():
            self.kept[name] += [dict(r) for r in table_rows]


@pytest.fixture(scope="module")
def run():
    KeepingRecorder.kept = defaultdict(list)
    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(ACCOUNTS, DAYS, 3, date(2026, 1, 1), strategy)
    result = simulate_arm(
        spec, SimArm("small_loan", strategy), read_behaviour(), recorder_for=KeepingRecorder
    )
    return result, {**KeepingRecorder.kept, **KeepingRecorder.journals()}


def test_every_yuan_paid_is_allocated_and_no_balance_goes_negative(run):
    result, kept = run
    payments = kept["payments"]
    assert payments, "six days of 120 accounts have payments"
    allocated = defaultdict(int)
    for a in kept["allocations"]:
        assert a["amount_cents"] > 0
        allocated[a["payment_id"]] += a["amount_cents"]
    for p in payments:
        assert allocated[p["payment_id"]] == p["amount_cents"], p["payment_id"]
    assert sum(p["amount_cents"] for p in payments) == int(result.recovered.sum())
    # No component is paid beyond what it owed: the simulated world's instalments are equal,
    # principal + 2 % interest; penalties are what the ledger charged.
    paid = defaultdict(int)
    for a in kept["allocations"]:
        paid[(a["loan_id"], a["seq"], a["component"])] += a["amount_cents"]
    charged = defaultdict(int)
    for c in kept["penalty_charges"]:
        charged[(c["loan_id"], c["seq"], "penalty")] += c["amount_cents"]
    for key, cents in paid.items():
        if key[2] == "penalty":
            assert cents <= charged[key], key
    per_instalment = defaultdict(dict)
    for (loan, seq, component), cents in paid.items():
        per_instalment[(loan, seq)][component] = cents
    for parts in per_instalment.values():
        if "interest" in parts and "principal" in parts:
            assert parts["interest"] * 50 >= parts["principal"] or parts["interest"] * 50 == 0


def test_actions_were_planned_executed_and_recorded(run):
    result, kept = run
    assert sum(result.contacts.values()) > 0
    assert len(kept["contact_attempts"]) >= sum(result.contacts.values())
    assert result.cost.sum() > 0 and len(result.curve) == DAYS


def test_the_same_seed_gives_the_same_bytes_and_arms_are_paired():
    runner = CliRunner()
    args = ["simulate", "--accounts", "40", "--days", "2", "--seed", "11", "--json"]
    first = runner.invoke(app, [*args, "--vs", "bank"])
    second = runner.invoke(app, [*args, "--vs", "bank"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert document["seed"] == 11 and [a["name"] for a in document["arms"]] == [
        "small_loan",
        "bank",
    ]
    diff = document["difference"]
    nets = [float(a["net"]) for a in document["arms"]]
    assert float(diff["net"]) == pytest.approx(nets[0] - nets[1], abs=0.01)
    lo, hi = (float(x) for x in diff["ci95"])
    assert lo <= float(diff["net"]) <= hi
    other = runner.invoke(app, [*args[:-2], "12", "--json"])
    assert json.loads(other.stdout)["arms"][0]["recovered"] != document["arms"][0]["recovered"]


def test_under_the_baseline_the_pipeline_leaves_the_roll_as_the_model_alone():
    """The baseline arm's every relative lift is 1, so with the same seed the pipeline-driven
    simulator and the model alone draw the same payments and see the same monthly states:
    what the 100,000-account reproduction test shows for the model holds for the simulator."""
    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(80, 12, 5, date(2026, 1, 1), strategy)
    arm = SimArm("small_loan", strategy)
    model = read_behaviour()
    driven = simulate_arm(spec, arm, model)
    alone = simulate_arm(spec, arm, model, pipeline=False)
    assert driven.observations == alone.observations
    assert sum(len(c) > 1 for c in driven.observations) > 20  # a due date passed for many
    assert driven.instalments is not None and alone.instalments is not None
    assert (driven.instalments == alone.instalments).all()
    assert ((driven.recovered > 0) == (driven.instalments > 0)).all()


def test_a_picker_chooses_among_the_candidates_the_pack_allows():
    """The optimiser's hook: a picker sees, per candidate action, the pack's verdict for
    every account, and only what it picks is executed."""
    seen: list[dict[str, list[str]]] = []

    def sms_where_allowed(plan, _facts, _model, candidates):
        verdicts = candidates["sms_reminder"]
        assert verdicts["account_id"].to_pylist() == plan["account_id"].to_pylist()
        seen.append({a: t["status"].to_pylist() for a, t in candidates.items()})
        return [
            "sms_reminder" if status == "planned" else None
            for status in verdicts["status"].to_pylist()
        ]

    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(40, 1, 9, date(2026, 1, 1), strategy)
    arm = SimArm("sms_only", strategy, sms_where_allowed, ("sms_reminder", "field_visit"))
    result = simulate_arm(spec, arm, read_behaviour())
    assert len(seen) == 1 and set(seen[0]) == {"sms_reminder", "field_visit"}
    allowed = sum(s == "planned" for day in seen for s in day["sms_reminder"])
    assert set(result.contacts) == {"sms"} and result.contacts["sms"] == allowed
    assert set(result.cost_by_action) <= {"sms_reminder", "agency_commission"}
    # a field visit is not allowed for everyone (unverified addresses, reachable debtors)
    assert "blocked" in seen[0]["field_visit"] or "deferred" in seen[0]["field_visit"]


def test_the_optimiser_is_a_strategy_in_the_simulator():
    """``--vs optimiser``: the daily run's optimiser chooses the second arm's actions on the
    same accounts and draws; it plans actions the reference strategy does not, and gives each
    account at most one action a day."""
    accounts, days = 300, 4
    args = ["simulate", "--strategy", "small_loan", "--vs", "optimiser"]
    args += ["--accounts", str(accounts), "--days", str(days), "--seed", "3", "--json"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    arms = {a["name"]: a for a in json.loads(out.stdout)["arms"]}
    assert set(arms) == {"small_loan", "optimiser"}
    chosen = set(arms["optimiser"]["cost_by_action"])
    assert chosen - set(arms["small_loan"]["cost_by_action"])  # it decides, not copies
    assert sum(arms["optimiser"]["contacts"].values()) <= accounts * days


class NothingIsWorthIt:
    """An estimator under which no action brings anything: the optimiser holds everyone."""

    def __call__(self, facts, account, action):
        zeros = np.zeros(len(account))
        return Valuation(gain=zeros, cost=zeros + 1.0, complaint=zeros)


def test_an_optimiser_that_does_nothing_collects_less_than_the_baseline():
    """The payment hazard is calibrated under the baseline strategy, so an arm's actions act
    relative to what the baseline would have done on the same day. An optimiser arm that
    holds every account it optimises forgoes the baseline's reminders: it must collect less
    than the baseline on the same accounts and draws, not the same (its lift is not 1)."""
    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(400, 20, 11, date(2026, 1, 1), strategy)
    model = read_behaviour()
    idle = dataclasses.replace(load_optimiser_config(), estimator=NothingIsWorthIt())
    baseline = simulate_arm(spec, SimArm("small_loan", strategy), model)
    holding = simulate_arm(spec, SimArm("optimiser", strategy, optimiser=idle), model)
    assert sum(holding.contacts.values()) < sum(baseline.contacts.values()) / 2
    assert holding.instalments is not None and baseline.instalments is not None
    assert holding.instalments.sum() < baseline.instalments.sum()
    assert holding.recovered.sum() < baseline.recovered.sum()


def test_workers_change_nothing_but_the_wall_time():
    """Replications spread over two processes give the same bytes as one process."""
    runner = CliRunner()
    args = ["simulate", "--accounts", "30", "--days", "2", "--seed", "5"]
    args += ["--replications", "2", "--json"]
    one = runner.invoke(app, args)
    two = runner.invoke(app, [*args, "--workers", "2"])
    assert one.exit_code == 0 and two.exit_code == 0, (one.output, two.output)
    assert one.stdout == two.stdout
    assert json.loads(one.stdout)["replications"] == 2


def test_keeping_only_the_plans_later_runs_read_changes_nothing():
    """The recorder keeps of each day's plan only the columns and rows a later run reads;
    a recorder keeping every plan whole gives the same simulation."""

    class KeepingAll(MemoryRecorder):
        def __init__(self, tables, *_read):
            super().__init__(tables)

    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(100, 8, 4, date(2026, 1, 1), strategy)
    arm, model = SimArm("small_loan", strategy), read_behaviour()
    kept = simulate_arm(spec, arm, model)
    whole = simulate_arm(spec, arm, model, recorder_for=KeepingAll)
    assert kept.curve == whole.curve and (kept.cost == whole.cost).all()
    assert kept.contacts == whole.contacts and kept.blocked == whole.blocked
    assert kept.observations == whole.observations
    assert sum(kept.contacts.values()) > 0


UCI = Path(__file__).resolve().parents[3] / "shared/data/uci_default_credit_card_taiwan.csv.gz"
if not UCI.exists():
    UCI = Path("/work/shared/data/uci_default_credit_card_taiwan.csv.gz")


@pytest.mark.skipif(not UCI.exists(), reason="the UCI file is not here")
def test_simulate_against_a_calibration_reports_the_reproduction(tmp_path):
    """Too small to reproduce (300 accounts, 35 days): the check is there, rows with fewer
    than 1,000 simulated transitions are not checked, and the report shows it."""
    report = tmp_path / "sim.html"
    args = ["simulate", "--accounts", "300", "--days", "35", "--calibration", str(UCI)]
    result = CliRunner().invoke(app, [*args, "--json", "--report", str(report)])
    assert result.exit_code == 0, result.output
    check = json.loads(result.output[result.output.index("{") :])["reproduction"]
    assert [r["state"] for r in check["rows"]] == ["current", "1", "2", "3", "4+"]
    assert not any(r["checked"] for r in check["rows"][1:])  # too few late accounts
    assert set(check["ever_late"]) == {"1+", "2+", "3+"}
    assert "复现校准 Reproducing the calibration" in report.read_text("utf-8")


def test_a_bad_calibration_file_is_named_without_a_traceback(tmp_path):
    bad = tmp_path / "history.csv"
    bad.write_text("not,a,uci,file\n1,2,3,4\n", encoding="utf-8")
    args = ["simulate", "--accounts", "50", "--days", "2", "--calibration", str(bad)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert "history.csv" in result.output and "Traceback" not in result.output
