"""The message catalog: every text a user reads, Chinese first with the English beside it.

The texts live in one gettext catalog, ``src/duecourse/locale/zh_CN/LC_MESSAGES/duecourse.po``,
read with Babel on first use (no compile step: a fresh clone and an editable install read the
``.po`` itself). Two kinds of entry:

* a sentence: ``msgid`` is the English, ``msgstr`` the Chinese; :func:`text` prints
  ``"中文 English"`` and :func:`zh` the Chinese alone. ``{name}`` placeholders are filled
  after translation, in both halves.
* a label, with ``msgctxt`` (``label``, ``fact``, ``unit`` ...): ``msgid`` is the internal key
  (``lender_type``, ``amount_overdue``), ``msgstr`` the whole bilingual label;
  :func:`label` returns it, or the key when the catalog has none.

``docs/architecture.md`` says how to add a text.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

DOMAIN = "duecourse"
LOCALE = "zh_CN"
CATALOG = Path(__file__).parent.parent / "locale" / LOCALE / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations() -> gettext.GNUTranslations:
    """The catalog as gettext translations (parsed once per process)."""
    from babel.messages.mofile import write_mo  # imported here: Babel is not needed at start-up
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as po:
        catalog = read_po(po, locale=LOCALE, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def zh(english: str, **values: object) -> str:
    """The Chinese of ``english`` (the English itself when the catalog has none)."""
    chinese = translations().gettext(english)
    return chinese.format(**values) if values else chinese


def text(english: str, **values: object) -> str:
    """``"中文 English"``: the Chinese of ``english`` with the English beside it."""
    chinese = translations().gettext(english)
    both = english if chinese == english else f"{chinese} {english}"
    return both.format(**values) if values else both


def label(key: str, context: str = "label") -> str:
    """The bilingual label of an internal key (the key itself when there is none)."""
    return translations().pgettext(context, key)


def has_label(key: str, context: str = "label") -> bool:
    """Whether the catalog has a label for ``key``."""
    return translations().pgettext(context, key) != key
