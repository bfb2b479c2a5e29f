"""The message checker on its labelled corpus: the frozen part (written blind, never tuned on)
decides; the development part guards against regressions on what it was tuned on."""

from __future__ import annotations

from collections import Counter

from duecourse.compliance.message.checker import check_message
from duecourse.compliance.message.codes import Code
from tests.message_corpus import load, score

FROZEN = load("frozen")
DEVELOPMENT = load("development")


def test_the_corpus_is_large_varied_and_every_code_is_in_the_frozen_part():
    everything = FROZEN + DEVELOPMENT
    assert len(FROZEN) >= 250 and len(everything) >= 600
    assert sum(i["lang"] == "zh" for i in everything) >= 0.6 * len(everything)
    per_code = Counter(c for i in FROZEN for c in i.get("codes") or ())
    thin = {c.value: per_code[c.value] for c in Code if per_code[c.value] < 10}
    assert not thin, f"codes with fewer than 10 frozen examples: {thin}"
    ids = [i["id"] for i in everything]
    assert len(ids) == len(set(ids))


FROZEN_RESULT = score(FROZEN, check_message)


def test_frozen_part_is_at_least_90_percent_fully_right_without_false_alarms():
    """Issue 14's target on the frozen part: at least 90 % fully right and no compliant or
    pressure message judged violation or suspected scam (91.9 % and none when last measured,
    2026-12-03 11:19 UTC); the figures print in full."""
    result = FROZEN_RESULT
    print("\n" + result.summary("frozen test part"))
    print(result.table())
    for line in result.failures:
        print("  " + line)
    assert result.false_alarms == 0
    assert result.rate(result.fully_right) >= 0.90


def test_development_part_holds_what_it_was_tuned_to():
    """Regression guard on the development part it was tuned on (95.8 % fully right of 8,177
    with the development21-23 files, no lawful message flagged, when last measured; the learned
    layer saw the first 6,937 of these messages)."""
    result = score(DEVELOPMENT, check_message)
    print("\n" + result.summary("development part"))
    for line in result.failures:
        print("  " + line)
    assert result.false_alarms == 0
    assert result.rate(result.fully_right) >= 0.90
