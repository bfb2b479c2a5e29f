"""Normalise a message for analysis while keeping a map back to the text the user gave.

Senders dodge filters with traditional characters, full-width letters, separators inside words
(``上 门``), pinyin (``qi su``), half-pinyin (``zheng信``), homophones, emoji and Chinese
numerals. Each step below rewrites the text and carries, for every character it produces, the
span of original characters it came from, so a finding's span points into the user's text.

Every step is linear in the text's length.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick
import cn2an
import opencc

#: Characters that are not words: a text of nothing else has nothing to check.
_WORDLIKE = re.compile(r"[^\W\d_]", re.UNICODE)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: Separators a sender slips between the characters of a Chinese word (not clause punctuation).
_INNER_SEPARATORS = re.compile(
    rf"(?<=[{_CJK}])[\s*\-_·•~|/\\.`^+=#@&$%\u200b-\u200f\u2060\ufeff]+(?=[{_CJK}])"
)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad\ufe0e\ufe0f]+")
_LATIN = re.compile(r"[a-z]")
#: Characters that continue a Latin word, a link or an address: a spelling next to one of these
#: is part of something else (``zhengxin-xiufu.com``).
_WORDISH = re.compile(r"[a-z0-9\-_./@]")
#: A digit or symbol between letters read as the letter it looks like (``arr3st``, ``y0u``).
_LOOK_ALIKE = re.compile(r"(?<=[a-z])[0134579$!](?=[a-z])")
_LOOKS_LIKE = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "9": "g",
    "$": "s",
    "!": "i",
}
#: Pinyin tone marks and other accents on Latin letters: ``bǎn`` → ``ban``.
_ACCENTED = re.compile(r"[\u00c0-\u024f]")
#: Spaces around the dots and slashes of a link (``t . cn / Kq82``): removed.
_LINK_GAPS = re.compile(r"(?<=[a-z0-9])\s+([./:])\s+(?=[a-z0-9/])")
#: A space between a Latin letter and a Chinese character (``zheng 信``): removed.
_MIXED_GAP = re.compile(rf"(?<=[a-z])\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+(?=[a-z])")
#: Letters spelled out one by one (``d.e.a.d.b.e.a.t``, ``C-R-E-D-I-T``, ``v i s i t``).
_SPELLED = re.compile(r"(?<![a-z0-9])[a-z](?:[ .\-][a-z]){2,}(?![a-z0-9])")
_SPELLING_GAPS = re.compile(r"[ .\-]")
#: Characters typed one by one with spaces between (``C N M``, ``h t t p s : / /``).
_SPACED = re.compile(r"(?<![!-~])[!-~](?: [!-~]){3,}(?![!-~])")
#: A Chinese numeral before a unit of count or time: ``二十四小时`` → ``24小时``.
_CN_NUMBER = re.compile(
    r"[零〇一二两三四五六七八九十百千万]+(?=\s*(小时|个小时|分钟|次|通|遍|天|点|个|条|年|万|元|块))"
)


@dataclass(frozen=True, slots=True)
class Normalised:
    """``text`` for analysis; ``starts[i]``/``ends[i]``: the original span of ``text[i]``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the user's text that ``text[start:end]`` came from."""
        if end <= start:
            return (self.starts[start], self.starts[start]) if start < len(self.starts) else (0, 0)
        return self.starts[start], self.ends[end - 1]


def identity(text: str) -> Normalised:
    return Normalised(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)))


def rewrite(norm: Normalised, pieces: Iterable[tuple[int, int, str]]) -> Normalised:
    """Replace non-overlapping ``[start, end)`` ranges of ``norm.text`` (in order) by strings;
    each replacement character maps to the whole original span of what it replaced."""
    text, starts, ends = norm.text, norm.starts, norm.ends
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    at = 0
    for start, end, replacement in pieces:
        out.append(text[at:start])
        new_starts.extend(starts[at:start])
        new_ends.extend(ends[at:start])
        if replacement:
            first = starts[start] if start < len(starts) else (ends[-1] if ends else 0)
            last = ends[end - 1] if end > start else first
            out.append(replacement)
            new_starts.extend([first] * len(replacement))
            new_ends.extend([last] * len(replacement))
        at = end
    if at == 0 and not out:
        return norm
    out.append(text[at:])
    new_starts.extend(starts[at:])
    new_ends.extend(ends[at:])
    return Normalised("".join(out), tuple(new_starts), tuple(new_ends))


