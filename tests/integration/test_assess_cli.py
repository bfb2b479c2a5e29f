"""``duecourse assess FILE|- [--json]``: the contract on standard output, errors by field."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from duecourse.entrypoints.cli import app

CASE = {
    "lender_type": "online_platform",
    "days_past_due": 95,
    "amount_overdue": 9000,
    "contact": "lost",
    "negotiating": False,
    "address_verified": True,
    "prior_overdues": 2,
}


def test_json_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    result = CliRunner().invoke(app, ["assess", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert set(out) >= {"door_visit", "next_actions", "reasons", "rights", "advice"}
    assert out["case"]["amount_overdue"] == "9000.00"


def test_summary_from_stdin_is_bilingual() -> None:
    result = CliRunner().invoke(app, ["assess", "-"], input=json.dumps(CASE))
    assert result.exit_code == 0, result.output
    for words in ("上门概率", "Door-visit probability", "您的权利", "Your rights", "12378"):
        assert words in result.stdout


def test_bad_input_names_the_field_and_exits_2() -> None:
    result = CliRunner().invoke(app, ["assess", "-"], input=json.dumps({**CASE, "contact": "x"}))
    assert result.exit_code == 2
    assert "contact" in result.stderr and "评估请求有误" in result.stderr
    assert "Traceback" not in result.output


def test_not_json_and_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["assess", "-"], input="{not json")
    assert result.exit_code == 2 and "JSON" in result.stderr
    result = CliRunner().invoke(app, ["assess", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "none.json" in result.stderr


def test_the_worked_cases_in_the_docs_are_the_commands_output() -> None:
    """docs/borrower.md quotes the real output for its three cases."""
    root = Path(__file__).resolve().parents[2]
    docs = (root / "docs" / "borrower.md").read_text(encoding="utf-8")
    for name in ("assess-consumer-finance", "assess-case", "assess-negotiating"):
        path = root / "docs" / "examples" / f"{name}.json"
        result = CliRunner().invoke(app, ["assess", str(path), "--json"])
        visit = json.loads(result.stdout)["door_visit"]
        case = " ".join(docs.split(f"(`{name}.json`)", 1)[1].split("\n\n", 1)[0].split())
        assert f"Probability **{visit['probability']:.3f}, {visit['level']}**" in case, name
