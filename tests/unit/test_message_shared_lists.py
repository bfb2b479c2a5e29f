"""Word lists several categories of ``lexicon.yaml`` hold, written once under ``shared`` and
named by ``- include: NAME``."""

from __future__ import annotations

import pytest

from duecourse.compliance.message.lexicon import _with_shared, lexicon


def test_an_include_stands_for_the_shared_lines_in_its_place():
    shared = {"inner": ["c"], "outer": ["b", {"include": "inner"}]}
    categories = {"one": ["a", {"include": "outer"}, "d"], "two": [{"include": "inner"}]}
    assert _with_shared(categories, shared) == {"one": ["a", "b", "c", "d"], "two": ["c"]}


@pytest.mark.parametrize(
    ("shared", "line", "refused"),
    [
        ({}, {"include": "missing"}, "names no shared list"),
        ({"loop": [{"include": "loop"}]}, {"include": "loop"}, "includes itself"),
        ({"x": ["a"]}, {"include": "x", "also": 1}, "names no shared list"),
    ],
    ids=["unknown", "cycle", "other-keys"],
)
def test_a_bad_include_is_refused(shared, line, refused):
    with pytest.raises(ValueError, match=refused):
        _with_shared({"category": [line]}, shared)


def test_arrest_news_is_one_list_read_by_both_categories():
    """News of scammers arrested debunks and is no criminal claim: one line, in both."""
    lines: dict[str, list[str]] = {}
    for name, pattern in lexicon().lines:
        lines.setdefault(name, []).append(pattern.pattern)
    shared = set(lines["lawful_criminal"]) & set(lines["debunk"])
    assert any("have been|were) (arrested" in p for p in shared)
