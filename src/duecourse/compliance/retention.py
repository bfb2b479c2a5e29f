"""Record keeping (CN-REC-01, US-REC-01): how long collection records must be kept.

These rules judge records, not contacts: ``may_discard`` says whether a record may be deleted
on a given day and, if not, from when. duecourse itself never deletes collection records; an
archiving job asks here first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

from dateutil.relativedelta import relativedelta

from duecourse.compliance.verdict import Finding, Verdict

RecordKind = Literal["collection_record", "call_recording"]


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """Keep each kind of record for ``years`` after the day it counts from.

    Attributes:
        counts_from: ``created`` (the record's own date) or ``last_activity`` (the last
            collection activity on the debt).
    """

    id: str
    title: str
    source: str
    grade: str
    years: Mapping[RecordKind, int]
    counts_from: Mapping[RecordKind, Literal["created", "last_activity"]] = field(
        default_factory=dict
    )


RETENTION: dict[str, RetentionRule] = {
    # CARD art. 68 says at least 2 years, CFC 5 (weakly sourced); the longer one applies.
    "cn": RetentionRule(
        "CN-REC-01",
        "Keep collection records 5 years",
        "信用卡办法 art. 68 (2 years); 消金办法 2024 (5 years, weak)",
        "S",
        {"collection_record": 5, "call_recording": 5},
        {"collection_record": "created", "call_recording": "created"},
    ),
    "us": RetentionRule(
        "US-REC-01",
        "Keep records 3 years after the last activity; recordings 3 years after the call",
        "12 CFR 1006.100",
        "V",
        {"collection_record": 3, "call_recording": 3},
        {"collection_record": "last_activity", "call_recording": "created"},
    ),
}


def keep_until(rule: RetentionRule, kind: RecordKind, created: date, last_activity: date) -> date:
    """The last day the record must still be kept."""
    start = created if rule.counts_from.get(kind, "created") == "created" else last_activity
    return start + relativedelta(years=rule.years[kind])


def may_discard(
    pack: str, kind: RecordKind, created: date, last_activity: date, on: date
) -> Finding:
    """Whether a record may be deleted on ``on``; a block lifts the day after it is due."""
    rule = RETENTION[pack]
    until = keep_until(rule, kind, created, last_activity)
    if on > until:
        return Finding(rule.id, Verdict.ALLOW, f"保存期已满 kept until {until}")
    lift = datetime.combine(until + relativedelta(days=1), time(0))
    return Finding(rule.id, Verdict.BLOCK, f"须保存至 {until} · must be kept until {until}", lift)
