"""The message catalog: every entry translated, placeholders kept, and every text the reference
strategies, the rule packs and the facts show to people present in it."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from hypothesis import given
from hypothesis import strategies as st

from duecourse.adapters.messages import CATALOG, has_label, label, text
from duecourse.adapters.strategy_files import reference_strategies
from duecourse.compliance.packs import BUILT_IN
from duecourse.entrypoints.explain_view import UNITS, reason_in_words
from duecourse.strategy.pipeline import fact_columns

CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{(\w+)[^}]*\}")


def _entries():
    with CATALOG.open("rb") as po:
        return [m for m in read_po(po) if m.id]


def test_every_entry_has_chinese_and_keeps_its_placeholders():
    entries = _entries()
    assert len(entries) > 100
    for message in entries:
        assert CJK.search(message.string), (message.context, message.id)
        assert PLACEHOLDER.findall(message.id) == PLACEHOLDER.findall(message.string), message.id


def test_no_entry_is_written_twice():
    raw = CATALOG.read_text(encoding="utf-8")
    keys = re.findall(r'(?:msgctxt "([^"]*)"\n)?msgid "([^"]+)"', raw)
    assert len(keys) == len(set(keys))


def test_every_reason_of_the_reference_strategies_is_in_the_catalog():
    missing = set()
    for strategy in reference_strategies().values():
        for table in strategy.tables:
            for rule in table.rules:
                shown = reason_in_words(rule.why)
                if not CJK.search(shown.split(" ", 1)[0]):
                    missing.add(rule.why)
    assert not missing


def test_every_rule_has_a_chinese_title_in_its_pack_file():
    titles = {rule.id: rule.title_zh for rules in BUILT_IN.values() for rule in rules}
    assert {r for r, t in titles.items() if not CJK.search(t)} == set()


def test_every_fact_an_explanation_can_show_has_a_label():
    names = set(fact_columns()) | set(UNITS)  # every column a strategy may read
    assert {n for n in names if not has_label(n, "fact")} == set()
    assert label("amount_overdue", "fact") == "逾期金额 Amount overdue"


def test_a_sentence_is_chinese_first_with_the_english_beside_it():
    assert text("Amounts overdue") == "逾期金额 Amounts overdue"
    assert text("no such text in the catalog") == "no such text in the catalog"
    assert label("no_such_key") == "no_such_key"


@given(
    seeds=st.lists(st.integers(min_value=1, max_value=17), min_size=1, max_size=3),
    words=st.text(alphabet="abc xyz,;", min_size=1, max_size=30).filter(str.strip),
)
def test_seed_ids_never_reach_the_screen(seeds, words):
    prefix = "/".join(f"S{n}" for n in seeds)
    note = ", ".join(f"S{n}" for n in seeds)
    shown = reason_in_words(f"{prefix}: {words.strip()} ({note})")
    assert not re.search(r"\bS\d+\b", shown)
    assert shown == words.strip()
