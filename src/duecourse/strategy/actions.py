"""The action catalogue: what a strategy may plan, on which channel, and what it costs.

Extensible: a lender adds actions by registering them here (or in a pack of its own) before
strategies that use them are loaded. Costs are indicative CNY per action, used by later
expected-value decisions; ``dispatcher`` names the outbox adapter that carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Reach:
    """Whom an action contacts, for the compliance guard (a contact request's fields)."""

    channel: str
    to: str = "debtor"
    purpose: str = "collect"
    by: str = "inhouse"
    legal_action: bool = False  # starts or threatens a lawsuit


@dataclass(frozen=True, slots=True)
class Action:
    """One kind of collection action.

    Attributes:
        channel: the contact channel it uses (``none`` for internal reviews).
        label: Chinese name shown to users, with the English beside it.
        escalation: rough order of severity, 0 (none) to 9 (lawsuit).
        reach: the contact it makes, checked by the rule pack; ``None`` for actions that
            contact nobody (reviews, placements, court filings).
    """

    name: str
    channel: str
    label: str
    cost: Decimal
    escalation: int
    dispatcher: str | None
    reach: Reach | None = None


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("hold", "none", "暂缓 hold", Decimal("0"), 0, None),
        Action(
            "sms_reminder", "sms", "短信提醒 SMS reminder", Decimal("0.05"), 1, "sms", Reach("sms")
        ),
        Action("email", "email", "邮件 e-mail", Decimal("0.01"), 1, "email", Reach("email")),
        Action(
            "ai_call",
            "call",
            "智能语音 AI call",
            Decimal("0.30"),
            2,
            "dialer",
            Reach("call", by="ai"),
        ),
        Action(
            "agent_call", "call", "人工电话 agent call", Decimal("3"), 3, "dialer", Reach("call")
        ),
        Action(
            "senior_agent_call",
            "call",
            "资深催收电话 senior agent call",
            Decimal("6"),
            4,
            "dialer",
            Reach("call"),
        ),
        Action(
            "skip_trace",
            "none",
            "失联修复 skip trace",
            Decimal("15"),
            4,
            "skip_trace",
            Reach("call", to="third_party", purpose="locate"),
        ),
        Action(
            "restructure_offer",
            "sms",
            "协商还款方案 restructure offer",
            Decimal("5"),
            2,
            "sms",
            Reach("sms"),
        ),
        Action(
            "legal_letter",
            "letter",
            "律师函 lawyer's letter",
            Decimal("50"),
            6,
            "letter",
            Reach("letter", legal_action=True),
        ),
        Action("agency_placement", "none", "委外 agency placement", Decimal("0"), 6, "agency"),
        Action(
            "field_visit",
            "visit",
            "外访/上门 field visit",
            Decimal("300"),
            7,
            "visit",
            Reach("visit"),
        ),
        Action(
            "litigation",
            "none",
            "诉讼 litigation",
            Decimal("1500"),
            9,
            "legal",
            Reach("letter", legal_action=True),  # the court serves the claim in writing
        ),
        Action("write_off_review", "none", "核销评估 write-off review", Decimal("10"), 5, None),
    )
}
