"""``duecourse check-contact`` honours the JSON contract of DESIGN.md §3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from duecourse.adapters.contact_json import parse_request
from duecourse.compliance.packs import OverrideError, evaluate, load_pack
from duecourse.entrypoints.cli import app

REQUEST = {
    "pack": "cn",
    "at": "2025-06-05T22:30:00+08:00",
    "contact": {
        "channel": "call",
        "to": "debtor",
        "third_party_id": None,
        "number": "13800000001",
        "debts": ["L1"],
        "purpose": "collect",
        "discloses_debt": False,
        "collectors": 1,
        "text": None,
        "by": "inhouse",
        "consented": False,
        "visit": {
            "address_verified": True,
            "notice_sent_at": "2025-06-01T10:00:00+08:00",
            "id_and_authorisation": True,
            "enters_premises": False,
            "consent_to_enter": False,
        },
    },
    "debtor": {
        "timezones": ["Asia/Shanghai"],
        "number_invalid": False,
        "consecutive_failed_calls": 0,
        "days_unreachable": 0,
        "deceased": False,
        "attorney_on_file": False,
        "cease_requested": False,
        "dispute_open": False,
        "inconvenient_windows": [["00:00", "10:00"]],
        "agreed_windows": [],
        "opted_out_channels": ["sms"],
        "moratorium": False,
    },
    "third_parties": [{"id": "c1", "opted_out": False}],
    "history": [],
}


def run(args, stdin=None):
    return CliRunner().invoke(app, args, input=stdin)


def test_the_output_has_the_contract_fields(tmp_path):
    path = tmp_path / "req.json"
    path.write_text(json.dumps(REQUEST), encoding="utf-8")
    result = run(["check-contact", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert {"verdict", "rules", "reasons", "next_allowed_at"} <= set(out)
    assert out["verdict"] == "block" and out["rules"] == ["CN-TIME-01"]
    assert out["next_allowed_at"] == "2025-06-06T08:00:00+08:00"


def test_standard_input_is_read_with_a_dash():
    result = run(
        ["check-contact", "-", "--json"],
        stdin=json.dumps({**REQUEST, "at": "2025-06-05T10:30:00+08:00"}),
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["verdict"] == "allow"


def test_bad_requests_name_the_field_and_exit_2():
    bad = {
        **REQUEST,
        "at": "2025-06-05T10:30:00",
        "contact": {**REQUEST["contact"], "channel": "pigeon"},
    }
    result = run(["check-contact", "-", "--json"], stdin=json.dumps(bad))
    assert result.exit_code == 2
    assert "contact.channel" in result.output
    naive = run(["check-contact", "-"], stdin=json.dumps({**REQUEST, "at": "2025-06-05T10:30:00"}))
    assert naive.exit_code == 2 and "needs a UTC offset" in naive.output
    assert run(["check-contact", "-"], stdin="{not json").exit_code == 2


def test_a_lender_override_changes_the_parameter(tmp_path):
    overrides = tmp_path / "lender.yaml"
    overrides.write_text('params:\n  CN-TIME-01: {quiet: ["21:00", "09:00"]}\n', encoding="utf-8")
    at_2130 = json.dumps({**REQUEST, "at": "2025-06-05T21:30:00+08:00"})
    assert (
        json.loads(run(["check-contact", "-", "--json"], stdin=at_2130).output)["verdict"]
        == "allow"
    )
    stricter = run(["check-contact", "-", "--json", "--overrides", str(overrides)], stdin=at_2130)
    assert json.loads(stricter.output)["verdict"] == "block"


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"params": {"CN-NOPE": {}}}, "unknown rule 'CN-NOPE'"),
        ({"params": {"CN-VIS-01": {"min_people": 3}}}, "unknown parameter 'min_people'"),
        ({"params": {"CN-VIS-01": {"min_visitors": "two"}}}, "expected int"),
        ({"disabled": ["US-TIME-01"]}, "disabled: unknown rule 'US-TIME-01'"),
        ({"rule": {}}, "unknown section 'rule'"),
        ({"rules": {}}, "rules: 应为规则列表 · expected a list of rules"),
    ],
)
def test_bad_overrides_are_rejected_with_every_problem(overrides, problem):
    with pytest.raises(OverrideError) as failed:
        load_pack("cn", overrides)
    assert any(problem in p for p in failed.value.problems)


def test_a_disabled_rule_no_longer_decides():
    request = parse_request({**REQUEST, "at": "2025-06-05T23:00:00+08:00"})
    assert evaluate(request, load_pack("cn", {"disabled": ["CN-TIME-01"]})).verdict.value == (
        "allow"
    )


def test_check_message_outputs_the_contract():
    result = run(["check-message", "我是法院的，你涉嫌诈骗罪，明天上门抓人", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["verdict"] == "violation" and out["mentions_door_visit"] is True
    first = out["findings"][0]
    assert set(first) == {"code", "rule", "span", "explanation"}
    assert {f["code"] for f in out["findings"]} >= {"IMPERSONATION", "FALSE_LEGAL_CLAIM"}
    calm = run(["check-message", "-", "--json"], stdin="我司不会上门催收。")
    assert json.loads(calm.output) == {
        "verdict": "compliant",
        "mentions_door_visit": False,
        "findings_omitted": 0,
        "findings": [],
    }


def test_rules_lists_every_rule_of_the_pack_with_its_daily_run_status():
    result = run(["rules", "--pack", "us"])
    assert result.exit_code == 0, result.output
    assert all(rule in result.output for rule in ("US-TIME-01", "US-VAL-02", "US-TB-01"))
    assert "single only" in result.output
    assert run(["rules", "--pack", "xx"]).exit_code == 2


def test_templates_check_refuses_a_bad_file_and_passes_the_reference(tmp_path):
    bad = tmp_path / "t.yaml"
    bad.write_text("- {action: sms_reminder, zh: '{name}再不还就打断你的腿', en: 'Pay now'}\n")
    refused = run(["templates", "check", str(bad)])
    assert refused.exit_code == 1 and "CN-BAN-2" in refused.output
    reference = Path("src/duecourse/strategies/templates.yaml")
    passed = run(["templates", "check", str(reference), "--pack", "us"])
    assert passed.exit_code == 0 and "sms_reminder" in passed.output
