"""Shared call counting for the Regulation F frequency presumptions (per person and debt)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from duecourse.compliance.request import ContactRequest, PastContact

NOT_CONNECTED = frozenset({"busy", "not_connected"})


def counted_calls(request: ContactRequest, debt: str, window_days: int) -> list[PastContact]:
    """Calls to the consumer about ``debt`` in the 7-day window that count (US-FREQ-04 out)."""
    since = request.at - timedelta(days=window_days)
    return [
        p
        for p in request.history
        if p.channel == "call"
        and p.to == "debtor"
        and debt in p.debts
        and since < p.at <= request.at
        and p.outcome not in NOT_CONNECTED
        and not (p.consented and p.at >= request.at - timedelta(days=window_days))
    ]


def debts_of(request: ContactRequest) -> Iterable[str]:
    return request.contact.debts or ("*",)


def conversations(history: Iterable[PastContact], debt: str) -> list[datetime]:
    return [
        p.at
        for p in history
        if p.to == "debtor" and p.outcome == "conversation" and (debt in p.debts or debt == "*")
    ]
