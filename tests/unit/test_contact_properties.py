"""Properties of the contact guard over random instants, zones and histories (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.compliance.clock import in_window
from duecourse.compliance.packs import evaluate, load_pack
from duecourse.compliance.request import Contact, ContactRequest, Debtor, PastContact, ThirdParty
from duecourse.compliance.verdict import Verdict

ZONES = [
    "Asia/Shanghai",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Auckland",
    "Asia/Urumqi",
]
CN, US = load_pack("cn"), load_pack("us")
CN_QUIET = (time(22), time(8))
US_QUIET = (time(21), time(8))
instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
zone_sets = st.lists(st.sampled_from(ZONES), min_size=1, max_size=3, unique=True)
channels = st.sampled_from(["call", "sms", "email", "im", "visit"])


def quiet_somewhere(at: datetime, zones, window) -> bool:
    return any(in_window(at.astimezone(ZoneInfo(z)).time(), window) for z in zones)


def never_free(at, zones, window) -> bool:
    """No quarter-hour in the next two days is outside the window in every zone."""
    steps = (at + timedelta(minutes=15 * k) for k in range(2 * 24 * 4))
    return all(quiet_somewhere(s, zones, window) for s in steps)


def request(at, zones, channel="call", **contact) -> ContactRequest:
    fields = {"to": "debtor", **contact}
    return ContactRequest(
        at=at,
        contact=Contact(channel=channel, **fields),
        debtor=Debtor(timezones=tuple(zones)),
        pack="cn",
    )


@settings(max_examples=400, deadline=None)
@given(at=instants, zones=zone_sets, channel=channels)
def test_cn_never_allows_a_contact_in_quiet_hours_in_any_candidate_zone(at, zones, channel):
    req = request(at, zones, channel, collectors=2)
    outcome = evaluate(req, CN)
    checked = ["Asia/Shanghai", *zones]
    if quiet_somewhere(at, checked, CN_QUIET):
        assert outcome.verdict is Verdict.BLOCK and "CN-TIME-01" in outcome.rules
        lift = outcome.next_allowed_at
        if lift is None:
            assert never_free(at, checked, CN_QUIET)
        elif channel == "call":  # no other rule blocks a plain call to the debtor
            assert lift > at
            assert not quiet_somewhere(lift, checked, CN_QUIET)
            assert evaluate(replace(req, at=lift), CN).verdict is Verdict.ALLOW
            assert quiet_somewhere(lift - timedelta(seconds=1), checked, CN_QUIET)
    elif outcome.verdict is Verdict.ALLOW:
        assert not quiet_somewhere(at, checked, CN_QUIET)


@settings(max_examples=400, deadline=None)
@given(at=instants, zones=zone_sets, channel=channels)
def test_us_never_allows_an_inconvenient_time_in_any_candidate_zone(at, zones, channel):
    req = replace(request(at, zones, channel), pack="us")
    outcome = evaluate(req, US)
    if quiet_somewhere(at, zones, US_QUIET):
        assert outcome.verdict is Verdict.BLOCK and "US-TIME-01" in outcome.rules
        lift = outcome.next_allowed_at
        if lift is None:
            assert never_free(at, zones, US_QUIET)
        else:
            assert not quiet_somewhere(lift, zones, US_QUIET)
            assert quiet_somewhere(lift - timedelta(seconds=1), zones, US_QUIET)
    else:
        assert "US-TIME-01" not in outcome.rules


OUTCOMES = ["conversation", "unanswered", "voicemail", "busy", "not_connected"]
NUMBERS = ["13800000001", "13900000002"]


@st.composite
def same_day_history(draw, day: datetime):
    calls = []
    for _ in range(draw(st.integers(0, 14))):
        minutes = draw(st.integers(0, 14 * 60))
        calls.append(
            PastContact(
                at=day + timedelta(hours=8, minutes=minutes),
                channel="call",
                to="debtor",
                outcome=draw(st.sampled_from(OUTCOMES)),
                number=draw(st.sampled_from(NUMBERS)),
                debts=("L1",),
                by=draw(st.sampled_from(["inhouse", "agency", "ai"])),
            )
        )
    return tuple(calls)


BEIJING_DAY = datetime(2025, 6, 5, tzinfo=ZoneInfo("Asia/Shanghai"))


@settings(max_examples=300, deadline=None)
@given(history=same_day_history(BEIJING_DAY), number=st.sampled_from(NUMBERS))
def test_cn_daily_caps_are_never_exceeded(history, number):
    at = BEIJING_DAY + timedelta(hours=21, minutes=59)
    req = replace(request(at, ["Asia/Shanghai"], number=number), history=history)
    if evaluate(req, CN).verdict is not Verdict.ALLOW:
        return
    conversations = sum(p.outcome == "conversation" for p in history)
    connected = sum(p.outcome in {"conversation", "voicemail"} for p in history)
    unanswered = sum(p.outcome != "conversation" for p in history if p.number == number)
    assert conversations < 3 and connected < 3 and unanswered < 6


@st.composite
def week_history(draw, end: datetime):
    calls = []
    for _ in range(draw(st.integers(0, 16))):
        at = end - timedelta(minutes=draw(st.integers(1, 10 * 24 * 60)))
        calls.append(
            PastContact(
                at=at,
                channel="call",
                to="debtor",
                outcome=draw(st.sampled_from(OUTCOMES)),
                number="1",
                debts=draw(st.sampled_from([("L1",), ("L2",), ("L1", "L2")])),
            )
        )
    return tuple(calls)


US_NOON = datetime(2025, 6, 15, 12, tzinfo=ZoneInfo("America/New_York"))


@settings(max_examples=300, deadline=None)
@given(history=week_history(US_NOON), debts=st.sampled_from([("L1",), ("L2",), ("L1", "L2")]))
def test_us_seven_in_seven_is_never_exceeded(history, debts):
    req = ContactRequest(
        at=US_NOON,
        pack="us",
        history=history,
        contact=Contact(channel="call", to="debtor", debts=debts, number="2"),
        debtor=Debtor(timezones=("America/New_York",)),
    )
    if evaluate(req, US).verdict is Verdict.BLOCK:
        return
    week = US_NOON - timedelta(days=7)
    for debt in debts:
        counted = [
            p
            for p in history
            if debt in p.debts and p.at > week and p.outcome not in {"busy", "not_connected"}
        ]
        assert len(counted) < 7
        talks = [p.at for p in history if debt in p.debts and p.outcome == "conversation"]
        assert all(
            US_NOON.date() - t.astimezone(US_NOON.tzinfo).date() >= timedelta(days=7) for t in talks
        )


debtors = st.builds(
    Debtor,
    timezones=st.just(("Asia/Shanghai",)),
    number_invalid=st.booleans(),
    consecutive_failed_calls=st.integers(0, 5),
    days_unreachable=st.integers(0, 5),
    deceased=st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    debtor=debtors,
    purpose=st.sampled_from(["collect", "locate", "relay"]),
    discloses=st.booleans(),
    opted_out=st.booleans(),
    pack=st.sampled_from(["cn", "us"]),
)
def test_third_parties_only_when_lost_and_never_told_about_the_debt(
    debtor, purpose, discloses, opted_out, pack
):
    at = datetime(2025, 6, 5, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    req = ContactRequest(
        at=at,
        pack=pack,
        debtor=debtor,
        third_parties=(ThirdParty("c1", opted_out),),
        contact=Contact(
            channel="call",
            to="third_party",
            third_party_id="c1",
            purpose=purpose,
            discloses_debt=discloses,
        ),
    )
    if evaluate(req, load_pack(pack)).verdict is not Verdict.ALLOW:
        return
    assert not discloses
    if pack == "cn":
        lost = (
            debtor.number_invalid
            or debtor.deceased
            or debtor.consecutive_failed_calls >= 3
            or debtor.days_unreachable >= 3
        )
        assert lost and purpose in {"locate", "relay"} and not opted_out
    else:
        assert purpose == "locate"
