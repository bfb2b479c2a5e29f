"""``duecourse plan-repayment``: the documented example, its JSON, guardrails files, and bad
input that gets one bilingual message naming the field (never a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from duecourse.adapters.repayment_json import load_guardrails
from duecourse.domain.repayment.terms import Guardrails
from duecourse.entrypoints.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "plan-proposal.json"
GUARDRAILS = ROOT / "docs" / "examples" / "guardrails.yaml"
runner = CliRunner()
MAIN = "from duecourse.entrypoints.cli import main; main()"
D = Decimal


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["plan-repayment", *args], input=stdin)


def test_the_documented_example_as_json():
    result = run(str(EXAMPLE), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["verdict"] == "accepted" and out["reasons"] == [] and out["approvers"] == []
    plan = out["plan"]
    # by hand: 10,000 principal + 500 interest carried − 1,070 down payment = 9,430.00;
    # the 1,000 penalty is waived; the 200 fees are due with the first instalment;
    # one month's deferral interest, 9,430 × 1% = 94.30, is waived
    assert plan["amount_financed"] == "9430.00"
    assert plan["forgiven"]["penalty"] == "1000.00"
    assert plan["deferral_interest"] == "94.30"
    rows = plan["instalments"]
    assert len(rows) == 12
    assert rows[0]["due_date"] == "2027-02-15"  # start 2026-12-15, one month deferred
    assert rows[0]["interest"] == "94.30" and rows[0]["separate"] == "200.00"
    assert sum(D(r["principal"]) for r in rows) == D("9430.00")
    assert rows[-1]["balance"] == "0.00"
    assert len({r["payment"] for r in rows[1:-1]}) == 1
    total = D(plan["down_payment"]) + sum(D(r["payment"]) for r in rows)
    assert D(plan["total_payable"]) == total
    assert D(plan["cost"]["nominal_annual"]) <= D(out["cost_cap"])
    assert [n["code"] for n in out["notes"]][:4] == [
        "NOT_A_RIGHT",
        "NOT_BINDING",
        "LIMITATION",
        "CREDIT_RECORD",
    ]


def test_the_readable_output_is_bilingual():
    result = run(str(EXAMPLE))
    assert result.exit_code == 0, result.output
    text = result.stdout
    for expected in ("结论 Verdict", "accepted", "2027-02-15", "不是借款人的权利", "MAY agree"):
        assert expected in text


def test_standard_input_and_a_guardrails_file(tmp_path: Path):
    strict = tmp_path / "strict.yaml"
    strict.write_text("min_down_payment_share: 0.2\nmax_term_months: 6\n", encoding="utf-8")
    result = run("-", "--json", "--guardrails", str(strict), stdin=EXAMPLE.read_text("utf-8"))
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["verdict"] == "rejected"
    assert [r["code"] for r in out["reasons"]] == ["TERM_TOO_LONG", "DOWN_PAYMENT_TOO_LOW"]
    # 20% of the amount payable (11,700 − 1,000 waived = 10,700) is 2,140.00
    assert "2,140.00" in out["reasons"][1]["en"]


def test_the_example_guardrails_file_is_the_defaults():
    assert load_guardrails(GUARDRAILS) == Guardrails()


def test_approval_names_the_role(tmp_path: Path):
    proposal = json.loads(EXAMPLE.read_text("utf-8"))
    proposal["term_months"] = 36
    path = tmp_path / "p.json"
    path.write_text(json.dumps(proposal), encoding="utf-8")
    out = json.loads(run(str(path), "--json").stdout)
    assert out["verdict"] == "approval" and out["approvers"] == ["collections_supervisor"]
    assert "审批" in out["reasons"][0]["zh"] and "must approve" in out["reasons"][0]["en"]


BAD = [
    ("{bad", "not valid JSON", 1),
    (
        '{"debt": {"principal": "100.001"}, "method": "equal_principal", "annual_rate": 0.1,'
        ' "term_months": 3}',
        "debt.principal",
        1,
    ),
    (
        '{"debt": {"principal": 100}, "method": "annuity", "annual_rate": 0.1, "term_months": 3}',
        "method",
        1,
    ),
    (
        '{"debt": {"principal": 100}, "method": "equal_principal", "annual_rate": 0.1,'
        ' "term_months": 3, "colour": 1}',
        "colour",
        1,
    ),
    (
        '{"debt": {"principal": 100}, "method": "equal_principal", "annual_rate": 0.1,'
        ' "term_months": 3, "down_payment": 200}',
        "down_payment",
        1,
    ),
    (
        '{"debt": {"principal": 100, "penalty": 5}, "method": "equal_principal", "annual_rate": 0,'
        ' "term_months": 3, "discounts": {"penalty": {"amount": 6}}}',
        "discounts.penalty.amount",
        1,
    ),
    ('{"method": "equal_principal", "annual_rate": 0.1, "term_months": 3}', "debt", 1),
    (
        '{"debt": {"principal": 100}, "method": "equal_principal", "annual_rate": -1,'
        ' "term_months": 3}',
        "annual_rate",
        1,
    ),
]


@pytest.mark.parametrize(("text", "named", "code"), BAD)
def test_bad_input_names_the_field(text: str, named: str, code: int):
    result = run("-", "--json", stdin=text)
    assert result.exit_code == code
    assert named in result.stderr and "方案有误" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_missing_files_are_usage_errors(tmp_path: Path):
    result = run(str(tmp_path / "none.json"))
    assert result.exit_code == 2 and "文件不存在 File not found" in result.stderr
    result = run(str(EXAMPLE), "--guardrails", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2 and "none.yaml" in result.stderr


def test_bad_guardrails_name_the_file_and_field(tmp_path: Path):
    bad = tmp_path / "g.yaml"
    bad.write_text("cost_cap: lots\non_cap: maybe\n", encoding="utf-8")
    result = run(str(EXAMPLE), "--guardrails", str(bad))
    assert result.exit_code == 1
    assert "限额设置有误" in result.stderr
    assert f"{bad}: cost_cap" in result.stderr and f"{bad}: on_cap" in result.stderr


def test_the_worked_example_in_the_docs_is_the_real_output():
    doc = (ROOT / "docs" / "borrower.md").read_text(encoding="utf-8")
    # a real process: the terminal width is read when the console is made
    result = subprocess.run(
        [sys.executable, "-c", MAIN, "plan-repayment", str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    rows = [line.rstrip() for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(rows) > 12
    for row in rows:
        assert row in doc, f"docs/borrower.md is stale: {row}"


def test_files_that_are_not_text_are_refused(tmp_path: Path):
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\xff\xfe\x00")
    result = run(str(binary))
    assert result.exit_code == 1 and "not UTF-8" in result.stderr
    result = run(str(EXAMPLE), "--guardrails", str(binary))
    assert result.exit_code == 1 and "限额设置有误" in result.stderr and "x.bin" in result.stderr
