"""check-contact and the overrides files refuse values that break their field's rules: every
problem at once, by field path and reason (Chinese and English), exit 2, nothing evaluated."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from duecourse.entrypoints.cli import app
from tests.store_checksum import store_checksum

REQUEST = {
    "pack": "cn",
    "at": "2025-06-05T10:30:00+08:00",
    "contact": {"channel": "call", "to": "debtor", "number": "13800000001", "debts": ["L1"]},
    "debtor": {"timezones": ["Asia/Shanghai"], "consecutive_failed_calls": 0},
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check(request_text: str, *extra: str):
    return CliRunner().invoke(app, ["check-contact", "-", "--json", *extra], input=request_text)


def with_debtor(**debtor) -> str:
    return json.dumps({**REQUEST, "debtor": {**REQUEST["debtor"], **debtor}})


def test_a_valid_request_is_answered():
    result = check(json.dumps(REQUEST))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["verdict"] == "allow"


@pytest.mark.parametrize(
    ("request_text", "path", "reason"),
    [
        (
            with_debtor(consecutive_failed_calls=-1),
            "debtor.consecutive_failed_calls",
            "不能为负 · must not be negative, got -1",
        ),
        (
            with_debtor(timezones=["Asia/Beijing"]),
            "debtor.timezones.0",
            "'Asia/Beijing' 不是 IANA 时区 · is not an IANA time zone",
        ),
        (
            with_debtor(inconvenient_windows=[["25:00", "09:00"]]),
            "debtor.inconvenient_windows.0",
            "'25:00' 不是 00:00–24:00 之间的 HH:MM 时间",
        ),
        (
            with_debtor(agreed_windows=[["10:00", "10:00"]]),
            "debtor.agreed_windows.0",
            "start and end are the same time of day",
        ),
        (
            with_debtor(opted_out_channels=["fax"]),
            "debtor.opted_out_channels.0",
            "'fax' 不是渠道 · is not a channel",
        ),
        (with_debtor(days_unreachable=-3), "debtor.days_unreachable", "must not be negative"),
        (
            with_debtor(balance_overdue="-1"),
            "debtor.balance_overdue",
            "must be a finite number, not negative",
        ),
        (
            with_debtor(consecutive_failed_call=2),
            "debtor.consecutive_failed_call",
            "未知字段 · unknown field",
        ),
        (
            json.dumps({**REQUEST, "contact": {**REQUEST["contact"], "number": "not-a-number"}}),
            "contact.number",
            "'not-a-number' 不是有效的电话号码 · is not a valid phone number",
        ),
        (
            json.dumps({**REQUEST, "contact": {**REQUEST["contact"], "collectors": -2}}),
            "contact.collectors",
            "must not be negative",
        ),
        (
            json.dumps({**REQUEST, "at": "2126-06-05T10:30:00+08:00"}),
            "at",
            "is not within 50 years of today",
        ),
        (
            json.dumps({**REQUEST, "at": "2025-02-30T10:30:00+08:00"}),
            "at",
            "应为日期时间 · Input should be a valid datetime",
        ),
        (
            json.dumps(
                {
                    **REQUEST,
                    "history": [
                        {
                            "at": "2126-01-01T09:00:00+08:00",
                            "channel": "call",
                            "to": "debtor",
                            "outcome": "busy",
                        }
                    ],
                }
            ),
            "history.0.at",
            "is not within 50 years of at 2025-06-05",
        ),
        (
            '{"pack": "cn", "at": "2025-06-05T10:30:00+08:00", "at": "2025-06-05T23:30:00+08:00",'
            ' "contact": {"channel": "call", "to": "debtor"}}',
            "at",
            "键重复 · duplicate key 'at'",
        ),
        (
            '{"at": "2025-06-05T10:30:00+08:00",'
            ' "contact": {"channel": "call", "to": "debtor", "to": "third_party"}}',
            "contact.to",
            "duplicate key 'to'",
        ),
    ],
    ids=[
        "negative-failed-calls",
        "asia-beijing",
        "window-25h",
        "empty-window",
        "channel",
        "negative-days",
        "negative-balance",
        "unknown-key",
        "phone",
        "negative-collectors",
        "at-2126",
        "impossible-date",
        "history-2126",
        "duplicate-top",
        "duplicate-nested",
    ],
)
def test_a_bad_value_is_refused_naming_the_field(request_text, path, reason):
    result = check(request_text)
    assert result.exit_code == 2
    assert "请求有误 · bad request" in result.output
    assert any(line.strip().startswith(f"{path}: ") for line in result.output.splitlines())
    assert squash(reason) in squash(result.output)
    assert '"verdict"' not in result.output


def test_every_problem_of_a_request_is_listed_at_once():
    bad = {
        **REQUEST,
        "contact": {**REQUEST["contact"], "number": "not-a-number", "channel": "pigeon"},
        "debtor": {
            "timezones": ["Asia/Beijing", "Asia/Shanghai"],
            "consecutive_failed_calls": -1,
            "inconvenient_windows": [["00:00", "08:00"], ["25:00", "09:00"]],
        },
    }
    out = squash(check(json.dumps(bad)).output)
    for path in (
        "contact.channel:",
        "contact.number:",
        "debtor.timezones.0:",
        "debtor.consecutive_failed_calls:",
        "debtor.inconvenient_windows.1:",
    ):
        assert squash(path) in out
    assert "debtor.timezones.1:" not in out and "debtor.inconvenient_windows.0:" not in out


def test_numbers_written_two_ways_are_one_number():
    """The same number in E.164 and national form counts toward one per-number cap."""
    calls = [
        {
            "at": f"2025-06-05T09:{m:02d}:00+08:00",
            "channel": "call",
            "to": "debtor",
            "number": number,
            "outcome": "unanswered",
        }
        for m, number in zip(
            range(0, 60, 10), ["+86 138 0000 0001", "13800000001"] * 3, strict=True
        )
    ]
    result = check(json.dumps({**REQUEST, "history": calls}))
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["verdict"] == "block" and "CN-FREQ-03" in out["rules"]


OVERRIDES = """\
params:
  CN-TIME-01: {quiet: ["25:00", "09:00"], zone: Asia/Beijing}
  CN-VIS-01: {min_visitors: -1}
  CN-FREQ-03: {max_unanswered_attempts_per_number_per_day: -6, cap: 3}
  CN-NOPE: {}
