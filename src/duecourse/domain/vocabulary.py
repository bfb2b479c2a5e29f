"""The words every layer shares, owned by the domain: verdicts and plan statuses.

Channels, recipients (``Target``) and outcomes and their classes are in
:mod:`duecourse.domain.model`, contact status in :mod:`duecourse.domain.contact`; compliance
and the services import them from here.
"""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """A rule's word on a contact: ``allow``; ``warn`` (a presumption factor); ``review`` (a
    person decides); ``block``."""

    ALLOW = "allow"
    WARN = "warn"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Verdict.ALLOW: 0, Verdict.WARN: 1, Verdict.REVIEW: 2, Verdict.BLOCK: 3}


class PlanStatus(StrEnum):
    """What became of a planned action once the rule pack saw it."""

    PLANNED = "planned"  # allowed or warned: it goes out
    BLOCKED = "blocked"  # blocked, and the block does not lift by itself
    DEFERRED = "deferred"  # blocked until ``next_allowed_at``
    REVIEW = "review"  # a person decides
