"""Every text of the borrower's pages has its Chinese in the message catalog (the pages are
Chinese by default; English is the msgid)."""

from __future__ import annotations

from pathlib import Path

from jinja2.ext import babel_extract

from duecourse.adapters.messages import translations
from duecourse.web.render import TEMPLATES


def _msgids() -> list[str]:
    found: list[str] = []
    for template in sorted(Path(TEMPLATES).glob("*.html")):
        with template.open("rb") as f:
            for _line, _func, message, _comments in babel_extract(
                f, ["_", "gettext"], [], {"extensions": "jinja2.ext.i18n"}
            ):
                text = message[0] if isinstance(message, tuple) else message
                found.append(text)
    return found


def test_every_page_text_is_translated():
    ids = _msgids()
    assert len(ids) > 100
    missing = [m for m in ids if translations().gettext(m) == m]
    assert missing == []


def test_placeholders_survive_translation():
    for m in _msgids():
        zh = translations().gettext(m)
        for mark in ("%(days)s", "%(n)s", "%(day)s", "%%"):
            assert (mark in m) == (mark in zh), m
