"""The pages' colours meet WCAG 2 AA contrast (4.5:1 for text) on their backgrounds, computed
from the stylesheet's own colour variables with the WCAG relative-luminance formula."""

from __future__ import annotations

import re

from duecourse.web.render import STATIC

CSS = (STATIC / "site.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", CSS))


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula_on_known_pairs():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the usual AA grey, by WCAG


def test_text_colours_on_white_and_on_panels():
    for name in ("text", "muted", "link", "focus", "ok", "warn", "bad"):
        for background in ("bg", "panel"):
            ratio = contrast(COLOURS[name], COLOURS[background])
            assert ratio >= 4.5, (name, background, round(ratio, 2))


def test_text_on_notes_warnings_problems_and_marks():
    for background in ("notebg", "problembg", "mark"):
        assert contrast(COLOURS["text"], COLOURS[background]) >= 4.5, background
    assert contrast(COLOURS["bad"], COLOURS["problembg"]) >= 4.5


def test_white_text_on_the_buttons():
    assert contrast("#ffffff", COLOURS["link"]) >= 4.5
