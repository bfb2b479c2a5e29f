"""Shared counting for the CN daily frequency caps (key: debtor and Beijing date)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from duecourse.compliance.clock import local_date, next_local_midnight
from duecourse.compliance.request import ContactRequest, PastContact
from duecourse.compliance.verdict import Finding, Verdict


def daily_cap(
    request: ContactRequest,
    rule_id: str,
    zone: str,
    limit: int,
    counts: Callable[[PastContact], bool],
    what: tuple[str, str],
) -> list[Finding]:
    """Block a call to the debtor once ``limit`` counted contacts happened on the same day."""
    contact = request.contact
    if contact.channel != "call" or contact.to != "debtor":
        return []
    today = local_date(request.at, zone)
    done = sum(1 for p in _same_day(request.history, today, zone) if counts(p))
    if done < limit:
        return []
    return [
        Finding(
            rule_id,
            Verdict.BLOCK,
            f"今日{what[0]} {done} 次，上限 {limit} · {done} {what[1]} today, limit {limit}",
            next_local_midnight(request.at, zone),
        )
    ]


def _same_day(history: Iterable[PastContact], day: object, zone: str) -> list[PastContact]:
    return [p for p in history if p.to == "debtor" and local_date(p.at, zone) == day]
