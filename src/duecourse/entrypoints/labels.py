"""User-facing labels: Chinese first, English beside it, from the message catalog
(``adapters/messages.py``); action names from the action catalogue."""

from __future__ import annotations

from duecourse.adapters.messages import label
from duecourse.strategy.actions import ACTIONS

__all__ = ["action_label", "label"]


def action_label(action: str) -> str:
    """The bilingual name of an action from the catalogue."""
    known = ACTIONS.get(action)
    return known.label if known else action
