"""The message checker on a labelled corpus of Chinese and English messages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from duecourse.compliance.message.checker import check_message
from duecourse.compliance.message.patterns import Code

CORPUS = yaml.safe_load((Path(__file__).parents[1] / "cases" / "messages.yaml").read_text("utf-8"))
VERDICTS = {"c": "compliant", "p": "pressure", "v": "violation", "s": "suspected_scam"}


def test_the_corpus_is_large_and_covers_every_code_and_language():
    assert len(CORPUS) >= 150
    codes = {c for item in CORPUS for c in item.get("codes", [])}
    assert codes >= {c.value for c in Code}, {c.value for c in Code} - codes
    chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in item["t"]) for item in CORPUS)
    assert chinese >= 60 and len(CORPUS) - chinese >= 40


def test_verdict_accuracy_is_at_least_95_percent():
    wrong = []
    tally: Counter[str] = Counter()
    for item in CORPUS:
        got = check_message(item["t"]).verdict.value
        tally[got == VERDICTS[item["v"]]] += 1
        if got != VERDICTS[item["v"]]:
            wrong.append((item["t"], VERDICTS[item["v"]], got))
    accuracy = tally[True] / len(CORPUS)
    print(
        f"\ncheck-message verdict accuracy: {accuracy:.1%} on {len(CORPUS)} messages; "
        f"misclassified: {len(wrong)}"
    )
    for text, want, got in wrong:
        print(f"  want {want:15} got {got:15} {text}")
    assert accuracy >= 0.95


@pytest.mark.parametrize("item", [i for i in CORPUS if i.get("codes")], ids=lambda i: i["t"][:30])
def test_expected_codes_are_found(item):
    found = {f.code.value for f in check_message(item["t"]).findings}
    assert set(item["codes"]) <= found


def test_spans_point_at_the_words_that_matter():
    text = "你已经涉嫌诈骗罪，再不还款将被刑事立案。"
    spans = [text[a:b] for f in check_message(text).findings for a, b in [f.span]]
    assert "诈骗罪" in spans and "刑事立案" in spans


def test_a_negated_or_warning_mention_is_not_a_finding():
    assert check_message("我司不会上门催收").findings == ()
    assert check_message("Beware of fake police calls").findings == ()
    assert check_message("我司不会上门催收").mentions_door_visit is False
    assert check_message("我司将安排上门走访").mentions_door_visit is True
