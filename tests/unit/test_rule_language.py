"""The rule language: what it refuses when a file is loaded, and the one setting of "lost"."""

from __future__ import annotations

import pytest

from duecourse.compliance.lang import LangError, Scope, parse
from duecourse.compliance.packs import contact_thresholds, load_pack
from duecourse.compliance.rulefile import RuleFileError, read_rules

SCOPE = Scope({"limit": 3, "quiet": ("22:00", "08:00"), "zone": "Asia/Shanghai"}, {"n": "int"})


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('chanel == "call"', "unknown name 'chanel'"),
        ('channel == "phone"', "channel can never be 'phone'"),
        ("collectors == true", "cannot compare int with bool"),
        ("channel < 3", "cannot compare str with int"),
        ("past.outcome == 1", "past.* is only allowed in a count"),
        ("open(1)", "unknown function 'open'"),
        ("channel.upper()", "unknown function"),
        ("local_date(at)", "local_date takes 2 arguments"),
        ("in_window(at, quiet)", "in_window needs at least one zone"),
        ("n + 1", "expected bool, got int"),
        ("1 < n < 3", "one comparison at a time"),
        ("__import__('os')", "unknown function"),
    ],
)
def test_expressions_outside_the_language_are_refused(text, why):
    with pytest.raises(LangError, match=None) as failed:
        parse(text, SCOPE, "bool")
    assert why in str(failed.value)


def test_a_rule_whose_parts_exclude_each_other_never_holds():
    rule = {
        "id": "LENDER-X-01",
        "title": {"zh": "无", "en": "none"},
        "source": "test",
        "grade": "V",
        "findings": [
            {
                "when": 'channel == "call" and to == "debtor" and channel in ["sms", "email"]',
                "verdict": "block",
                "reason": {"zh": "无", "en": "none"},
            }
        ],
    }
    with pytest.raises(RuleFileError) as failed:
        read_rules([rule], "rules")
    assert failed.value.problems == [
        "rules[0].findings[0].when: 条件永不成立 · never holds: channel 的条件互相矛盾 · the "
        "conditions on channel exclude each other"
    ]


def test_the_facts_and_the_rule_read_one_setting_of_lost():
    assert contact_thresholds(load_pack("cn")).lost_after_failed_calls == 3
    lender = load_pack("cn", {"params": {"CN-TGT-02": {"lost_after_failed_calls": 5}}})
    thresholds = contact_thresholds(lender)
    assert (thresholds.lost_after_failed_calls, thresholds.lost_after_days_unreachable) == (5, 3)
