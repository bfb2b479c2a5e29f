"""The calibration core: the one-step cap along chains, counts, smoothing, ever-late shares.
Expected values are worked out by hand in each test."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from duecourse.lab.calibration import (
    Account,
    calibrate,
    calibrate_all,
    cap_chain,
    count_transitions,
    ever_late,
    smooth,
    state_of,
)

CHAINS = st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=24)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ((0, 2, 2, 3), (0, 1, 2, 3)),  # the jump is lowered, the rest of the chain follows
        ((0, 3, 3, 4, 4), (0, 1, 2, 3, 4)),
        ((0, 2, 0), (0, 1, 0)),
        ((0, 4, 1), (0, 1, 1)),
        ((3, 4, 0, 1), (3, 4, 0, 1)),  # the first month is taken as observed
        ((2,), (2,)),
    ],
)
def test_the_cap_applies_along_the_chain(raw, cleaned):
    assert cap_chain(raw) == cleaned


def test_statuses_map_to_states():
    assert [state_of(m) for m in (-2, -1, 0, 1, 2, 3, 4, 9)] == [0, 0, 0, 1, 2, 3, 4, 4]


@given(CHAINS)
def test_the_cleaned_chain_rises_at_most_one_state_a_month_and_never_exceeds_the_raw(raw):
    cleaned = cap_chain(raw)
    assert len(cleaned) == len(raw) and cleaned[0] == raw[0]
    for before, after in pairwise(cleaned):
        assert after <= before + 1
    assert all(c <= r for c, r in zip(cleaned, raw, strict=True))
    # months the cap does not touch are kept as observed
    assert all(c == r for c, r, ok in zip(cleaned, raw, _unforced(raw), strict=True) if ok)


def _unforced(raw):
    """True where no cap can bind: the raw chain never jumped before or at this month."""
    ok, clean = [], True
    for i, s in enumerate(raw):
        clean = clean and (i == 0 or s <= raw[i - 1] + 1)
        ok.append(clean)
    return ok


def test_counts_by_hand():
    counts = count_transitions([(0, 0, 1), (1, 2), (4,)])
    assert counts[0] == (1, 1, 0, 0, 0)
    assert counts[1] == (0, 0, 1, 0, 0)
    assert sum(map(sum, counts)) == 3


def test_a_sparse_row_is_shrunk_toward_the_prior_and_a_full_row_is_not():
    counts = ((8, 2, 0, 0, 0), (1, 1, 0, 0, 0), (0,) * 5, (0,) * 5, (0,) * 5)
    prior = ((0.5, 0.5, 0, 0, 0), (0.2, 0.2, 0.6, 0, 0), (0, 0, 1, 0, 0), (0,) * 5, (0,) * 5)
    matrix = smooth(counts, prior, sparse_below=10, strength=3)
    assert matrix[0] == (0.8, 0.2, 0, 0, 0)  # n = 10: as measured
    # n = 2, k = 3: ((1 + 0.6) / 5, (1 + 0.6) / 5, 1.8 / 5)
    assert matrix[1] == pytest.approx((0.32, 0.32, 0.36, 0, 0))
    assert matrix[2] == (0, 0, 1, 0, 0)  # no transitions: the prior row


def test_with_no_prior_weight_a_sparse_row_is_as_measured_and_an_empty_row_is_the_prior():
    counts = ((1, 3, 0, 0, 0), (0,) * 5, (0,) * 5, (0,) * 5, (0,) * 5)
    prior = tuple(tuple(1.0 if j == i else 0.0 for j in range(5)) for i in range(5))
    matrix = smooth(counts, prior, sparse_below=1000, strength=0)
    assert matrix[0] == (0.25, 0.75, 0, 0, 0)
    assert matrix[1] == (0, 1, 0, 0, 0)


def test_ever_late_counts_the_worst_month_of_each_account():
    accounts = [((0, 1, 0),), ((0,), (3, 2)), ((0, 0),), ((2,),)]
    assert ever_late(accounts) == {"1+": 0.75, "2+": 0.5, "3+": 0.25}


def test_the_pooled_result_keeps_sparse_rows_and_stays_put_where_nothing_was_seen():
    found = calibrate([Account(((0, 2, 2),)), Account(((0, 0),))], sparse_below=1000)
    # cleaned chains: (0, 1, 2) and (0, 0)
    assert found.cleaned_counts[0] == (1, 1, 0, 0, 0)
    assert found.cleaned_counts[1] == (0, 0, 1, 0, 0)
    assert found.sparse_rows == ("current", "1", "2", "3", "4+")
    assert found.matrix[0] == pytest.approx((0.5, 0.5, 0, 0, 0))
    assert found.matrix[1] == pytest.approx((0, 0, 1, 0, 0))
    assert found.matrix[3] == pytest.approx((0, 0, 0, 1, 0))
    assert found.capped_months == 1
    assert found.raw_ever_late["2+"] == 0.5 and found.ever_late["2+"] == 0.5


def test_a_segment_borrows_from_the_pooled_matrix():
    a = [Account(((0, 1) * 50,), "big")]  # 99 transitions: 50 × 0→1, 49 × 1→0
    b = [Account(((1, 1),), "small")]
    pooled, segments = calibrate_all(a + b, sparse_below=10, strength=4)
    # pooled row 1: 49 × 1→0 and 1 × 1→1, not sparse
    assert pooled.matrix[1] == pytest.approx((49 / 50, 1 / 50, 0, 0, 0))
    # the small segment's row 1 (1 × 1→1, n = 1): (n_j + 4 q_j) / (1 + 4)
    assert segments["small"].matrix[1] == pytest.approx(
        ((4 * 49 / 50) / 5, (1 + 4 / 50) / 5, 0, 0, 0)
    )
    # its row 0 saw nothing: the pooled row 0 (50 × 0→1)
    assert segments["small"].matrix[0] == pytest.approx((0, 1, 0, 0, 0))
    assert segments["small"].sparse_rows == ("current", "1", "2", "3", "4+")
    assert segments["big"].sparse_rows == ("2", "3", "4+")


@given(st.lists(st.lists(CHAINS, min_size=1, max_size=3), min_size=1, max_size=30))
def test_every_row_of_the_matrix_sums_to_one(accounts):
    found = calibrate([Account(tuple(map(tuple, chains))) for chains in accounts])
    for row in found.matrix:
        assert sum(row) == pytest.approx(1.0)
    for i, row in enumerate(found.cleaned_counts):
        assert all(n == 0 for n in row[i + 2 :]), "cleaned counts jump by more than one state"
    assert found.transitions == sum(len(c) - 1 for chains in accounts for c in chains)
