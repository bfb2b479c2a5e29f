"""Normalise a message for analysis while keeping a map back to the text the user gave.

Senders dodge filters with traditional characters, full-width letters, separators inside words
(``上 门``), pinyin (``qi su``), half-pinyin (``zheng信``), homophones, emoji and Chinese
numerals. Each step below rewrites the text and carries, for every character it produces, the
span of original characters it came from, so a finding's span points into the user's text.

Every step is linear in the text's length; a step records only the ranges it replaced, and a
position is mapped back to the user's text only for the findings reported.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ahocorasick
import cn2an
import opencc

#: Characters that are not words: a text of nothing else has nothing to check.
_WORDLIKE = re.compile(r"[^\W\d_]", re.UNICODE)
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
#: Hearts, stars and sparkles a sender strews between characters (「征❤信❤修❤复」).
_HEARTS = "\u2605\u2606\u2661\u2665\u2763\u2764\u2728\u273f\u2740\U0001f493-\U0001f49f"
#: Separators a sender slips between the characters of a Chinese word (not clause punctuation).
_INNER_SEPARATORS = re.compile(
    rf"(?<=[{_CJK}])[\s*\-_·•~|/\\.`^+=#@&$%\u200b-\u200f\u2060\ufeff{_HEARTS}]+(?=[{_CJK}])"
)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad\ufe0e\ufe0f]+")
_LATIN = re.compile(r"[a-z]")
#: Characters that continue a Latin word, a link or an address: a spelling next to one of these
#: is part of something else (``zhengxin-xiufu.com``).
_WORDISH = re.compile(r"[a-z0-9\-_./@]")
#: One or two digits or symbols between letters read as the letters they look like
#: (``arr3st``, ``y0u``, ``br34k``, ``workpl@ce``; not the ``@`` of an address, ``li@qq.com``).
_LOOK_ALIKE = re.compile(r"(?<=[a-z])(?:[0134579$!]|@(?![a-z0-9\-_]+\.[a-z])){1,2}(?=[a-z])")
_LOOKS_LIKE = {
    "@": "a",
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
class _Step:
    """One ``rewrite``: each replaced range of its input (``in_starts``/``in_ends``), where its
    replacement starts in the output and how long it is; ``size``: the input's length."""

    out_starts: list[int]
    out_lens: list[int]
    in_starts: list[int]
    in_ends: list[int]
    size: int


@dataclass(frozen=True, slots=True)
class Normalised:
    """``text`` for analysis and the rewrites (``steps``) that made it from the user's text:
    a position is mapped back only when a finding is reported, through each step by binary
    search, so normalising costs no per-character offset tables."""

    text: str
    steps: tuple[_Step, ...] = ()

    def _back(self, k: int, i: int) -> tuple[int, int]:
        """The original span of character ``i`` of the text after the ``k``-th step: a
        replacement character spans the whole original of what it replaced."""
        while k >= 0:
            step = self.steps[k]
            p = bisect_right(step.out_starts, i) - 1
            if p >= 0:
                offset = i - step.out_starts[p]
                if offset < step.out_lens[p]:
                    a, b = step.in_starts[p], step.in_ends[p]
                    if a < step.size:
                        first = self._back(k - 1, a)[0]
                    else:
                        first = self._back(k - 1, step.size - 1)[1] if step.size else 0
                    last = self._back(k - 1, b - 1)[1] if b > a else first
                    return first, last
                i = step.in_ends[p] + offset - step.out_lens[p]
            k -= 1
        return i, i + 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the user's text that ``text[start:end]`` came from."""
        last = len(self.steps) - 1
        if end <= start:
            if start < len(self.text):
                first = self._back(last, start)[0]
                return first, first
            return 0, 0
        return self._back(last, start)[0], self._back(last, end - 1)[1]


def identity(text: str) -> Normalised:
    return Normalised(text)


def rewrite(norm: Normalised, pieces: Iterable[tuple[int, int, str]]) -> Normalised:
    """Replace non-overlapping ``[start, end)`` ranges of ``norm.text`` (in order) by strings;
    each replacement character maps to the whole original span of what it replaced."""
    found = iter(pieces)
    piece = next(found, None)
    if piece is None:  # nothing replaced (most steps, for most messages)
        return norm
    text = norm.text
    out: list[str] = []
    step = _Step([], [], [], [], len(text))
    size = 0  # length of the output so far
    at = 0
    for start, end, replacement in itertools.chain((piece,), found):
        kept = text[at:start]
        out.append(kept)
        size += len(kept)
        step.out_starts.append(size)
        step.out_lens.append(len(replacement))
        step.in_starts.append(start)
        step.in_ends.append(end)
        if replacement:
            out.append(replacement)
            size += len(replacement)
        at = end
    out.append(text[at:])
    return Normalised("".join(out), (*norm.steps, step))


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
        return Normalised(whole, norm.steps)
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


def arabic_numerals(text: str) -> str:
    """``text`` with its Chinese numerals before a unit in digits, as ``normalise`` reads a
    message (the lexicon's own words are read so too: 「一次性」 matches 「1次性」)."""
    return _CN_NUMBER.sub(_arabic, text)


def _unaccented(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)[0]
    return base if base.isascii() else ch


def _joined(match: re.Match[str]) -> str:
    """The letters of a spelled-out word together; a leading article stays a word (a v i s i t),
    and where dots or hyphens join the letters a space parts words (l.e.g.a.l a.c.t.i.o.n)."""
    run = match.group(0)
    if " " in run and ("." in run or "-" in run):
        return " ".join(_SPELLING_GAPS.sub("", word) for word in run.split(" "))
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
    norm = substitute(norm, _LOOK_ALIKE, lambda m: "".join(_LOOKS_LIKE[c] for c in m.group(0)))
    norm = dodges.apply(norm)
    norm = substitute(norm, _INNER_SEPARATORS, lambda _: "")
    if not norm.text.isascii():
        norm = substitute(norm, _CN_NUMBER, _arabic)
    return norm


def has_words(text: str) -> bool:
    """Whether ``text`` holds any letter or Chinese character at all."""
    return bool(_WORDLIKE.search(text))
