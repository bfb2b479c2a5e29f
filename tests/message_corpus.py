"""The labelled check-message corpus and how a checker is scored on it.

A message is *fully right* when the verdict is the labelled one, every required code is found,
no forbidden code is found, and the door flag (where labelled) agrees. Precision and recall per
code count a found code as a false positive only where the label rules it out: it is in
``forbid``, the verdict cannot hold it (a violation code in a message labelled compliant,
pressure or suspected_scam; a scam code in one labelled compliant or pressure), or it is
``DOOR_VISIT_MENTION`` where ``door`` is false. A code found but neither required nor ruled out
is not counted either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from duecourse.compliance.message.codes import SCAMS, SIGNALS, VIOLATIONS, Code

CORPUS = Path(__file__).parent / "cases" / "messages"
PARTS = {
    "frozen": ("frozen.yaml",),
    "development": (
        "original.yaml",
        "development.yaml",
        "development2.yaml",
        "development3.yaml",
        "development4.yaml",
        "development5.yaml",
        "development6.yaml",
        "development7.yaml",
        "development9.yaml",
        "development10.yaml",
        "development11.yaml",
        "development12.yaml",
        "development12_probes.yaml",
        "development13.yaml",
        "development14.yaml",
        "development15.yaml",
        "development16.yaml",
        "development17.yaml",
        "development17_probes.yaml",
        "development18a.yaml",
        "development18b.yaml",
        "development18_probes.yaml",
        "development19a.yaml",
        "development19b.yaml",
        "development20a.yaml",
        "development20b.yaml",
        "development20_probes.yaml",
        "development21a.yaml",
        "development21b.yaml",
        "development21c.yaml",
        "development21d.yaml",
        "development22a.yaml",
        "development22b.yaml",
        "development23a.yaml",
        "development23b.yaml",
    ),
}


def load(part: str) -> list[dict[str, Any]]:
    """The messages of one part of the corpus (``frozen`` or ``development``)."""
    items: list[dict[str, Any]] = []
    for name in PARTS[part]:
        path = CORPUS / name
        if path.exists():
            items.extend(yaml.safe_load(path.read_text("utf-8")))
    return items


def ruled_out(item: dict[str, Any]) -> set[str]:
    """The codes the label says the message does not hold."""
    out = set(item.get("forbid") or ())
    verdict = item["verdict"]
    if verdict in ("compliant", "pressure", "suspected_scam"):
        out |= {c.value for c in VIOLATIONS}
    if verdict in ("compliant", "pressure"):
        out |= {c.value for c in SCAMS}
    if verdict == "compliant":
        out |= {c.value for c in SIGNALS}
    if item.get("door") is False:
        out.add(Code.DOOR_VISIT_MENTION.value)
    return out


@dataclass
class Score:
    total: int = 0
    fully_right: int = 0
    verdict_right: int = 0
    false_alarms: int = 0  # labelled compliant or pressure, judged violation or suspected_scam
    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # (lang, code, tp|fp|fn)
    failures: list[str] = field(default_factory=list)

    def rate(self, n: int) -> float:
        return n / self.total if self.total else 0.0

    def table(self) -> str:
        """Precision and recall per code, for each language and both together."""
        lines = ["code                         lang  precision  recall   (tp/fp/fn)"]
        for code in Code:
            for lang in ("zh", "en", "all"):
                langs = ("zh", "en") if lang == "all" else (lang,)
                tp, fp, fn = (
                    sum(self.counts[(g, code.value, k)] for g in langs) for k in ("tp", "fp", "fn")
                )
                precision = f"{tp / (tp + fp):.2f}" if tp + fp else "  - "
                recall = f"{tp / (tp + fn):.2f}" if tp + fn else "  - "
                lines.append(
                    f"{code.value:28} {lang:4}  {precision:>9}  {recall:>6}   ({tp}/{fp}/{fn})"
                )
        return "\n".join(lines)

    def summary(self, name: str) -> str:
        return (
            f"{name}: {self.total} messages; fully right {self.rate(self.fully_right):.1%}; "
            f"verdict accuracy {self.rate(self.verdict_right):.1%}; lawful messages judged "
            f"violation or scam: {self.false_alarms}"
        )


def score(items: list[dict[str, Any]], check: Callable[[str], Any]) -> Score:
    """Score ``check`` (text -> MessageCheck) on ``items``."""
    result = Score()
    for item in items:
        got = check(item["text"])
        found = {c.value for c in got.codes}
        required = set(item.get("codes") or ())
        banned = ruled_out(item)
        verdict_ok = got.verdict.value == item["verdict"]
        door = item.get("door")
        door_ok = door is None or got.mentions_door_visit == door
        missing, wrong = required - found, found & banned
        ok = verdict_ok and door_ok and not missing and not wrong
        result.total += 1
        result.fully_right += ok
        result.verdict_right += verdict_ok
        if item["verdict"] in ("compliant", "pressure") and got.verdict.value in (
            "violation",
            "suspected_scam",
        ):
            result.false_alarms += 1
        lang = item.get("lang", "zh")
        for code in required & found:
            result.counts[(lang, code, "tp")] += 1
        for code in missing:
            result.counts[(lang, code, "fn")] += 1
        for code in wrong:
            result.counts[(lang, code, "fp")] += 1
        if not ok:
            result.failures.append(
                f"{item['id']}: want {item['verdict']}{sorted(required)} door={door} "
                f"got {got.verdict.value}{sorted(found)} door={got.mentions_door_visit} "
                f"missing={sorted(missing)} wrong={sorted(wrong)} | {item['text'][:120]}"
            )
    return result
