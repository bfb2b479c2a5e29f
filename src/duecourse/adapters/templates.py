"""Load message templates (YAML); a file with any failing template is refused whole."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from duecourse.adapters.textfile import read_text
from duecourse.compliance.templates import Template, template_problems
from duecourse.strategy.actions import ACTIONS

REFERENCE_TEMPLATES = resources.files("duecourse") / "strategies" / "templates.yaml"


class TemplateRefused(ValueError):
    """Templates that may not be used; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def load_templates(path: Path | None = None, pack: str = "cn") -> dict[str, Template]:
    """Templates by action, each checked for ``pack``; refused whole if any fails."""
    source: Any = path or REFERENCE_TEMPLATES
    try:
        text = read_text(path, "模板文件", "templates file") if path else source.read_text("utf-8")
        data = yaml.safe_load(text) or []
    except yaml.YAMLError as exc:
        raise TemplateRefused([f"{source}: cannot be read: {exc}"]) from None
    problems: list[str] = []
    found: dict[str, Template] = {}
    for i, item in enumerate(data if isinstance(data, list) else [None]):
        if not isinstance(item, dict) or set(item) != {"action", "zh", "en"}:
            problems.append(f"entry {i + 1}: needs exactly action, zh and en")
            continue
        action = ACTIONS.get(item["action"])
        if action is None or action.reach is None:
            problems.append(f"entry {i + 1}: {item['action']!r} is not an action that contacts")
            continue
        template = Template(action.name, action.reach.channel, str(item["zh"]), str(item["en"]))
        problems += template_problems(template, pack)
        found[action.name] = template
    if problems:
        raise TemplateRefused(problems)
    return found