def substitute(
    norm: Normalised, pattern: re.Pattern[str], to: Callable[[re.Match[str]], str]
) -> Normalised:
    """``rewrite`` every match of ``pattern`` by ``to(match)``."""
    return rewrite(norm, ((m.start(), m.end(), to(m)) for m in pattern.finditer(norm.text)))


def _per_character(norm: Normalised, convert: Callable[[str], str]) -> Normalised:
    """Apply ``convert`` to the whole text when it keeps the length (one character for one);
    otherwise character by character, so each output character keeps its origin."""
    whole = convert(norm.text)
    if len(whole) == len(norm.text):
        return Normalised(whole, norm.starts, norm.ends)
    return rewrite(
        norm,
        ((i, i + 1, out) for i, ch in enumerate(norm.text) if (out := convert(ch)) != ch),
    )


def _nfkc_lower(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _arabic(match: re.Match[str]) -> str:
    try:
        return str(cn2an.cn2an(match.group(0), "smart"))
    except ValueError:
        return match.group(0)


def _unaccented(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)[0]
    return base if base.isascii() else ch


def _joined(match: re.Match[str]) -> str:
    """The letters of a spelled-out word together; a leading article stays a word (a v i s i t)."""
    run = match.group(0)
    if run[:2] in ("a ", "i ") and len(run) > 6:
        return run[:2] + _SPELLING_GAPS.sub("", run[2:])
    return _SPELLING_GAPS.sub("", run)


class Dodges:
    """Spellings senders use for words (pinyin, abbreviations, homophones, emoji, look-alike
    letters), found in one Aho-Corasick pass, longest first. A spelling made of Latin letters
    must stand as a whole word (``qisu`` in ``qisu你`` but not in ``qisuo``)."""

    def __init__(self, spellings: dict[str, str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for spelling, word in spellings.items():
            self._automaton.add_word(spelling, (spelling, word))
        self._empty = not spellings
        if spellings:
            self._automaton.make_automaton()

    def _found(self, text: str) -> Iterator[tuple[int, int, str]]:
        for end, (spelling, word) in self._automaton.iter_long(text):
            start = end - len(spelling) + 1
            if _LATIN.match(spelling[0]) and start > 0 and _WORDISH.match(text[start - 1]):
                continue
            if _LATIN.match(spelling[-1]) and end + 1 < len(text) and _WORDISH.match(text[end + 1]):
                continue
            yield start, end + 1, word

    def apply(self, norm: Normalised) -> Normalised:
        return norm if self._empty else rewrite(norm, self._found(norm.text))


NO_DODGES = Dodges({})


def normalise(text: str, dodges: Dodges = NO_DODGES) -> Normalised:
    """Full-width → half-width and lower case (NFKC), traditional → simplified (OpenCC),
    invisible characters removed, words spelled letter by letter joined, accents dropped from
    Latin letters, digits inside words read as letters, dodges replaced by the words they stand
    for, separators inside Chinese words removed, Chinese numerals before a
    unit → Arabic digits."""
    norm = identity(text)
    norm = substitute(norm, _INVISIBLE, lambda _: "")
    norm = _per_character(norm, _nfkc_lower)
    if not norm.text.isascii():
        norm = _per_character(norm, _t2s().convert)
    norm = substitute(norm, _LINK_GAPS, lambda m: m.group(1))
    norm = substitute(norm, _SPACED, lambda m: m.group(0).replace(" ", ""))
    norm = substitute(norm, _SPELLED, _joined)
    if not norm.text.isascii():
        norm = substitute(norm, _ACCENTED, lambda m: _unaccented(m.group(0)))
        norm = substitute(norm, _MIXED_GAP, lambda _: "")
    norm = substitute(norm, _LOOK_ALIKE, lambda m: _LOOKS_LIKE[m.group(0)])
    norm = dodges.apply(norm)
    norm = substitute(norm, _INNER_SEPARATORS, lambda _: "")
    if not norm.text.isascii():
        norm = substitute(norm, _CN_NUMBER, _arabic)
    return norm


def has_words(text: str) -> bool:
    """Whether ``text`` holds any letter or Chinese character at all."""
    return bool(_WORDLIKE.search(text))
