"""The message checker's learned layer: what it may change, and that the shipped model is the
one the training script writes (its cross-validated figures are in docs/compliance.md)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.compliance.message.checker import check_message, frames
from duecourse.compliance.message.codes import SCAMS, SIGNALS, VIOLATIONS, Code
from duecourse.compliance.message.learned import (
    ADDABLE,
    MAX_CHARS,
    Model,
    Thresholds,
    adjust,
    bundled,
    ngrams,
    read,
    save,
)

SURE = dict.fromkeys(Code, 0.99)
NEVER = dict.fromkeys(Code, 0.001)


def test_the_model_is_shipped_with_every_code_and_cautious_thresholds():
    model = bundled()
    assert model is not None, "run `make message-model`"
    assert set(model.codes) == set(Code)
    assert model.weights.shape == (len(model.index), len(Code))
    assert model.thresholds.add.keys() <= ADDABLE
    assert all(0.5 <= t < 1 for t in (*model.thresholds.add.values(), model.thresholds.lift))
    assert 0 <= model.thresholds.drop < 0.5


def test_a_saved_model_reads_back_the_same():
    model = Model.of(
        (Code.INSULT, Code.HARASSMENT),
        {"废物": 0, "ev:cat:insult": 1, "x": 2},
        np.array([[2.0, -1.0], [1.5, 0.0], [0.0, 0.5]], np.float32),
        np.array([-1.0, -2.0], np.float32),
        Thresholds({Code.INSULT: 0.8, Code.HARASSMENT: 0.9}, 0.05),
    )
    again = read(save(model))
    assert again.thresholds == model.thresholds and again.index == model.index
    for text, evidence in (("你这个废物", {"cat:insult"}), ("hello", set())):
        got, want = (
            again.of_features(ngrams(text), evidence),
            model.of_features(ngrams(text), evidence),
        )
        assert all(abs(got[c] - want[c]) < 1e-3 for c in model.codes)


def test_it_adds_only_where_a_frame_partly_stands_and_never_in_lawful_context():
    th = Thresholds.uniform(0.8, 0.05)
    partial = {Code.THREAT_VIOLENCE, Code.SUSPICIOUS_LINK, Code.DOOR_VISIT_MENTION}
    added, dropped = adjust(set(), SURE, partial, False, th)
    assert added == {Code.THREAT_VIOLENCE}  # links and neutral signals are never added
    assert not dropped
    assert adjust(set(), SURE, partial, True, th) == (set(), set())
    assert adjust(set(), SURE, set(), False, th) == (set(), set())


def test_a_flagged_message_gets_only_codes_with_their_own_threshold():
    th = Thresholds({Code.INSULT: 0.8}, 0.05, lift=0.9)
    partial = {Code.INSULT, Code.THREAT_VIOLENCE, Code.BORROW_TO_REPAY}
    flagged = {Code.HARASSMENT}
    assert adjust(flagged, SURE, partial, False, th) == ({Code.INSULT}, set())
    assert adjust(flagged, SURE, partial, False, Thresholds({}, 0.05, lift=0.9)) == (set(), set())


def test_an_unflagged_message_gets_any_code_above_the_lift_threshold():
    partial = {Code.INSULT, Code.THREAT_VIOLENCE, Code.LEGAL_ACTION_MENTION}
    pressure = {Code.LEGAL_ACTION_MENTION}
    assert adjust(pressure, SURE, partial, False, Thresholds({}, 0.05, lift=0.9)) == (
        {Code.INSULT, Code.THREAT_VIOLENCE},
        set(),
    )
    assert adjust(pressure, SURE, partial, False, Thresholds({Code.INSULT: 0.5}, 0.05)) == (
        set(),
        set(),
    )  # no lift threshold given: nothing changes a verdict


def test_a_saved_model_keeps_which_codes_it_never_adds():
    model = Model.of(
        (Code.INSULT, Code.HARASSMENT),
        {"废物": 0},
        np.array([[2.0, -1.0]], np.float32),
        np.array([-1.0, -2.0], np.float32),
        Thresholds({Code.INSULT: 0.85}, 0.02, lift=0.75),
    )
    assert read(save(model)).thresholds == Thresholds({Code.INSULT: 0.85}, 0.02, lift=0.75)


def test_it_takes_away_only_violations_and_scams_it_is_very_sure_of():
    found = {Code.INSULT, Code.SUSPICIOUS_LINK, Code.LEGAL_ACTION_MENTION}
    added, dropped = adjust(found, NEVER, set(), False, Thresholds.uniform(0.8, 0.05))
    assert dropped == {Code.INSULT, Code.SUSPICIOUS_LINK} and not added
    assert adjust(found, dict.fromkeys(Code, 0.2), set(), False, Thresholds.uniform(0.8, 0.05)) == (
        set(),
        set(),
    )
    assert ADDABLE <= VIOLATIONS | SCAMS and not ADDABLE & SIGNALS


def test_a_text_longer_than_the_model_reads_is_judged_by_the_frames_alone():
    text = "请按时还款，谢谢。" * (MAX_CHARS // 9 + 5) + "不还就让你好看"
    assert check_message(text).codes == check_message(text, learned=False).codes


@settings(max_examples=60, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from("我们你不会上门家人单位打断腿骗子警察转账征信修复，。 abc"),
        min_size=1,
        max_size=60,
    )
)
def test_with_the_model_it_finds_only_what_the_frames_found_or_partly_found(text):
    if not any(ch.strip("，。 ") for ch in text):
        return
    result = frames(text)
    found, _, partial, context = result.inputs()
    got = check_message(text).codes
    assert got - found <= (set() if context else partial & ADDABLE)
    assert found - got <= VIOLATIONS | SCAMS


def test_the_array_n_grams_are_the_string_n_grams_the_training_reads():
    model = bundled()
    assert model is not None
    texts = [
        "再不还钱就让你全家好看 🔪🔪 12345",
        "Do you like your teeth? Pay by Monday.  ",
        "𠀀𠀁 rare ideographs and emoji 😊 mixed 征信修复",
        "a",
    ]
    for text in texts:
        result = frames(text)
        _, evidence, _, _ = result.inputs()
        norm = result.norm.text
        got = model.probabilities(norm, evidence)
        want = model.of_features(ngrams(norm), evidence)
        assert all(abs(got[c] - want[c]) < 1e-6 for c in model.codes), text
