"""Shared call counting for the Regulation F frequency presumptions (per person and debt)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from duecourse.compliance.request import ContactRequest, PastContact

NOT_CONNECTED = frozenset({"busy", "not_connected"})


def group_of(request: ContactRequest, debt: str) -> frozenset[str]:
    """US-FREQ-05: the debts that count as one with ``debt`` (itself alone by default)."""
    for group in request.debtor.debt_groups:
        if debt in group:
            return frozenset(group)
    return frozenset({debt})


def counted_calls(request: ContactRequest, debt: str, window_days: int) -> list[PastContact]:
    """Calls to the consumer about ``debt`` (or a debt counted with it, US-FREQ-05) in the
    7-day window that count (US-FREQ-04 out)."""
    since = request.at - timedelta(days=window_days)
    group = group_of(request, debt)
    return [
        p
        for p in request.history
        if p.channel == "call"
        and p.to == "debtor"
        and not group.isdisjoint(p.debts)
        and since < p.at <= request.at
        and p.outcome not in NOT_CONNECTED
        and not (p.consented and p.at >= request.at - timedelta(days=window_days))
    ]


def debts_of(request: ContactRequest) -> Iterable[str]:
    """The contact's debts, one per group of debts that count as one (US-FREQ-05)."""
    seen: set[frozenset[str]] = set()
    out = []
    for debt in request.contact.debts or ("*",):
        group = group_of(request, debt)
        if group not in seen:
            seen.add(group)
            out.append(debt)
    return out


def conversations(request: ContactRequest, debt: str) -> list[datetime]:
    """When the consumer talked about ``debt`` (or a debt counted with it)."""
    group = group_of(request, debt)
    return [
        p.at
        for p in request.history
        if p.to == "debtor"
        and p.outcome == "conversation"
        and (not group.isdisjoint(p.debts) or debt == "*")
    ]
