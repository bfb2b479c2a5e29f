"""The rules of a pack as a table (for ``docs/compliance.md`` and ``duecourse rules``)."""

from __future__ import annotations

from typing import Any

from duecourse.compliance.packs import BUILT_IN


def _value(value: Any) -> str:
    return str(tuple(value)) if isinstance(value, list | tuple) else str(value)


def rule_rows(pack: str) -> list[dict[str, str]]:
    """One row per rule: id, title, source, grade, parameters, and whether the batch runs it."""
    return [
        {
            "id": rule.id,
            "title": rule.title,
            "source": rule.source,
            "grade": rule.grade,
            "params": ", ".join(f"`{k}` = `{_value(v)}`" for k, v in rule.params.items()) or "—",
            "title_zh": rule.title_zh,
            "batch": "yes" if rule.batch else "single only",
        }
        for rule in BUILT_IN[pack]
    ]


def markdown_table(pack: str) -> str:
    lines = [
        "| id | rule | source | grade | parameters (defaults) | daily run |",
        "|---|---|---|---|---|---|",
    ]
    for r in rule_rows(pack):
        lines.append(
            f"| `{r['id']}` | {r['title_zh']} · {r['title']} | {r['source']} | {r['grade']} "
            f"| {r['params']} | {r['batch']} |"
        )
    return "\n".join(lines)
