"""How a frame of ``frames.yaml`` is read: its options by name, an unknown one refused."""

from __future__ import annotations

import pytest

from duecourse.compliance.message.lexicon import _frame, lexicon

FRAME = {
    "code": "CREDIT_REPAIR_SCAM",
    "rule": "CN-BAN-3",
    "name": "repair",
    "all": ["repair"],
    "unless_unspoilt": ["lawful_relief"],
    "spoils": ["fee_paid"],
    "explain": "征信修复骗局",
}
KNOWN = ("repair", "lawful_relief", "fee_paid")


def test_a_frame_is_read_with_its_lawful_context_and_spoilers():
    frame = _frame(FRAME, KNOWN, 24, 80)
    assert frame.unless_unspoilt == ("lawful_relief",)
    assert frame.spoils == ("fee_paid",)
    assert (frame.window, frame.window_en) == (24, 80)


@pytest.mark.parametrize("option", ["unless_sentence", "unles"])
def test_an_unknown_option_is_refused_not_ignored(option):
    """The option's former name (``unless_sentence``) or a misspelling would silently drop the
    lawful context it names."""
    spec = {**FRAME, option: FRAME["unless_unspoilt"]}
    with pytest.raises(ValueError, match=option):
        _frame(spec, KNOWN, 24, 80)


def test_a_frame_naming_an_unknown_category_is_refused():
    with pytest.raises(ValueError, match="no_such_category"):
        _frame({**FRAME, "spoils": ["no_such_category"]}, KNOWN, 24, 80)


def test_the_bundled_frames_use_the_renamed_option():
    frames = {f.name: f for f in lexicon().frames}
    assert frames["repair"].unless_unspoilt == ("lawful_relief",)
    assert "fee_paid" in frames["remove_records"].spoils
