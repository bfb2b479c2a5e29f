"""A lender's own rule written only as a file (``tests/cases/lender_sunday.yaml``: no calls to
Guangdong on Sundays) is enforced by ``check-contact``, the daily run's guard and
``strategy lint``; a rule file with mistakes is refused with every problem listed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import yaml
from typer.testing import CliRunner

from duecourse.entrypoints.cli import app
from duecourse.strategy.actions import ACTIONS

RULE_FILE = Path(__file__).parents[1] / "cases" / "lender_sunday.yaml"
SUNDAY, MONDAY = "2025-06-29", "2025-06-30"


def _check(request: dict, *extra: str):
    return CliRunner().invoke(
        app, ["check-contact", "-", "--json", *extra], input=json.dumps(request)
    )


def _request(day: str, region: str) -> dict:
    return {
        "pack": "cn",
        "at": f"{day}T10:00:00+08:00",
        "contact": {"channel": "call", "to": "debtor", "number": "13800000001"},
        "debtor": {"timezones": ["Asia/Shanghai"], "region": region},
    }


def test_check_contact_enforces_the_lender_rule():
    sunday = _check(_request(SUNDAY, "广东"), "--overrides", str(RULE_FILE))
    assert sunday.exit_code == 0, sunday.output
    out = json.loads(sunday.output)
    assert out["verdict"] == "block" and out["rules"] == ["LENDER-GD-01"]
    assert out["reasons"] == ["LENDER-GD-01: 广东客户周日不致电 · no calls to 广东 on Sundays"]
    # midnight lifts the rule, then quiet hours hold the call until 08:00 on Monday
    assert out["next_allowed_at"] == f"{MONDAY}T08:00:00+08:00"
    for day, region, flag in ((MONDAY, "广东", "--overrides"), (SUNDAY, "湖北", "--overrides")):
        other = _check(_request(day, region), flag, str(RULE_FILE))
        assert json.loads(other.output)["verdict"] == "allow"
    assert json.loads(_check(_request(SUNDAY, "广东")).output)["verdict"] == "allow"


def test_the_daily_run_defers_the_lender_rules_calls(tmp_path):
    runner = CliRunner()
    data, url = tmp_path / "data", f"sqlite:///{tmp_path / 'store.db'}"
    sample = ["sample", str(data), "--accounts", "300", "--as-of", SUNDAY]
    assert runner.invoke(app, sample).exit_code == 0
    assert runner.invoke(app, ["--db", url, "import", str(data)]).exit_code == 0
    plans = {}
    for name, extra in (("plain", []), ("lender", ["--overrides", str(RULE_FILE)])):
        out = tmp_path / f"{name}.parquet"
        args = ["--db", url, "run", "--as-of", SUNDAY, "--what-if", "--output", str(out), *extra]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        plans[name] = {r["account_id"]: r for r in pq.read_table(out).to_pylist()}
    with (data / "borrowers.csv").open(encoding="utf-8") as f:
        region_of = {r["borrower_id"]: r["region"] for r in csv.DictReader(f)}
    with (data / "loans.csv").open(encoding="utf-8") as f:
        region = {r["loan_id"]: region_of[r["borrower_id"]] for r in csv.DictReader(f)}
    hit = [r for r in plans["lender"].values() if "LENDER-GD-01" in (r["rules"] or "")]
    assert hit, "no planned call in Guangdong was deferred"
    for row in hit:
        assert ACTIONS[row["action"]].reach.channel == "call"
        assert row["status"] == "deferred"
        assert "广东客户周日不致电" in row["reasons"]
        assert plans["plain"][row["account_id"]]["status"] == "planned"
    # every other row is as the pack alone planned it
    for key, row in plans["lender"].items():
        if row not in hit:
            assert row["status"] == plans["plain"][key]["status"]
    assert {region[r["account_id"]] for r in hit} == {"广东"}


def test_strategy_lint_reports_the_lender_rule():
    strategy = (
        Path(__file__).parents[2] / "src" / "duecourse" / "strategies" / "consumer_finance.yaml"
    )
    result = CliRunner().invoke(
        app, ["strategy", "lint", str(strategy), "--pack", "cn", "--overrides", str(RULE_FILE)]
    )
    out = " ".join(result.output.split())
    assert (
        "[LENDER-GD-01]: may plan contacts the pack blocks: No calls on Sundays in Guangdong" in out
    )
    flagged = {line.split("#")[1].split(" ")[0] for line in out.split("warning: ")[1:]}
    assert flagged, out
    # only rows whose action calls: a letter or an SMS is not touched by a rule on calls
    assert all(
        ACTIONS[rule.then["action"]].reach.channel == "call"
        for rule in _last_rows(strategy)
        if rule.id in flagged
    )


def _last_rows(path: Path):
    from duecourse.adapters.strategy_files import load_strategy

    return load_strategy(path).tables[-1].rules


def test_a_lender_rule_file_with_mistakes_lists_every_problem(tmp_path):
    bad = yaml.safe_load(RULE_FILE.read_text(encoding="utf-8"))
    rule = bad["rules"][0]
    rule["grade"] = "X"
    rule["colour"] = "red"
    rule["findings"][0]["when"] = 'channel == "phone" and regoin == province'
    rule["findings"].append(
        {
            "when": 'channel == "call" and channel == "sms"',
            "verdict": "block",
            "reason": {"zh": "无", "en": "{nothing}"},
        }
    )
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    result = _check(_request(SUNDAY, "广东"), "--overrides", str(path))
    assert result.exit_code == 2
    out = " ".join(result.output.split())
    for part in (
        "rules[0].grade: 应为 V、S 或 R · expected V, S or R",
        "rules[0].colour: 未知字段 · unknown field",
        "rules[0].findings[0].when:",
        "rules[0].findings[1].reason: 未知占位符 · unknown placeholder {nothing}",
        "rules[0].findings[1].when: 条件永不成立 · never holds",
    ):
        assert part in out, (part, out)
