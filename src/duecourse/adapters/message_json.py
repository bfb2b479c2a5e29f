"""``check-message --json`` output: one definition for the command and the web API."""

from __future__ import annotations

from typing import Any

from duecourse.compliance.message.checker import MessageCheck


def message_json(result: MessageCheck) -> dict[str, Any]:
    """The contract's fields (DESIGN.md §3) and ``findings_omitted``."""
    return {
        "verdict": result.verdict.value,
        "mentions_door_visit": result.mentions_door_visit,
        "findings_omitted": result.omitted,
        "findings": [
            {
                "code": f.code.value,
                "rule": f.rule,
                "span": list(f.span),
                "explanation": f.explanation,
            }
            for f in result.findings
        ],
    }
