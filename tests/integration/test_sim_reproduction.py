"""Done-when: calibrated on the UCI file (cleaned), a 100,000-account simulation over six
months with a fixed seed reproduces the monthly transition probabilities (every row with at
least 1,000 simulated transitions) and the ever-late shares, each within ±0.02.

The simulation is ``duecourse simulate``'s own (``sim_report.run_simulation``): the real
pipeline every simulated day (facts → ``small_loan`` reference strategy → rule pack → plan),
outcomes recorded through the record service on the in-memory tables, tomorrow's facts read
from them; the roll rates are those of the ``simulate --json`` document (``roll_json``).
The slowest test of the suite: about 21 minutes of CPU (62 minutes wall on the loaded shared
machine; docs/simulation.md).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.status_files import read_uci
from duecourse.adapters.strategy_files import reference_strategy
from duecourse.domain.model import LenderType
from duecourse.lab.calibration import calibrate, initial_mix, matrices_by_step
from duecourse.service.progress import Silent
from duecourse.service.sim_html import write_report
from duecourse.service.sim_report import (
    reproduction_json,
    roll_json,
    run_simulation,
    simulation_json,
)
from duecourse.service.simulate import SimArm, SimSpec

UCI = Path(__file__).resolve().parents[3] / "shared/data/uci_default_credit_card_taiwan.csv.gz"
if not UCI.exists():
    UCI = Path("/work/shared/data/uci_default_credit_card_taiwan.csv.gz")
ACCOUNTS, DAYS, SEED = 100_000, 186, 20261202


def reproduction(accounts: int = ACCOUNTS, days: int = DAYS, progress=None):
    """The calibration, and the ``roll`` of a baseline simulation of the calibrated model."""
    chains = read_uci(UCI)
    fitted = calibrate(chains)
    model = read_behaviour().with_matrices(matrices_by_step(chains, fitted.matrix))
    model = model.with_initial_mix(initial_mix(chains))
    strategy = reference_strategy(LenderType.SMALL_LOAN)
    spec = SimSpec(accounts, days, SEED, date(2026, 1, 1), strategy)
    sim = run_simulation(spec, [SimArm("small_loan", strategy)], model, progress or Silent())
    return fitted, sim, roll_json(sim.results[0]), model


@pytest.fixture(scope="module")
def simulated():
    if not UCI.exists():
        pytest.skip("the UCI file is not here")
    return reproduction()


def test_every_account_is_seen_six_months(simulated):
    _, sim, _, _ = simulated
    assert all(len(chain) >= 6 for chain in sim.results[0][0].observations)


def test_the_pipeline_acted_and_recorded(simulated):
    _, sim, _, _ = simulated
    result = sim.results[0][0]
    assert sum(result.contacts.values()) > ACCOUNTS  # the strategy's actions were executed
    assert result.recovered.sum() > 0  # payments were posted through the record service


def test_monthly_transitions_within_two_points(simulated):
    fitted, _, roll, _ = simulated
    checked = 0
    for i, (row, n) in enumerate(zip(roll["matrix"], roll["n"], strict=True)):
        if n >= 1_000:
            checked += 1
            for j, p in enumerate(fitted.matrix[i]):
                assert abs(row[j] - p) <= 0.02, (i, j, row[j], p)
    assert checked == 5  # every state has enough simulated transitions at 100,000 accounts


def test_ever_late_shares_within_two_points(simulated):
    fitted, _, roll, _ = simulated
    for key in ("1+", "2+", "3+"):
        assert abs(roll["ever_late"][key] - fitted.ever_late[key]) <= 0.02, key


def test_the_report_says_the_calibration_is_reproduced(simulated, tmp_path):
    """The check ``simulate --calibration`` adds to its JSON and report agrees with the tests
    above, and the report shows it."""
    fitted, sim, roll, model = simulated
    check = reproduction_json(fitted, roll)
    assert check["within"] is True
    assert [r["checked"] for r in check["rows"]] == [True] * 5
    document = simulation_json(sim) | {"reproduction": check}
    write_report(sim, document, model, tmp_path / "sim.html")
    html = (tmp_path / "sim.html").read_text("utf-8")
    assert "复现 reproduced" in html and "未复现" not in html
