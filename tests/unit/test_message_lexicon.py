"""The checker's data files: every key written once, every frame naming known categories, and
every category's prefilter words really required by its patterns."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from duecourse.compliance.message.lexicon import _pattern_as_read, _thesaurus_words, lexicon
from duecourse.compliance.message.prefilter import check_factors, factors
from tests.message_corpus import load

FILES = ("lexicon.yaml", "frames.yaml", "thesaurus.yaml")


class _Strict(yaml.SafeLoader):
    """A YAML loader that refuses a mapping key written twice (PyYAML keeps the last)."""


def _no_duplicates(loader: _Strict, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        assert key not in seen, f"key {key!r} written twice (line {key_node.start_mark.line + 1})"
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Strict.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@pytest.mark.parametrize("name", FILES)
def test_no_key_is_written_twice(name):
    text = resources.files("duecourse.compliance.message").joinpath(name).read_text("utf-8")
    yaml.load(text, Loader=_Strict)


def test_every_match_of_a_category_holds_one_of_its_prefilter_words():
    """A pattern line is searched only where one of its factors occurs; a match without one
    would be missed. Checked on every message of the corpus, normalised as the checker does."""
    from duecourse.compliance.message.normalise import normalise

    lex = lexicon()
    texts = [normalise(m["text"], lex.dodges).text for m in load("development") + load("frozen")]
    for index, (name, pattern) in enumerate(lex.lines):
        if index in lex.always:
            continue
        words = {w for w, (_, owners, _, _) in lex.factors.items() if index in owners}
        missed = [m for t in texts for m in check_factors(pattern, words, t)]
        assert not missed, (name, pattern.pattern[:60], missed[:5])


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("上门|外访", {"上门", "外访"}),
        ("(你的?)?通讯录", {"通讯录"}),
        ("打断.{0,3}(腿|手)", {"打断"}),
        (r"\b(sue|lawsuit)\b", {"sue", "lawsuit"}),
        ("(个|两)?小时", {"小时"}),
        (r"\d{4}", None),
    ],
)
def test_factors_are_read_off_the_pattern(pattern, expected):
    assert factors(pattern) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("一次性还清", "1次性还清"),  # read as a message is: 「一次性」 arrives as 「1次性」
        ("每天打三十遍", "每天打30遍"),
        ("[一二三]次", "[一二三]次"),  # a character class is left as written
        ("[^一次]两次", "[^一次]2次"),
        (r"\[一次\]", r"\[1次\]"),  # escaped brackets are literal text
        ("打断.{0,3}腿", "打断.{0,3}腿"),
    ],
)
def test_numerals_in_a_pattern_are_read_as_a_message_is(pattern, expected):
    assert _pattern_as_read(pattern) == expected


def test_a_thesaurus_exclusion_is_read_as_its_terms_are():
    """An excluded term with a numeral (「一次性」) still excludes its term, which is read as
    「1次性」."""
    words = {"thesaurus": {"cat": ["list"]}, "thesaurus_exclude": ["一次性", "Don’t"]}
    thesaurus = {"list": ["一次性", "Don’t", "两次上门"]}
    assert _thesaurus_words(words, thesaurus) == {"2次上门": {"cat"}}
