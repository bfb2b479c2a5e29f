"""The checker's data: word categories, dodges and link rules (``lexicon.yaml``) and the frames
that combine categories into findings (``frames.yaml``), read once from the package.

Reading these two bundled files is the only file access in ``compliance/``; it happens once, at
first use, and is allowed by a named exception in the import contract (pyproject.toml).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import ahocorasick
import yaml

from duecourse.compliance.message.codes import Code
from duecourse.compliance.message.normalise import Dodges, arabic_numerals
from duecourse.compliance.message.prefilter import compiled, factors


@dataclass(frozen=True, slots=True)
class Frame:
    """Categories that, together in one sentence (``across``: in the message) within a window
    of characters, make a finding of ``code``, and the lawful context that excuses them."""

    code: Code
    rule: str | None
    name: str
    parts: tuple[str, ...]
    unless: tuple[str, ...]  # lawful context anywhere in the message
    unless_clause: tuple[str, ...]  # lawful context in the finding's own clause
    window: int
    window_en: int
    explanation: str
    across: bool = False  # the parts may stand in different sentences of the message
    unless_unspoilt: tuple[str, ...] = ()  # lawful context anywhere in the message, unless
    spoils: tuple[str, ...] = ()  # one of these stands in the finding's own sentence
    #: quoted or told as done to the writer, still a finding in a message holding one of these
    #: (a help request about a notice the writer got) and nothing that warns or debunks
    reported_in: tuple[str, ...] = ()
    #: the frame counts only in a message holding a hit of one of these, neither negated nor
    #: reported (a credit-repair scam asks something of the reader: a fee, a contact, an offer)
    needs: tuple[str, ...] = ()
    #: lawful context in a sentence the finding spans (a weather reminder's 「注意出行安全」)
    unless_same_sentence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Implied:
    """A finding of ``code`` (placed where the ``at`` finding is) when every ``when`` is found;
    ``within: sentence``: only the ``at`` findings in a sentence of another ``when`` finding."""

    when: frozenset[Code]
    code: Code
    rule: str
    at: Code
    explanation: str
    sentence: bool = False


@dataclass(frozen=True, slots=True)
class LinkRules:
    """What makes a link suspicious: an odd top-level domain, a shortener, no trusted suffix."""

    code: Code
    rule: str
    explanation: str
    odd_tlds: frozenset[str]
    shorteners: frozenset[str]
    trusted_suffixes: tuple[str, ...]
    bait_words: tuple[str, ...]
    brand_sites: frozenset[str] = frozenset()  # a site one letter off one of these is a look-alike


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Categories of words (patterns over normalised, lower-case text), what dodges stand for,
    the frames and the link rules; ``factors`` finds, in one pass, the words without which a
    category's patterns cannot match (``prefilter``) and the thesaurus's literal words of each
    category. Each pattern line of a category is searched on its own, only in the sentences
    holding one of its factors; lines in ``always`` have none and are searched everywhere."""

    categories: dict[str, re.Pattern[str]]
    dodges: Dodges
    frames: tuple[Frame, ...]
    implied: tuple[Implied, ...]
    link: LinkRules
    factors: Any  # ahocorasick.Automaton: a word -> see _word_index
    always: frozenset[int]  # lines searched everywhere (no factor)
    lines: tuple[tuple[str, re.Pattern[str]], ...]  # (category, one pattern line), searched alone
    frame_parts: tuple[tuple[Code, frozenset[str]], ...]  # each frame's code and its ``all``

    def rule_ids(self, codes: frozenset[Code]) -> tuple[str, ...]:
        """Every rule id a finding of one of ``codes`` may be reported under."""
        ids = {f.rule for f in self.frames if f.code in codes and f.rule}
        ids |= {i.rule for i in self.implied if i.code in codes}
        if self.link.code in codes:
            ids.add(self.link.rule)
        return tuple(sorted(ids))


def _read(name: str) -> Any:
    text = resources.files("duecourse.compliance.message").joinpath(name).read_text("utf-8")
    return yaml.safe_load(text)


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _as_read(term: str) -> str:
    """A thesaurus term as a message is read: lower case, one apostrophe, numerals in digits."""
    return arabic_numerals(term.lower().replace("’", "'"))


#: An escaped character or a character class in a regular expression: left as written when the
#: lexicon's patterns are read as a message is.
_OPAQUE = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]")


def _pattern_as_read(pattern: str) -> str:
    """``pattern`` with the Chinese numerals before a unit in its literal text in digits, as
    ``normalise`` reads a message (「一次性」 matches 「1次性」); escapes and character classes
    are left as written."""
    parts: list[str] = []
    at = 0
    for opaque in _OPAQUE.finditer(pattern):
        parts += (arabic_numerals(pattern[at : opaque.start()]), opaque.group())
        at = opaque.end()
    parts.append(arabic_numerals(pattern[at:]))
    return "".join(parts)


