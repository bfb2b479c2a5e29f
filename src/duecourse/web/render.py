"""Templates in two languages: Chinese by default, English through the same message catalog
(``adapters/messages.py``; a ``msgid`` is the English, so English needs no translation)."""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape

from duecourse.adapters.messages import translations

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def language(value: str | None) -> Lang:
    """``en`` when asked for, else Chinese (the default)."""
    return "en" if value == "en" else "zh"


def _pick(value: Any, lang: Lang) -> str:
    """A bilingual value (``zh``/``en`` attributes or keys) in ``lang``."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or "")
    return str(getattr(value, lang))


@cache
def environment(lang: Lang) -> Environment:
    """The Jinja environment of one language (built once per process)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    chosen: gettext.NullTranslations = (
        translations() if lang == "zh" else gettext.NullTranslations()
    )
    env.install_gettext_translations(chosen, newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.globals["html_lang"] = "zh-CN" if lang == "zh" else "en"
    env.filters["pick"] = lambda value: _pick(value, lang)
    env.filters["money"] = lambda value: f"{value:,.2f}"
    return env


def render(name: str, lang: Lang, **context: Any) -> str:
    """Template ``name`` rendered in ``lang``."""
    return environment(lang).get_template(name).render(**context)


def pdf(html: str) -> bytes:
    """A printable page as PDF (WeasyPrint; Chinese needs a CJK font such as Noto CJK)."""
    from weasyprint import HTML  # imported here: slow, and only letters need it

    data: bytes = HTML(string=html, base_url=str(STATIC)).write_pdf()
    return data
