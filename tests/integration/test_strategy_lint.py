"""``duecourse strategy lint``: rows the pack would block, and actions nobody carries out."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml
from typer.testing import CliRunner

from duecourse.adapters.strategy_files import REFERENCE, reference_strategies
from duecourse.compliance.packs import load_pack
from duecourse.entrypoints.cli import app
from duecourse.service.lint import lint_strategy
from duecourse.strategy import actions
from duecourse.strategy.pipeline import strategy_from_dict

ACTIONS_TABLE = yaml.safe_load((REFERENCE / "actions.yaml").read_text(encoding="utf-8"))


def strategy(*treatment_rows):
    treatment = {
        "name": "treatment",
        "hit_policy": "first",
        "inputs": {
            "days_past_due": "int",
            "amount_overdue": "decimal",
            "address_verified": "bool",
            "contact": "string",
        },
        "outputs": {"treatment": "string"},
        "rules": [*treatment_rows, {"id": "default", "when": {}, "then": {"treatment": "none"}}],
    }
    return strategy_from_dict({"name": "s", "tables": [treatment, ACTIONS_TABLE]})


def visit(rid, **when):
    return {"id": rid, "when": when, "then": {"treatment": "visit"}}


def messages(s, overrides=None):
    return [(i.severity, i.where, i.message) for i in lint_strategy(s, load_pack("cn", overrides))]


@pytest.mark.parametrize("lender_type", sorted(reference_strategies()))
def test_the_reference_strategies_lint_clean(lender_type):
    assert messages(reference_strategies()[lender_type]) == []


def test_a_visit_to_an_unverified_address_is_always_blocked():
    got = messages(strategy(visit("v", address_verified=False, contact='"lost"')))
    assert (
        "error",
        "treatment#v",
        "plans only visits the pack blocks: the address must be verified",
    ) in got


def test_a_visit_row_that_ignores_the_address_may_be_blocked():
    got = messages(strategy(visit("v", contact='"lost"', days_past_due="> 90")))
    assert (
        "warning",
        "treatment#v",
        "may plan visits the pack blocks: the address must be verified",
    ) in got


def test_a_visit_to_a_reachable_debtor_is_always_blocked():
    got = messages(strategy(visit("v", address_verified=True, contact='"reachable"')))
    assert any(s == "error" and "lost or unresponsive" in m for s, _, m in got)


def test_the_lenders_minimum_dpd_and_balance_for_visits():
    rows = strategy(
        visit(
            "early",
            address_verified=True,
            contact='"lost"',
            days_past_due="[31..60]",
            amount_overdue=">= 50000",
        )
    )
    strict = {"params": {"DC-VIS-PRE": {"min_dpd": 90, "min_balance": 10000}}}
    got = messages(rows, strict)
    assert ("error", "treatment#early", "days_past_due is always below min_dpd 90") in got
    assert not any("amount_overdue" in m for _, _, m in got)


def test_an_action_with_no_dispatcher_is_reported(monkeypatch):
    monkeypatch.setitem(
        actions.ACTIONS,
        "field_visit",
        actions.Action("field_visit", "visit", "外访", Decimal(0), 7, None),
    )
    got = messages(strategy(visit("v", address_verified=True, contact='"lost"')))
    assert ("error", "action#visit", "no dispatcher carries out 'field_visit'") in got


def test_the_cli_exits_non_zero_on_errors(tmp_path):
    bad = tmp_path / "s.yaml"
    s = {
        "name": "s",
        "tables": [
            {
                "name": "treatment",
                "inputs": {"address_verified": "bool"},
                "outputs": {"treatment": "string"},
                "rules": [
                    {
                        "id": "v",
                        "when": {"address_verified": False},
                        "then": {"treatment": "visit"},
                    },
                    {"id": "d", "when": {}, "then": {"treatment": "none"}},
                ],
            },
            {"include": str(REFERENCE / "actions.yaml")},
        ],
    }
    bad.write_text(yaml.safe_dump(s), encoding="utf-8")
    result = CliRunner().invoke(app, ["strategy", "lint", str(bad), "--pack", "cn"])
    assert result.exit_code == 1, result.output
    assert "DC-VIS-PRE" in result.output
    ok = CliRunner().invoke(app, ["strategy", "lint", str(REFERENCE / "small_loan.yaml")])
    assert ok.exit_code == 0, ok.output
