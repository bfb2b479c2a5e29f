"""Reading the optimiser's configuration (``strategies/optimiser.yaml`` by default)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from duecourse.adapters.textfile import read_text
from duecourse.errors import BadData
from duecourse.strategy.action_values import ActionParams
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.optimiser_day import OptimiserConfig

DEFAULT = resources.files("duecourse") / "strategies" / "optimiser.yaml"


def _bad(where: str, why_zh: str, why_en: str) -> BadData:
    return BadData(
        f"优化器配置有误（{where}）：{why_zh}", f"bad optimiser config ({where}): {why_en}"
    )


def load_optimiser_config(path: Path | None = None) -> OptimiserConfig:
    """The configuration in ``path``, or the built-in one."""
    where = str(path or "optimiser.yaml")
    try:
        text = read_text(path) if path is not None else DEFAULT.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _bad(where, "无法解析", f"cannot be read: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("actions"), dict):
        raise _bad(where, "需要 actions 映射", "expected a mapping with 'actions'")
    actions: dict[str, ActionParams] = {}
    for name, raw in data["actions"].items():
        if name not in ACTIONS:
            raise _bad(f"{where}: actions.{name}", "未知动作", f"unknown action {name!r}")
        try:
            actions[str(name)] = _params(raw, catalogue_fen(str(name)))
        except (TypeError, ValueError, KeyError) as exc:
            raise _bad(
                f"{where}: actions.{name}", "参数有误", f"{type(exc).__name__}: {exc}"
            ) from None
    try:
        capacities = {str(k): float(v) for k, v in (data.get("capacities") or {}).items()}
        cap = data.get("complaint_cap")
        limit = data.get("time_limit")
        return OptimiserConfig(
            actions=actions,
            capacities=capacities,
            complaint_cap=None if cap is None else float(cap),
            segments=tuple(str(s) for s in data.get("segments") or ()),
            mip=bool(data.get("mip", False)),
            time_limit=None if limit is None else float(limit),
        )
    except (TypeError, ValueError) as exc:
        raise _bad(where, "容量或选项有误", str(exc)) from None


def catalogue_fen(action: str) -> int:
    """The action's cost in the catalogue (``strategy/actions.py``, the one definition of
    what an action costs), in fen, rounded half up."""
    fen = (ACTIONS[action].cost * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(fen)


def _params(raw: Any, cost_fen: int) -> ActionParams:
    if not isinstance(raw, dict):
        raise TypeError("expected a mapping of parameters")
    contact = raw.get("contact_rate", {})
    if not isinstance(contact, dict):
        raise TypeError("contact_rate maps contact statuses to rates")
    return ActionParams(
        contact_rate={str(k): float(v) for k, v in contact.items()},
        promise_rate=float(raw["promise_rate"]),
        payment_share=float(raw["payment_share"]),
        cost_fen=cost_fen,
        commission=float(raw.get("commission", 0.0)),
        complaint_rate=float(raw.get("complaint_rate", 0.0)),
        uses={str(k): float(v) for k, v in (raw.get("uses") or {}).items()},
        cadence_days=int(raw.get("cadence_days", 0)),
        priority=int(raw.get("priority", 5)),
    )
