"""Reads the behaviour model's parameter file (YAML): the packaged ``lab/behaviour.yaml`` or
a lender's own copy, with each action's cost from the action catalogue
(``strategy/actions.py``). ``lab.behaviour.load_model`` checks it."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from duecourse.domain.model import LenderType
from duecourse.errors import BadData
from duecourse.lab.behaviour import BehaviourModel, ModelError, load_model
from duecourse.strategy.actions import ACTIONS

PACKAGED = "behaviour.yaml"


def read_behaviour(path: Path | None = None) -> BehaviourModel:
    """The model of ``path`` (default: the packaged file). A wrong file raises ``BadData``
    naming the parameter."""
    where = str(path) if path else f"duecourse/lab/{PACKAGED}"
    try:
        if path is None:
            text = resources.files("duecourse.lab").joinpath(PACKAGED).read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        doc = yaml.safe_load(text)
        if not isinstance(doc, dict):
            raise ModelError("the file must be a mapping")
        costs = {name: action.cost for name, action in ACTIONS.items()}
        return load_model(doc, [kind.value for kind in LenderType], costs)
    except FileNotFoundError as exc:
        raise BadData(f"文件不存在：{where}", f"File not found: {where}") from exc
    except (ModelError, yaml.YAMLError) as exc:
        raise BadData(
            f"行为模型参数文件有误 {where}：{exc}", f"behaviour model file rejected {where}: {exc}"
        ) from exc
