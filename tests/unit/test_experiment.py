"""Champion/challenger split: deterministic, stable and close to the configured shares."""

from __future__ import annotations

import pytest

from duecourse.strategy.experiment import Arm, assign_arm, check_arms, slot

ARMS = [Arm("champion", 80), Arm("challenger", 20)]
IDS = [f"L{n:07d}" for n in range(20_000)]


def test_the_same_account_always_gets_the_same_arm():
    first = [assign_arm("q4", i, ARMS) for i in IDS[:500]]
    assert first == [assign_arm("q4", i, ARMS) for i in IDS[:500]]


def test_shares_are_close_to_the_configured_percentages():
    share = sum(assign_arm("q4", i, ARMS) == "challenger" for i in IDS) / len(IDS)
    assert 0.19 < share < 0.21


def test_another_experiment_splits_differently():
    a = [assign_arm("q4", i, ARMS) for i in IDS[:2000]]
    b = [assign_arm("q1", i, ARMS) for i in IDS[:2000]]
    assert a != b


def test_the_slot_is_a_known_stable_hash():
    assert slot("default", "L0000001") == slot("default", "L0000001")
    assert 0 <= slot("x", "y") < 10_000
    # pinned: a change of hash would move every account to another arm
    assert (
        slot("default", "L0000001")
        == int.from_bytes(__import__("hashlib").sha256(b"default\x1fL0000001").digest()[:8], "big")
        % 10_000
    )


def test_a_zero_share_arm_gets_nobody_and_a_full_arm_everybody():
    arms = [Arm("champion", 100), Arm("challenger", 0)]
    assert {assign_arm("e", i, arms) for i in IDS[:1000]} == {"champion"}


@pytest.mark.parametrize(
    "arms",
    [[Arm("a", 50), Arm("a", 50)], [Arm("a", 60), Arm("b", 30)], [Arm("a", 110), Arm("b", -10)]],
)
def test_bad_arms_are_rejected(arms):
    with pytest.raises(ValueError):
        check_arms(arms)
