"""``duecourse run --strategy optimiser`` on a sample store, with tight capacities: the
capacities hold, only the configured segments change, every optimised contact passes the rule
pack when the plan is guarded again as a plan, and every optimised row says why."""

from __future__ import annotations

from collections import Counter
from datetime import date

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from duecourse.adapters.optimiser_config import DEFAULT, load_optimiser_config
from duecourse.adapters.strategy_files import reference_strategies
from duecourse.batch.backend import batch_tables
from duecourse.batch.facts import facts_table
from duecourse.domain.facts import FactsConfig
from duecourse.entrypoints.cli import app
from duecourse.errors import BadData
from duecourse.service.plan import ArmSpec, RunSpec, guard_plan, run_columns
from duecourse.strategy.experiment import Arm

AS_OF = date(2025, 6, 30)
TIGHT = {"agent_minutes": 30, "letters": 2, "visits:*": 1}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("optimiser")
    url = f"sqlite:///{root / 'store.db'}"
    runner = CliRunner()

    def cli(*args: str) -> str:
        result = runner.invoke(app, ["--db", url, *args])
        assert result.exit_code == 0, result.output
        return result.output

    cli("sample", str(root / "data"), "--accounts", "400", "--as-of", AS_OF.isoformat())
    cli("import", str(root / "data"))
    config = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))
    config["capacities"] = TIGHT
    tight = root / "tight.yaml"
    tight.write_text(yaml.safe_dump(config), encoding="utf-8")
    day = ["--as-of", AS_OF.isoformat(), "--what-if"]
    cli("run", *day, "--output", str(root / "reference.parquet"))
    said = cli(
        "run",
        *day,
        "--strategy",
        "optimiser",
        "--optimiser-config",
        str(tight),
        "--output",
        str(root / "optimised.parquet"),
    )
    cli("facts", "--as-of", AS_OF.isoformat(), "--output", str(root / "facts.parquet"))
    return (
        url,
        tight,
        said,
        pq.read_table(root / "reference.parquet"),
        pq.read_table(root / "optimised.parquet"),
        pq.read_table(root / "facts.parquet"),
    )


def test_capacities_hold_and_only_the_configured_segments_change(runs) -> None:
    _, tight, said, reference, optimised, facts = runs
    config = load_optimiser_config(tight)
    ref = {r["account_id"]: r for r in reference.to_pylist()}
    rows = optimised.to_pylist()
    assert {r["account_id"] for r in rows} == set(ref)
    mine = [r for r in rows if r["strategy"] == "optimiser"]
    assert mine, "no account was optimised"
    for r in rows:
        if r["segment"] in config.segments:
            assert r["strategy"] == "optimiser"
            assert "optimiser: " in r["reasons"]
            assert r["action"] == "hold" or r["action"] in config.actions
        else:
            assert r == ref[r["account_id"]]
    counts = Counter(r["action"] for r in mine)
    minutes = sum(
        config.actions[a].uses.get("agent_minutes", 0) * n for a, n in counts.items() if a != "hold"
    )
    assert minutes <= TIGHT["agent_minutes"]
    assert counts["legal_letter"] <= TIGHT["letters"]
    where = {r["account_id"]: (r["lender"], r["region"]) for r in facts.to_pylist()}
    teams = Counter(where[r["account_id"]] for r in mine if r["action"] == "field_visit")
    assert all(n <= 1 for n in teams.values())
    # the tight agent capacity binds: the run reports its shadow price
    assert "agent_minutes" in "".join(said.split())


def test_every_optimised_contact_passes_the_rule_pack_as_a_plan(runs) -> None:
    url, tight, _, _, optimised, _ = runs
    arm = ArmSpec(Arm("champion", 100), reference_strategies(), load_optimiser_config(tight))
    spec = RunSpec(AS_OF, [arm])
    config = FactsConfig()
    wanted = run_columns(spec, config)
    backend, tables = batch_tables(url, names=list(wanted), wanted=wanted)
    facts = facts_table(backend, tables, AS_OF, config, "facts_check")
    mine = optimised.filter(pa.compute.equal(optimised["strategy"], "optimiser"))
    plan = backend.create_table("plan_check", ibis.memtable(mine), temp=True)
    again = backend.to_pyarrow(guard_plan(backend, plan, facts, tables, spec)).to_pylist()
    assert len(again) == mine.num_rows
    stopped = [
        (r["account_id"], r["action"], r["rules"]) for r in again if r["status"] != "planned"
    ]
    assert stopped == []


def test_a_bad_config_names_the_action(tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("actions: {agent_call: {promise_rate: 2}}\n", encoding="utf-8")
    with pytest.raises(BadData, match=r"actions\.agent_call"):
        load_optimiser_config(bad)
    bad.write_text("actions: {teleport: {}}\n", encoding="utf-8")
    with pytest.raises(BadData, match="unknown action"):
        load_optimiser_config(bad)
