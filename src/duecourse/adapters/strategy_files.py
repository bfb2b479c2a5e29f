"""Reading decision tables and strategies from files (YAML, or GoRules JDM JSON)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from duecourse.adapters.textfile import read_text
from duecourse.domain.model import LenderType
from duecourse.strategy.jdm import table_from_jdm
from duecourse.strategy.pipeline import Strategy, strategy_from_dict
from duecourse.strategy.table import DecisionTable, TableError, TableIssue, table_from_dict

REFERENCE = resources.files("duecourse") / "strategies"


def _read(path: Path | Any) -> Any:
    text = read_text(path) if isinstance(path, Path) else path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise TableError([TableIssue(str(path), "file", f"cannot be read: {exc}")]) from None


def load_table(path: Path) -> DecisionTable:
    """A decision table from ``.yaml``/``.yml`` or a JDM ``.json`` graph."""
    data = _read(path)
    if isinstance(data, dict) and "nodes" in data:
        return table_from_jdm(data, name=path.stem)
    if not isinstance(data, dict):
        raise TableError([TableIssue(str(path), "file", "expected a mapping at the top")])
    return table_from_dict(data)


def _resolve(data: dict[str, Any], base: Path | Any) -> dict[str, Any]:
    tables = []
    for entry in data.get("tables") or []:
        if isinstance(entry, dict) and "include" in entry:
            included = _read(base / entry["include"])
            tables.append(included)
        else:
            tables.append(entry)
    return {**data, "tables": tables}


def load_strategy(path: Path) -> Strategy:
    """A strategy file; ``- include: other.yaml`` entries are read relative to it."""
    data = _read(path)
    if not isinstance(data, dict):
        raise TableError([TableIssue(str(path), "file", "expected a mapping at the top")])
    return strategy_from_dict(_resolve(data, path.parent))


def reference_strategy(lender_type: LenderType) -> Strategy:
    """The built-in reference strategy for one lender type."""
    source = REFERENCE / f"{lender_type.value}.yaml"
    data = _read(source)
    return strategy_from_dict(_resolve(data, REFERENCE))


def reference_strategies() -> dict[str, Strategy]:
    """All four reference strategies, by lender type."""
    return {kind.value: reference_strategy(kind) for kind in LenderType}
