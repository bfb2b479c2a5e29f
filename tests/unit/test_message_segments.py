"""Sentence and clause starts, and grouping positions by the segment they fall in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from duecourse.compliance.message.segments import (
    CLAUSE_BREAKS,
    SENTENCE_BREAKS,
    breaks,
    by_segment,
    last_break,
    runs,
)


def _segments(pattern, text):
    starts = breaks(pattern, text)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def test_sentences_end_at_chinese_and_latin_stops_and_line_ends():
    assert _segments(SENTENCE_BREAKS, "您好。请还款！a. b.c\n是吗？") == [
        "您好。",
        "请还款！",
        "a.",
        " b.c\n",
        "是吗？",
        "",  # a text ending at a stop ends with an empty segment
    ]


def test_clauses_end_at_commas_colons_and_brackets_too():
    assert _segments(CLAUSE_BREAKS, "提醒：您好，（测试）ok") == [
        "提醒：",
        "您好，（",
        "测试）",
        "ok",
    ]


def test_a_comma_grouping_thousands_ends_no_clause():
    """A comma between a digit and exactly three more (「1,860元」, "£2,000") groups thousands;
    after a word, before fewer or more than three digits, or at the end it ends a clause."""
    assert _segments(CLAUSE_BREAKS, "欠款1,860元,请还£2,000, ok") == [
        "欠款1,860元,",
        "请还£2,000,",
        " ok",
    ]
    assert _segments(CLAUSE_BREAKS, "共12,345,678元") == ["共12,345,678元"]
    assert _segments(CLAUSE_BREAKS, "1,2345 and 3,45 and 6,") == [
        "1,",
        "2345 and 3,",
        "45 and 6,",
        "",
    ]


def test_the_last_break_reads_past_the_end_it_is_given():
    """``last_break`` in 「……共1,」 of 「……共1,860元」: the comma groups thousands, so the last
    break is the 「，」 before it."""
    text = "您好，共1,860元"
    assert last_break(CLAUSE_BREAKS, text, 0, text.index(",") + 1) == text.index("，") + 1
    assert last_break(CLAUSE_BREAKS, "无标点", 0, 3) == 0


def test_runs_of_consecutive_numbers():
    assert list(runs([1, 2, 3, 5, 7, 8])) == [(1, 3), (5, 5), (7, 8)]


@given(
    st.lists(st.integers(1, 5000), max_size=40, unique=True).map(sorted),
    st.lists(st.integers(0, 5000), max_size=600),
    st.booleans(),
)
def test_positions_are_grouped_by_their_segment_in_order_found(cuts, starts, in_order):
    """The same groups whether few or many positions (a loop or array operations), in order
    or not: each position's segment is the last one beginning at or before it."""
    firsts = [0, *cuts]
    if in_order:
        starts = sorted(starts)
    expected: dict[int, list[int]] = {}
    for seq, start in enumerate(starts):
        segment = max(i for i, first in enumerate(firsts) if first <= start)
        expected.setdefault(segment, []).append(seq)
    got = [(segment, list(group)) for segment, group in by_segment(firsts, starts)]
    assert got == list(expected.items())
