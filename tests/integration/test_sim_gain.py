"""``simulate --vs optimiser --gain-three-ways`` on a small world: the three checks are in
the JSON (beside the fixed fields) and in the HTML report; without an optimiser arm the flag
is refused. Eight arm runs of 120 accounts × 4 days: 2.6 minutes at 5 days on the shared
machine at load 8."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.entrypoints.cli import app

ARGS = ["simulate", "--accounts", "120", "--days", "4", "--seed", "5"]


def test_the_gain_three_ways(tmp_path):
    report = tmp_path / "sim.html"
    args = [*ARGS, "--vs", "optimiser", "--gain-three-ways", "--json", "--report", str(report)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output[result.output.index("{") :])
    assert {"seed", "replications", "arms", "difference", "roll"} <= document.keys()
    checks = document["gain_checks"]
    assert [c["check"] for c in checks] == ["true", "estimated", "halved"]
    assert [c["world"] for c in checks] == ["as modelled", "as modelled", "action effects halved"]
    for check in checks:
        diff = check["difference"]
        assert diff["of"] == "optimiser - small_loan"
        assert set(diff) == {"of", "net", "ci95", "significant", "accounts_needed"}
        low, high = (float(x) for x in diff["ci95"])
        assert low <= float(diff["net"]) <= high
    model = read_behaviour()
    truth = {a: round(e.lift, 4) for a, e in model.actions.items()}
    # The optimiser believes the simulator's lifts in the true and halved checks, and
    # estimated ones (only for actions the baseline took) in the other.
    assert checks[0]["lift"] == checks[2]["lift"] == dict(sorted(truth.items()))
    assert set(checks[1]["lift"]) <= set(truth)
    assert all(v >= 0 for v in checks[1]["lift"].values())
    page = report.read_text(encoding="utf-8")
    assert "The gain three ways" in page and "action effects halved" in page


def test_the_gain_three_ways_needs_an_optimiser_arm():
    result = CliRunner().invoke(app, [*ARGS, "--gain-three-ways"])
    assert result.exit_code == 2
    assert "--vs optimiser" in result.output
