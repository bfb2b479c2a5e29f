"""Contactability (可联 / 不回应 / 失联) derived from the attempt history.

Only attempts addressed to the debtor and made on or before the as-of date count. Everything
after the debtor was last reached (a conversation or a visit that met them) is "since contact":

* ``consecutive_failed_calls`` — failed calls since contact (unanswered, voicemail, busy, not
  connected, invalid number; AI calls included);
* ``days_unreachable`` — distinct days with a failed call since contact;
* ``number_invalid`` — an attempt since contact found the number invalid.

The debtor is ``lost`` (失联) when the number is invalid, or either count reaches its threshold
(defaults from CN-TGT-02: 3 failed calls, 3 days); ``unresponsive`` when some call failed since
contact; otherwise ``reachable``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from duecourse.domain.model import (
    CALL_CHANNELS,
    FAILED_CALL_OUTCOMES,
    SUCCESS_OUTCOMES,
    ContactAttempt,
    Outcome,
    Target,
)


class ContactStatus(StrEnum):
    """Whether the debtor can be reached."""

    REACHABLE = "reachable"
    UNRESPONSIVE = "unresponsive"
    LOST = "lost"


@dataclass(frozen=True, slots=True)
class ContactThresholds:
    """When a debtor counts as lost. The daily run takes them from its rule pack
    (``compliance.packs.contact_thresholds``: CN-TGT-02's parameters), so the facts and the rule
    share one setting; these defaults serve computations without a pack."""

    lost_after_failed_calls: int = 3
    lost_after_days_unreachable: int = 3


@dataclass(frozen=True, slots=True)
class Contactability:
    """The contact facts of one debtor as of a date."""

    status: ContactStatus
    consecutive_failed_calls: int
    days_unreachable: int
    number_invalid: bool


def derive_contactability(
    attempts: Iterable[ContactAttempt], as_of: date, thresholds: ContactThresholds
) -> Contactability:
    """Derive one debtor's contactability from their attempts (any order)."""
    own = [a for a in attempts if a.target is Target.DEBTOR and a.at.date() <= as_of]
    successes = [a.at for a in own if a.outcome in SUCCESS_OUTCOMES]
    last_success = max(successes) if successes else None
    since = [a for a in own if last_success is None or a.at > last_success]
    failed = [a for a in since if a.channel in CALL_CHANNELS and a.outcome in FAILED_CALL_OUTCOMES]
    failed_calls = len(failed)
    days = len({a.at.date() for a in failed})
    invalid = any(a.outcome is Outcome.INVALID_NUMBER for a in since)
    if (
        invalid
        or failed_calls >= thresholds.lost_after_failed_calls
        or days >= thresholds.lost_after_days_unreachable
    ):
        status = ContactStatus.LOST
    elif failed_calls > 0:
        status = ContactStatus.UNRESPONSIVE
    else:
        status = ContactStatus.REACHABLE
    return Contactability(status, failed_calls, days, invalid)
