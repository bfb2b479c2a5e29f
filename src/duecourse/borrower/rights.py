"""The rights guide's records: each right with its legal basis and the rule ids that encode it.

The guide itself is data (``rights.yaml`` beside this module), read by
``adapters/rights_file.py``; every text is bilingual (``zh`` first, ``en`` beside it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in Chinese and in English."""

    zh: str
    en: str

    def pick(self, lang: str) -> str:
        """The text in ``lang`` (``zh`` or ``en``)."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Basis:
    """A legal source: the law or rule's name, its article(s) ("" when the whole text) and the
    evidence grade of ``reference/borrower-law.md`` (V read, S secondary, R recollection)."""

    law: str
    article: str
    grade: str


@dataclass(frozen=True, slots=True)
class Right:
    """A right (or, in ``Guide.not_rights``, a thing that is *not* a right), its explanation,
    its legal basis and the collection rules (``reference/regulation.md`` ids) that encode it."""

    id: str
    title: Bilingual
    body: Bilingual
    basis: tuple[Basis, ...]
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Channel:
    """A complaint channel: who, the number or address, when to use it, and the deadline (days)
    within which the receiver must decide, where one is set."""

    id: str
    name: Bilingual
    number: str
    when: Bilingual
    deadline_days: int | None


@dataclass(frozen=True, slots=True)
class Guide:
    rights: tuple[Right, ...]
    not_rights: tuple[Right, ...]
    channels: tuple[Channel, ...]

    def channel(self, channel_id: str) -> Channel:
        return next(c for c in self.channels if c.id == channel_id)
