"""Write, one JSON line each, what ``check_message`` answers for every development message (with
and without the learned layer), every behaviour case, long texts made of development messages
and huge abusive texts: run it before and after a change meant to keep every result (a speed-up,
a refactoring) and compare the two files byte for byte.

Reads only the development part and ``behaviour.yaml``; the frozen part is never opened.
``.venv/bin/python tools/message_snapshot.py OUT.jsonl [--huge]`` (``--huge`` adds 1 MB of
abusive Chinese, English and both, and the whole development part as one text; a minute more).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.message_corpus import CORPUS, load  # noqa: E402

from duecourse.compliance.message.checker import MessageError, check_message  # noqa: E402

#: Texts whose old analysis took quadratic time (no punctuation; full of warnings, negations,
#: quotes or complaints), repeated to a few sizes.
PATTERNS = (
    "再不还钱就打断你的腿我们天天去你公司闹让你全家好看 ",
    "you deadbeat we will call every hour and tell your boss and break your legs ",
    "谨防诈骗：骗子说要打断你的腿，去你公司闹。",
    "Beware: scammers say they will break your legs and tell your boss. ",
    "骗子常说：“再不还钱就打断你的腿”，请勿相信。",
    "我们不会上门 我们不会打断你的腿 也不会告诉你的同事 ",
    "我要投诉，他们说“打断你的腿”，还说去你公司闹。",
    "您有权拒绝，我们不会打断你的腿，也不会去你公司闹。",
)
ABUSIVE = (
    "再不还钱就打断你的腿，我们天天去你公司闹，让你全家好看！你这个老赖，明天就上门。",
    "You deadbeat, we will call every hour until you pay, and tell your boss. ",
    "再不还钱就打断你的腿，我们天天去你公司闹，让你全家好看！"
    "You deadbeat, we will call every hour. ",
)


def answer(text: str, learned: bool = True) -> dict[str, Any]:
    """The checker's whole answer as plain data (or the refusal)."""
    try:
        result = check_message(text, learned=learned)
    except MessageError as refused:
        return {"refused": str(refused)}
    return {
        "verdict": result.verdict.value,
        "door": result.mentions_door_visit,
        "omitted": result.omitted,
        "codes": sorted(c.value for c in result.codes),
        "findings": [[f.code.value, f.rule, list(f.span), f.explanation] for f in result.findings],
    }


def texts(huge: bool) -> list[tuple[str, str, bool]]:
    """``(name, text, learned)`` for every text checked."""
    development = [m["text"] for m in load("development")]
    behaviour = yaml.safe_load((CORPUS / "behaviour.yaml").read_text("utf-8"))
    found = [(f"dev{i}", t, on) for i, t in enumerate(development) for on in (True, False)]
    found += [(f"behaviour{i}", m["text"], True) for i, m in enumerate(behaviour)]
    for k, separator in enumerate(("", "\n", "。", " ")):
        for size in (900, 1100, 5000, 60000):
            parts, length, j = [], 0, (k * 97) % len(development)
            while length < size:
                parts.append(development[j % len(development)])
                length += len(parts[-1]) + len(separator)
                j += 1
            found.append((f"joined{k}-{size}", separator.join(parts), True))
    for k, unit in enumerate(PATTERNS):
        for size in (700, 3000, 15000):
            found.append((f"pattern{k}-{size}", unit * (size // len(unit.encode()) + 1), True))
    if huge:
        found.append(("development", "\n".join(development), True))
        for k, unit in enumerate(ABUSIVE):
            found.append((f"abusive{k}", unit * (1_000_000 // len(unit.encode()) + 1), True))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--huge", action="store_true")
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for name, text, learned in texts(args.huge):
            line = [name, learned, answer(text, learned)]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
