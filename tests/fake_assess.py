"""A test-only fake at the web layer's assessment port (``duecourse.web.ports.Assess``).

It answers in the shape of DESIGN.md §3 with a made-up, monotone score so the pages and the API
can be tested while the engine (``duecourse.service.assess``) is built elsewhere; it is never
the engine and no test reads its numbers as facts about collection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from duecourse.errors import BadData

LENDERS = {"bank", "consumer_finance", "small_loan", "online_platform"}
CONTACTS = {"reachable", "unresponsive", "lost"}


def fake_assess(request: Mapping[str, Any]) -> dict[str, Any]:
    """A contract-shaped answer; ``BadData`` for an input outside the contract."""
    if request.get("lender_type") not in LENDERS or request.get("contact") not in CONTACTS:
        raise BadData("评估请求有误", "bad assess request", "lender_type/contact")
    score = min(0.9, int(request["days_past_due"]) / 200)
    if not request.get("address_verified"):
        score = 0.0
    level = "high" if score >= 0.4 else "medium" if score >= 0.15 else "low"
    return {
        "door_visit": {"level": level, "probability": round(score, 4), "horizon_days": 30},
        "next_actions": [{"action": "agent_call", "probability": 0.9}],
        "reasons": [f"FAKE: days_past_due {request['days_past_due']}"],
        "rights": ["FAKE right"],
        "advice": ["FAKE advice"],
    }
