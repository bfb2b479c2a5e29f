"""The analyser's hit index answers as a walk over every hit would (the checker asks it instead
of walking, to stay linear on long texts), and offsets map back through the rewrites."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from duecourse.compliance.message.hits import Hits, Ranges
from duecourse.compliance.message.normalise import identity, normalise, rewrite

spans = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 8)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=30,
)
positions = st.integers(-5, 70)


def _hits(found: list[tuple[int, int]]) -> Hits:
    hits = Hits("c")
    for start, end in found:
        hits.starts.append(start)
        hits.ends.append(end)
    return hits


@given(found=spans, lo=positions, hi=positions, at=positions)
def test_the_index_answers_as_a_walk_over_every_hit(found, lo, hi, at):
    hits = _hits(found)
    assert hits.any_in(lo, hi) == any(lo <= s < hi for s, _ in found)
    near = [(abs(s - at), seq, s, e) for seq, (s, e) in enumerate(found) if lo <= s <= hi]
    best = min(near) if near else None  # the nearest; ties: the first found
    got = hits.nearest(at, lo, hi)
    assert (got.start, got.end) == (best[2], best[3]) if best else got is None
    assert sorted(hits.ending_in(lo, hi, at)) == sorted(
        e for s, e in found if s >= at and lo <= e <= hi
    )
    assert hits.overlapping(lo, hi, at, at + 20) == any(
        at <= s < at + 20 and s < hi and e > lo for s, e in found
    )


@given(ranges=spans, start=positions, length=st.integers(0, 10))
def test_ranges_hold_a_span_when_one_range_holds_it_whole(ranges, start, length):
    end = start + length
    assert Ranges(ranges).holds(start, end) == any(a <= start and end <= b for a, b in ranges)


@given(
    text=st.text(alphabet="ab上门 ", min_size=1, max_size=30),
    cuts=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3), st.text("xy", max_size=3))),
)
def test_each_character_maps_back_to_the_characters_it_came_from(text, cuts):
    pieces, at = [], 0
    for start, length, replacement in sorted(cuts):
        if start >= at and start + length <= len(text):
            pieces.append((start, start + length, replacement))
            at = start + length
    once = rewrite(identity(text), pieces)
    twice = rewrite(once, [(0, 0, "z")] if once.text else [])
    expected = []  # the original span of each character, written out by hand
    at = 0
    for start, end, replacement in pieces:
        expected += [(i, i + 1) for i in range(at, start)]
        first = start if start < len(text) else len(text)
        expected += [(first, end if end > start else first)] * len(replacement)
        at = end
    expected += [(i, i + 1) for i in range(at, len(text))]
    assert [once.original_span(i, i + 1) for i in range(len(once.text))] == expected
    if once.text:
        first = expected[0][0]
        assert twice.original_span(0, 1) == (first, first)  # inserted before the first
        assert twice.original_span(1, len(twice.text)) == (expected[0][0], expected[-1][1])


def test_a_span_points_into_the_traditional_spaced_original():
    text = "再 不 還 錢，上 門"
    norm = normalise(text)
    start = norm.text.index("上门")
    assert norm.original_span(start, start + 2) == (text.index("上"), len(text))