def _with_shared(
    categories: dict[str, list[Any]], shared: dict[str, list[Any]]
) -> dict[str, list[str]]:
    """Each category's pattern lines, a line ``{include: NAME}`` replaced, in its place, by the
    lines of the list NAME of ``shared`` in lexicon.yaml (which may include other shared lists):
    a word list several categories hold is written once. An unknown name or a cycle is refused."""

    def lines(owner: str, listed: list[Any], chain: tuple[str, ...]) -> list[str]:
        found: list[str] = []
        for line in listed:
            if not isinstance(line, dict):
                found.append(line)
                continue
            name = line.get("include")
            if line.keys() != {"include"} or name not in shared:
                raise ValueError(f"{owner}: {line} names no shared list")
            if name in chain:
                raise ValueError(f"{owner}: shared list {name} includes itself")
            found += lines(owner, shared[name], (*chain, name))
        return found

    return {name: lines(name, listed, ()) for name, listed in categories.items()}


def _thesaurus_words(words: dict[str, Any], thesaurus: dict[str, list[str]]) -> dict[str, set[str]]:
    """Each literal expression of the thesaurus and the categories it belongs to (lower case;
    short Chinese ones left out where ``thesaurus_min_chars`` says)."""
    literals: dict[str, set[str]] = {}
    shortest = words.get("thesaurus_min_chars", {})
    excluded = {_as_read(t) for t in words.get("thesaurus_exclude", ())}
    for name, lists in words.get("thesaurus", {}).items():
        terms = {_as_read(t) for key in lists for t in thesaurus[key]} - excluded
        for term in terms:
            if term.isascii() or len(term) >= shortest.get(name, 0):
                literals.setdefault(term, set()).add(name)
    return literals


def _pinyin_words(words: dict[str, Any], thesaurus: dict[str, list[str]]) -> list[str]:
    """The Chinese words whose pinyin spellings are dodges: ``pinyin_words`` of lexicon.yaml
    (first: where two words share a spelling, the listed one wins) and the thesaurus
    expressions of two to four characters (sorted, so the choice never depends on hashing)."""
    listed = list(dict.fromkeys(words.get("pinyin_words", ())))
    found: set[str] = set()
    for key, terms in thesaurus.items():
        if key.endswith("_zh"):
            found |= {t for t in terms if 2 <= len(t) <= 4}
    return listed + sorted(found - set(listed))


def _word_index(
    categories: dict[str, list[str]], literals: dict[str, set[str]]
) -> tuple[Any, frozenset[int], tuple[tuple[str, re.Pattern[str]], ...]]:
    """One Aho-Corasick automaton for every word the text is searched for: the factors of each
    pattern line of each category, and the thesaurus's literal expressions. Each word's value:
    ``(length, lines it is a factor of, categories it is itself a word of, Latin)``. Also the
    lines with no factor (searched everywhere) and the lines, compiled (with the characters a
    match begins with, where ``prefilter`` can read them off)."""
    lines = tuple((name, compiled(p)) for name, pats in categories.items() for p in pats)
    owners: dict[str, set[int]] = {}
    always = set()
    for index, (_, pattern) in enumerate(lines):
        words = factors(pattern.pattern)
        if words is None:
            always.add(index)
            continue
        for word in words:
            owners.setdefault(word, set()).add(index)
    automaton = ahocorasick.Automaton()
    for word in owners.keys() | literals.keys():
        automaton.add_word(
            word,
            (
                len(word),
                tuple(sorted(owners.get(word, ()))),
                tuple(sorted(literals.get(word, ()))),
                word.isascii(),
            ),
        )
    automaton.make_automaton()
    return automaton, frozenset(always), lines


#: At most this many readings of a word in full pinyin (heteronyms multiply).
_MAX_READINGS = 4
#: A word in full pinyin shorter than this (without spaces) is too likely an English word.
_MIN_FULL_PINYIN = 6


def _pinyin_spellings(words: list[str]) -> dict[str, str]:
    """How senders spell ``words`` with pinyin: one character in pinyin beside the others
    (``li案``, ``通xun录``), or the whole word in pinyin with or without spaces."""
    from itertools import islice, product

    from pypinyin import Style, pinyin

    spellings: dict[str, str] = {}
    for word in words:
        readings = [sorted(set(r)) for r in pinyin(word, style=Style.NORMAL, heteronym=True)]
        if len(readings) != len(word) or not all(r and r[0].isascii() for r in readings):
            continue
        for i, options in enumerate(readings):
            for reading in options:
                spellings.setdefault(word[:i] + reading + word[i + 1 :], word)
        for combo in islice(product(*readings), _MAX_READINGS):
            if len("".join(combo)) >= _MIN_FULL_PINYIN:
                spellings.setdefault("".join(combo), word)
                spellings.setdefault(" ".join(combo), word)
    return spellings


