"""Outbound message templates and the checks they pass before anything is sent with them."""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from duecourse.compliance.facts import text_column, text_facts
from duecourse.compliance.message.checker import findings, has_opt_out
from duecourse.compliance.message.codes import SCAMS, VIOLATIONS

#: Placeholders a template may use, with the values it is checked with.
PLACEHOLDERS = {
    "name": "张三",
    "lender": "某消费金融",
    "amount": "1,200.00",
    "dpd": "15",
    "due_date": "2026-12-01",
    "hotline": "400-000-0000",
}
ELECTRONIC = frozenset({"sms", "email", "im"})


@dataclass(frozen=True, slots=True)
class Template:
    """The message an action sends, in Chinese and English; ``channel`` is the action's."""

    action: str
    channel: str
    zh: str
    en: str

    def texts(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


def render(text: str, values: dict[str, str] = PLACEHOLDERS) -> str:
    return text.format(**values)


def template_problems(template: Template, pack: str) -> list[str]:
    """Why ``template`` may not be used under ``pack``; empty when it may."""
    problems = []
    for lang, text in template.texts().items():
        where = f"{template.action}.{lang}"
        unknown = {
            field for _, field, _, _ in Formatter().parse(text) if field
        } - PLACEHOLDERS.keys()
        if unknown:
            problems.append(f"{where}: unknown placeholder(s) {', '.join(sorted(unknown))}")
            continue
        filled = render(text)
        for f in findings(filled):
            if f.code in VIOLATIONS or f.code in SCAMS:
                quoted = filled[f.span[0] : f.span[1]]
                problems.append(f"{where}: {f.rule or f.code.value} {f.explanation}: 「{quoted}」")
        if pack == "us" and template.channel in ELECTRONIC and not has_opt_out(filled):
            problems.append(f"{where}: US-E-01 no opt-out in an electronic message")
    return problems


def text_columns(template: Template | None) -> dict[str, object]:
    """What the batch guard knows of a template's texts (the ``text``, ``text_codes`` and
    ``text_opt_out`` facts of ``compliance/facts.py``), both languages together."""
    found: dict[str, str] = {}
    codes: set[str] = set()
    opt_out = True
    for text in [render(t) for t in template.texts().values()] if template else []:
        facts = text_facts(text)
        for rule, reason in facts["text"].items():
            found[rule] = f"{found[rule]}; {reason}" if rule in found else reason
        codes |= facts["text_codes"]
        opt_out &= facts["text_opt_out"]
    return {
        "text": text_column(found),
        "text_codes": "," + "".join(f"{c}," for c in sorted(codes)),
        "text_opt_out": opt_out,
    }
