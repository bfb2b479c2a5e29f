"""The plan summary the daily run prints: counts by lender type × bucket, arm, status and rule."""

from __future__ import annotations

import io

import pyarrow as pa
from rich.console import Console

from duecourse.entrypoints.console import plan_tables

ROWS = [
    # lender_type, bucket, action, arm, status, rules
    ("bank", "M1", "sms_reminder", "champion", "planned", None),
    ("bank", "M1", "sms_reminder", "champion", "planned", None),
    ("bank", "M1", "sms_reminder", "challenger", "planned", ""),
    ("bank", "M3", "agent_call", "champion", "deferred", "CN-TIME-01"),
    ("small_loan", "M4", "field_visit", "champion", "review", "DC-VIS-PRE,CN-TGT-04"),
    ("small_loan", "M4", "field_visit", "challenger", "planned", "DC-VIS-PRE"),
    ("small_loan", "M0", "hold", "champion", "planned", None),
]


def _rendered(rows: list[tuple[str | None, ...]]) -> str:
    names = ["lender_type", "bucket", "action", "arm", "status", "rules"]
    plan = pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})
    out = Console(file=io.StringIO(), width=240)
    for table in plan_tables(plan):
        out.print(table)
    text = out.file.getvalue()
    assert isinstance(text, str)
    return text


def _line(text: str, *words: str) -> str:
    found = [line for line in text.splitlines() if all(w in line for w in words)]
    assert len(found) == 1, (words, found)
    return found[0]


def _numbers(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("│")[2:-1]]


def test_actions_are_counted_by_lender_type_and_bucket():
    text = _rendered(ROWS)
    bank = text.split("Today's plan — ")[1]  # the first grid is the bank's
    assert _numbers(_line(bank, "SMS reminder")) == ["·", "3", "·", "·"]  # M0 M1 M3 M4
    assert "field visit" not in bank.split("Today's plan")[0].lower()


def test_arms_statuses_and_rules_are_counted():
    text = _rendered(ROWS)
    by_arm = text.split("By arm")[1]
    assert _numbers(_line(by_arm, "SMS reminder")) == ["1", "2"]  # challenger, champion
    status = text.split("状态 Status")[-1]  # after the header
    assert _numbers(_line(status, "planned"))[-1] == "5"
    rules = text.split("The rule pack, by rule")[1]
    # blocked, deferred, review, warned; an action stopped by two rules counts under both
    assert _numbers(_line(rules, "DC-VIS-PRE")) == ["0", "0", "1", "1"]
    assert _numbers(_line(rules, "CN-TGT-04")) == ["0", "0", "1", "0"]
    assert _numbers(_line(rules, "CN-TIME-01")) == ["0", "1", "0", "0"]
