"""Champion/challenger split: deterministic, stable and close to the configured shares."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.strategy.experiment import (
    Arm,
    arm_expr,
    assign_arm,
    check_arms,
    slot,
    slot_expr,
)

ARMS = [Arm("champion", 80), Arm("challenger", 20)]
IDS = [f"L{n:07d}" for n in range(20_000)]
CON = ibis.duckdb.connect()


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


ARM_SPLITS = st.sampled_from(
    [
        [Arm("champion", 100)],
        ARMS,
        [Arm("a", 33.33), Arm("b", 33.33), Arm("c", 33.34)],
        [Arm("small", 0.01), Arm("rest", 99.99)],
        [Arm("none", 0), Arm("all", 100)],
    ]
)


@settings(max_examples=60, deadline=None)
@given(
    # Printable names only (non-breaking and other wide spaces are not): others are refused.
    experiment=st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=12).filter(
        str.isprintable
    ),
    ids=st.lists(st.text(min_size=1, max_size=16), min_size=1, max_size=60),
    arms=ARM_SPLITS,
)
def test_the_backend_split_is_the_reference_split(experiment, ids, arms):
    """The expression the daily run uses gives every account the arm assign_arm gives it."""
    t = ibis.memtable(pa.table({"account_id": pa.array(ids, pa.string())}))
    got = CON.to_pyarrow(
        t.select(
            slot=slot_expr(experiment, t.account_id), arm=arm_expr(experiment, t.account_id, arms)
        )
    ).to_pylist()
    assert [g["slot"] for g in got] == [slot(experiment, i) for i in ids]
    assert [g["arm"] for g in got] == [assign_arm(experiment, i, arms) for i in ids]


def test_an_experiment_name_that_cannot_be_a_literal_is_refused():
    t = ibis.memtable(pa.table({"account_id": ["L1"]}))
    with pytest.raises(ValueError, match="printable"):
        slot_expr("q4\x00", t.account_id)
    with pytest.raises(ValueError, match="printable"):  # also when nobody needs hashing
        arm_expr("q4\x00", t.account_id, [Arm("champion", 100)])


def test_one_arm_holding_every_slot_hashes_nobody():
    t = ibis.memtable(pa.table({"account_id": ["L1", "L2"]}))
    for arms in ([Arm("champion", 100)], [Arm("none", 0), Arm("all", 100)]):
        sql = str(ibis.to_sql(t.select(arm=arm_expr("e", t.account_id, arms)), dialect="duckdb"))
        assert "sha256" not in sql.lower()
    split = ibis.to_sql(t.select(arm=arm_expr("e", t.account_id, ARMS)), dialect="duckdb")
    assert "sha256" in str(split).lower()