def _dodges(groups: dict[str, dict[str, list[str]]], pinyin_words: list[str]) -> Dodges:
    """Every spelling of ``lexicon.yaml``'s dodges and the word it stands for (pinyin written
    with or without spaces between its syllables), and the pinyin spellings of ``words``."""
    spellings: dict[str, str] = {}
    for group, listed in groups.items():
        for word, forms in listed.items():
            for form in forms:
                spellings[form] = word
                if group == "pinyin":
                    spellings[form.replace(" ", "")] = word
    for spelling, word in _pinyin_spellings(pinyin_words).items():
        spellings.setdefault(spelling, word)
    return Dodges(spellings)


#: The options a frame in ``frames.yaml`` may have: any other (a misspelt or renamed option) is
#: refused when the frames are read, not silently ignored.
FRAME_OPTIONS = frozenset(
    {
        "code",
        "rule",
        "name",
        "all",
        "unless",
        "unless_clause",
        "unless_unspoilt",
        "reported_in",
        "spoils",
        "window",
        "window_en",
        "across",
        "explain",
        "needs",
        "unless_same_sentence",
    }
)


def _frame(f: dict[str, Any], known: Collection[str], window: int, window_en: int) -> Frame:
    """One frame of ``frames.yaml`` (checked: only ``FRAME_OPTIONS``, only ``known``
    categories); ``window`` and ``window_en`` unless it sets its own."""
    odd = f.keys() - FRAME_OPTIONS
    if odd:
        raise ValueError(f"frame {f.get('name')} has unknown options {sorted(odd)}")
    named = set(f["all"]).union(
        *(
            f.get(k, ())
            for k in (
                "unless",
                "unless_clause",
                "unless_unspoilt",
                "spoils",
                "reported_in",
                "needs",
                "unless_same_sentence",
            )
        )
    )
    unknown = named - set(known)
    if unknown:
        raise ValueError(f"frame {f['name']} names unknown categories {sorted(unknown)}")
    return Frame(
        Code(f["code"]),
        f.get("rule"),
        f["name"],
        tuple(f["all"]),
        tuple(f.get("unless", ())),
        tuple(f.get("unless_clause", ())),
        f.get("window", window),
        f.get("window_en", window_en),
        f["explain"],
        bool(f.get("across", False)),
        tuple(f.get("unless_unspoilt", ())),
        tuple(f.get("spoils", ())),
        tuple(f.get("reported_in", ())),
        tuple(f.get("needs", ())),
        tuple(f.get("unless_same_sentence", ())),
    )


def _within(value: object) -> bool:
    """An implied rule's ``within``: ``sentence``, or none (the whole message)."""
    if value not in (None, "sentence"):
        raise ValueError(f"implied: unknown within {value!r}")
    return value == "sentence"


@cache
def lexicon() -> Lexicon:
    """The bundled lexicon and frames, compiled (checked: every frame has known options and
    names known categories)."""
    words = _read("lexicon.yaml")
    spec = _read("frames.yaml")
    thesaurus = _read("thesaurus.yaml")
    patterns = {
        name: [_pattern_as_read(p) for p in pats]
        for name, pats in _with_shared(words["categories"], words.get("shared", {})).items()
    }
    categories = {name: _alternation(pats) for name, pats in patterns.items()}
    window = spec["defaults"]["window"]
    window_en = spec["defaults"]["window_en"]
    frames = [_frame(f, categories.keys(), window, window_en) for f in spec["frames"]]
    links = words["links"]
    link = spec["link"]
    automaton, always, lines = _word_index(patterns, _thesaurus_words(words, thesaurus))
    return Lexicon(
        categories,
        _dodges(words["dodges"], _pinyin_words(words, thesaurus)),
        tuple(frames),
        tuple(
            Implied(
                frozenset(Code(c) for c in i["when"]),
                Code(i["code"]),
                i["rule"],
                Code(i["at"]),
                i["explain"],
                _within(i.get("within")),
            )
            for i in spec.get("implied", ())
        ),
        LinkRules(
            Code(link["code"]),
            link["rule"],
            link["explain"],
            frozenset(links["odd_tlds"]),
            frozenset(links["shorteners"]),
            tuple(links["trusted_suffixes"]),
            tuple(links["bait_words"]),
            frozenset(links.get("brand_sites", ())),
        ),
        automaton,
        always,
        lines,
        tuple((f.code, frozenset(f.parts)) for f in frames),
    )
