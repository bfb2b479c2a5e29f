"""The start sets ``prefilter.compiled`` gives ``re``: the characters a match may begin with, and
exactly the matches of the plain pattern."""

from __future__ import annotations

import re

import pytest

from duecourse.compliance.message.lexicon import lexicon
from duecourse.compliance.message.normalise import normalise
from duecourse.compliance.message.prefilter import compiled, first_chars
from tests.message_corpus import load


def _chars(pattern: str) -> set[str] | None:
    items = first_chars(pattern)
    if items is None:
        return None
    return {chr(av) for op, av in items if str(op) == "LITERAL"}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("上门|外访", {"上", "外"}),
        ("(你的?)?通讯录", {"你", "通"}),
        ("(?<!系统)群发", {"群"}),
        ("(?=a)b|c", {"b", "c"}),
        ("a?b*c", {"a", "b", "c"}),
        ("a?", None),  # may match nothing
        (".x", None),
        ("[^a]b", None),
        ("(?i)ab", None),
        (r"(a)\1", {"a"}),
    ],
)
def test_first_characters_are_read_off_the_pattern(pattern, expected):
    assert _chars(pattern) == expected


@pytest.mark.parametrize(
    "pattern", ["上门|外访", r"(?<!\d)\d{4}(?!\d)", "(?<!系统)群发|曝光", "a?"]
)
def test_a_compiled_pattern_finds_what_re_finds(pattern):
    text = "我们上门，系统群发；外访1234，曝光12345 群发 aaa"
    found = compiled(pattern)
    assert found.pattern == pattern
    assert [m.span() for m in found.finditer(text)] == [
        m.span() for m in re.compile(pattern).finditer(text)
    ]


def test_every_lexicon_line_finds_what_re_finds_in_the_development_part():
    """On every eighth development message (the plain patterns are slow: that is the point)."""
    lex = lexicon()
    text = "\n".join(normalise(m["text"], lex.dodges).text for m in load("development")[::8])
    for name, pattern in lex.lines:
        plain = re.compile(pattern.pattern)
        if pattern is plain:
            continue
        spans = [m.span() for m in pattern.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)], (name, pattern.pattern[:60])
