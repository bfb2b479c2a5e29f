"""How the store's tables are dealt to the child processes that copy them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from duecourse.batch.sqlite_copy import _shares

SIZES = st.dictionaries(st.text(min_size=1, max_size=8), st.integers(0, 10**8), max_size=14)


@given(sizes=SIZES, workers=st.integers(1, 4))
def test_every_table_goes_to_exactly_one_child(sizes, workers):
    shares = _shares(sizes, workers)
    dealt = [name for share in shares for name in share]
    assert sorted(dealt) == sorted(sizes)
    assert len(shares) <= workers
    assert all(shares)  # no child is started with nothing to do


@given(sizes=SIZES, workers=st.integers(2, 4))
def test_no_child_gets_more_than_the_fair_share_plus_one_table(sizes, workers):
    shares = _shares(sizes, workers)
    loads = [sum(sizes[n] for n in share) for share in shares]
    fair = sum(sizes.values()) / workers
    assert max(loads, default=0) <= fair + max(sizes.values(), default=0)


def test_the_two_largest_tables_go_to_different_children():
    sizes = {"allocations": 20_000_000, "instalments": 14_000_000, "payments": 9_000_000}
    first, second = _shares(sizes, 2)
    assert first == ["allocations"]
    assert second == ["instalments", "payments"]
