"""Message templates are checked when loaded; record retention per pack."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from duecourse.adapters.templates import TemplateRefused, load_templates
from duecourse.compliance.retention import may_discard
from duecourse.compliance.templates import Template, template_problems, text_columns
from duecourse.compliance.verdict import Verdict


@pytest.mark.parametrize("pack", ["cn", "us"])
def test_the_reference_templates_load_for_both_packs(pack):
    assert set(load_templates(pack=pack)) >= {"sms_reminder", "legal_letter", "field_visit"}


def test_a_file_with_a_threatening_template_is_refused_with_every_finding(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(
        "- {action: sms_reminder, zh: '{name}再不还钱就打断你的腿', en: 'Pay {amount} now.'}\n"
        "- {action: hold, zh: 'x', en: 'y'}\n"
        "- {action: email, zh: '{nickname}您好', en: 'Hello'}\n",
        encoding="utf-8",
    )
    with pytest.raises(TemplateRefused) as refused:
        load_templates(path)
    problems = refused.value.problems
    assert any(p.startswith("sms_reminder.zh: CN-BAN-2") and "打断你的腿" in p for p in problems)
    assert any("'hold' is not an action that contacts" in p for p in problems)
    assert any(p == "email.zh: unknown placeholder(s) nickname" for p in problems)
    assert len(problems) == 3


def test_an_electronic_template_without_an_opt_out_fails_only_under_the_us_pack():
    plain = Template("sms_reminder", "sms", "{name}您好，请按时还款。", "Hello {name}, please pay.")
    assert template_problems(plain, "cn") == []
    assert template_problems(plain, "us") == [
        "sms_reminder.zh: US-E-01 no opt-out in an electronic message",
        "sms_reminder.en: US-E-01 no opt-out in an electronic message",
    ]


def test_what_the_batch_guard_learns_from_a_template():
    threat = Template("sms_reminder", "sms", "再不还钱就打断你的腿 回复TD退订", "Reply STOP")
    columns = text_columns(threat)
    text = columns["text"]
    assert text.startswith("\x1eCN-BAN-2\x1f") and text.endswith("\x1e")
    assert "打断你的腿" in text and text.count("\x1e") == 2  # one rule found, both languages
    assert ",THREAT_VIOLENCE," in columns["text_codes"]
    assert columns["text_opt_out"] is True
    assert text_columns(None) == {"text": "\x1e", "text_codes": ",", "text_opt_out": True}


@pytest.mark.parametrize(
    ("pack", "kind", "created", "last", "on", "verdict", "lift"),
    [
        (
            "cn",
            "collection_record",
            date(2020, 3, 1),
            date(2024, 1, 1),
            date(2025, 3, 1),
            "block",
            datetime(2025, 3, 2),
        ),
        (
            "cn",
            "collection_record",
            date(2020, 3, 1),
            date(2024, 1, 1),
            date(2025, 3, 2),
            "allow",
            None,
        ),
        (
            "cn",
            "call_recording",
            date(2020, 2, 29),
            date(2020, 2, 29),
            date(2025, 2, 28),
            "block",
            datetime(2025, 3, 1),
        ),
        (
            "us",
            "collection_record",
            date(2020, 3, 1),
            date(2023, 5, 10),
            date(2026, 5, 10),
            "block",
            datetime(2026, 5, 11),
        ),
        (
            "us",
            "collection_record",
            date(2020, 3, 1),
            date(2023, 5, 10),
            date(2026, 5, 11),
            "allow",
            None,
        ),
        (
            "us",
            "call_recording",
            date(2022, 7, 1),
            date(2025, 1, 1),
            date(2025, 7, 2),
            "allow",
            None,
        ),
    ],
)
def test_records_are_kept_for_the_pack_s_retention_period(
    pack, kind, created, last, on, verdict, lift
):
    finding = may_discard(pack, kind, created, last, on)
    assert finding.verdict is Verdict(verdict)
    assert finding.next_allowed_at == lift
    assert finding.rule == {"cn": "CN-REC-01", "us": "US-REC-01"}[pack]
