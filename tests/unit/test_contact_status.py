"""Contactability from the attempt history (CN-TGT-02 thresholds by default)."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from duecourse.domain.contact import ContactStatus, ContactThresholds, derive_contactability
from duecourse.domain.model import Channel, Outcome, Target
from tests.builders import attempt

AS_OF = date(2025, 3, 10)
DEFAULT = ContactThresholds()


def status(*attempts, thresholds=DEFAULT):
    return derive_contactability(attempts, AS_OF, thresholds)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour)


def test_no_attempts_means_reachable():
    assert status().status is ContactStatus.REACHABLE


def test_a_failed_call_after_the_last_conversation_is_unresponsive():
    c = status(attempt(at(1), Outcome.CONVERSATION), attempt(at(2), Outcome.UNANSWERED))
    assert (c.status, c.consecutive_failed_calls, c.days_unreachable) == (
        ContactStatus.UNRESPONSIVE,
        1,
        1,
    )


def test_three_consecutive_failed_calls_are_lost():
    calls = [attempt(at(5, h), Outcome.UNANSWERED) for h in (9, 11, 15)]
    c = status(*calls)
    assert (c.status, c.consecutive_failed_calls, c.days_unreachable) == (ContactStatus.LOST, 3, 1)


def test_failed_calls_on_three_days_are_lost_even_with_a_lower_call_threshold_unmet():
    relaxed = ContactThresholds(lost_after_failed_calls=10, lost_after_days_unreachable=3)
    calls = [attempt(at(d), Outcome.BUSY) for d in (3, 4, 6)]
    assert status(*calls, thresholds=relaxed).status is ContactStatus.LOST
    assert status(*calls[:2], thresholds=relaxed).status is ContactStatus.UNRESPONSIVE


def test_an_invalid_number_is_lost_at_once():
    c = status(attempt(at(2), Outcome.INVALID_NUMBER))
    assert (c.status, c.number_invalid) == (ContactStatus.LOST, True)


def test_a_conversation_resets_the_counts():
    calls = [attempt(at(d), Outcome.UNANSWERED) for d in (1, 2, 3)]
    c = status(*calls, attempt(at(4), Outcome.CONVERSATION))
    assert (c.status, c.consecutive_failed_calls) == (ContactStatus.REACHABLE, 0)


def test_sms_and_third_party_attempts_do_not_count_as_failed_debtor_calls():
    c = status(
        attempt(at(1), Outcome.UNDELIVERED, channel=Channel.SMS),
        attempt(at(2), Outcome.UNANSWERED, target=Target.THIRD_PARTY),
    )
    assert c.status is ContactStatus.REACHABLE


def test_attempts_after_the_as_of_date_are_ignored():
    c = status(attempt(datetime(2025, 3, 11, 9), Outcome.INVALID_NUMBER))
    assert c.status is ContactStatus.REACHABLE


def test_ai_calls_count_as_calls():
    calls = [attempt(at(5, h), Outcome.NOT_CONNECTED, channel=Channel.AI_CALL) for h in (9, 10, 11)]
    assert status(*calls).status is ContactStatus.LOST


outcomes = st.sampled_from(list(Outcome))
channels = st.sampled_from(list(Channel))


@given(st.lists(st.tuples(st.integers(1, 10), st.integers(8, 20), outcomes, channels), max_size=12))
def test_lost_exactly_when_a_threshold_is_met(rows):
    attempts = [attempt(at(d, h), o, channel=c, aid=f"T{i}") for i, (d, h, o, c) in enumerate(rows)]
    c = status(*attempts)
    expect_lost = c.number_invalid or c.consecutive_failed_calls >= 3 or c.days_unreachable >= 3
    assert (c.status is ContactStatus.LOST) == expect_lost
    assert c.days_unreachable <= c.consecutive_failed_calls
