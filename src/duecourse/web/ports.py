"""The web layer's one port: the door-visit assessment of DESIGN.md §3.

``duecourse.service.assess.assess(request) -> dict`` is the engine (the reference strategy, the
rule pack and a forward simulation); the app takes any function of that shape, so tests can run
the pages against a fake while the engine is built elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

from duecourse.errors import DuecourseError

Assess = Callable[[Mapping[str, Any]], dict[str, Any]]


class AssessUnavailable(DuecourseError):
    """The assessment engine is not installed in this build."""


def engine_assess(request: Mapping[str, Any]) -> dict[str, Any]:
    """``duecourse.service.assess.assess``, imported on first use."""
    try:
        module = import_module("duecourse.service.assess")
    except ModuleNotFoundError as exc:
        if exc.name not in {"duecourse.service.assess"}:
            raise
        raise AssessUnavailable(
            "评估引擎尚未安装", "the assessment engine is not available in this build"
        ) from None
    result: dict[str, Any] = module.assess(request)
    return result