rule: {}
rules: {}
disabled: [US-TIME-01]
"""


def test_every_problem_of_an_overrides_file_is_listed_at_once(tmp_path):
    path = tmp_path / "lender.yaml"
    path.write_text(OVERRIDES, encoding="utf-8")
    result = check(json.dumps(REQUEST), "--overrides", str(path))
    assert result.exit_code == 2
    out = squash(result.output)
    for problem in (
        "lender.yaml: params.CN-TIME-01.quiet: '25:00' 不是 00:00–24:00 之间的 HH:MM 时间",
        "lender.yaml: params.CN-TIME-01.zone: 'Asia/Beijing' 不是 IANA 时区",
        "lender.yaml: params.CN-VIS-01.min_visitors: 不能为负 · "
        "Input should be greater than or equal to 0, got -1",
        "lender.yaml: params.CN-FREQ-03.max_unanswered_attempts_per_number_per_day: 不能为负",
        "lender.yaml: params.CN-FREQ-03.cap: 未知参数 · unknown parameter",
        "lender.yaml: params.CN-NOPE: 未知规则 · unknown rule",
        "lender.yaml: rule: 未知节 · unknown section (known: params, disabled, rules)",
        "lender.yaml: rules: 应为列表",
        "lender.yaml: disabled.0: 不是允许的取值",
    ):
        assert squash(problem) in out, problem
    assert '"verdict"' not in result.output


def test_a_duplicate_key_in_an_overrides_file_is_refused_with_its_line(tmp_path):
    path = tmp_path / "lender.yaml"
    path.write_text('params:\n  CN-TIME-01: {quiet: ["21:00", "08:00"]}\n  CN-TIME-01: {}\n')
    result = check(json.dumps(REQUEST), "--overrides", str(path))
    assert result.exit_code == 2
    assert squash("lender.yaml: 第 3 行 line 3, column 3") in squash(result.output)
    assert squash("duplicate key 'CN-TIME-01'") in squash(result.output)


def test_a_window_ending_at_24_00_is_midnight(tmp_path):
    path = tmp_path / "lender.yaml"
    path.write_text('params:\n  CN-TIME-01: {quiet: ["21:00", "24:00"]}\n', encoding="utf-8")
    late = json.dumps({**REQUEST, "at": "2025-06-05T23:30:00+08:00"})
    early = json.dumps({**REQUEST, "at": "2025-06-06T00:30:00+08:00"})
    assert json.loads(check(late, "--overrides", str(path)).output)["verdict"] == "block"
    assert json.loads(check(early, "--overrides", str(path)).output)["verdict"] == "allow"


def test_run_and_lint_refuse_bad_overrides_and_leave_the_store_alone(tmp_path):
    path = tmp_path / "lender.yaml"
    path.write_text("params:\n  CN-VIS-01: {min_visitors: -1}\n", encoding="utf-8")
    store = tmp_path / "store.db"
    url = f"sqlite:///{store}"
    runner = CliRunner()
    data = tmp_path / "data"
    assert (
        runner.invoke(
            app, ["sample", str(data), "--accounts", "5", "--as-of", "2025-06-30"]
        ).exit_code
        == 0
    )
    assert runner.invoke(app, ["--db", url, "import", str(data)]).exit_code == 0
    before = store_checksum(store)
    result = runner.invoke(
        app, ["--db", url, "run", "--as-of", "2025-06-30", "--overrides", str(path)]
    )
    assert result.exit_code == 2
    assert squash("params.CN-VIS-01.min_visitors: 不能为负") in squash(result.output)
    assert store_checksum(store) == before
