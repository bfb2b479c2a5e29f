"""The shape every rule has, built-in or from an outside pack.

A rule is a plain function ``check(request, params) -> list[Finding]`` with an id from
``reference/regulation.md``, its source and evidence grade, and its numbers as parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from duecourse.compliance.batch import BatchFace
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.verdict import Finding

Check = Callable[[ContactRequest, Mapping[str, Any]], list[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One machine-checkable rule.

    Attributes:
        grade: evidence grade from the reference: ``V`` (primary text read), ``S`` (secondary),
            ``R`` (recollection; confirm before enforcing).
        params: the rule's numbers and switches, with their defaults.
        batch: the same rule over a table of requests, for the daily guard; ``None`` for a rule
            the batch cannot see (its facts never reach the daily run).
    """

    id: str
    title: str
    source: str
    grade: str
    params: Mapping[str, Any]
    check: Check
    batch: BatchFace | None = None


CALLS = frozenset({"call"})
REAL_TIME = frozenset({"call", "sms", "email", "im", "visit"})
REAL_TIME_LIST = tuple(sorted(REAL_TIME))
