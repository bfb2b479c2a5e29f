"""Field checks by the field's own rules: amounts, phone numbers, identity numbers, windows,
time zones and the plausible date window. Expected values are written out by hand."""

from __future__ import annotations

from datetime import date

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duecourse.adapters.fields import (
    FieldError,
    amount_units,
    clock_minutes,
    known_zone,
    phone_e164,
    plausible_date,
    resident_id,
    time_window,
)
from duecourse.adapters.schema import Column, Kind
from duecourse.adapters.validate import cell_parser


@pytest.mark.parametrize(
    ("text", "places", "units"),
    [
        ("1234", 2, 123400),
        ("1234.5", 2, 123450),
        ("0.05", 2, 5),
        (" 7.10 ", 2, 710),
        ("0.0005", 6, 500),
        ("1.230", 2, 123),
        ("12.", 2, 1200),
    ],
)
def test_the_plain_form_is_read_exactly(text, places, units):
    assert amount_units(text, places, "an amount") == units


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1,234.00", "has a thousands separator"),
        ("1，234", "has a thousands separator"),
        ("１２３", "has full-width characters"),
        ("1e3", "is in exponent notation"),
        ("1.5E+2", "is in exponent notation"),
        ("abc", "is not a number"),
        ("Infinity", "is not a number"),
        ("-5", "must not be negative"),
        ("1.234", "more than 2 decimal places"),
        ("1" * 13, "is too large"),
    ],
)
def test_other_forms_are_refused_with_the_reason(text, reason):
    with pytest.raises(FieldError) as refused:
        amount_units(text, 2, "an amount")
    assert reason in str(refused.value)
    if "number" in reason or "separator" in reason or "full-width" in reason:
        assert "accepted form: ASCII digits" in str(refused.value)


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("13800000001", "+8613800000001"),
        ("138 0000 0001", "+8613800000001"),
        ("+86 138-0000-0001", "+8613800000001"),
        ("010-12345678", "+861012345678"),
        ("(021) 6234 5678", "+862162345678"),
        ("0755 8888 8888", "+8675588888888"),
        ("+1 202 555 0143", "+12025550143"),
    ],
)
def test_chinese_mobile_and_landline_numbers_become_e164(text, e164):
    assert phone_e164(text) == e164


@pytest.mark.parametrize(
    "text", ["not-a-number", "95588", "12345", "1380000000", "15400000001", "", "1" * 300]
)
def test_numbers_libphonenumber_does_not_know_are_refused(text):
    with pytest.raises(FieldError, match="is not a valid phone number"):
        phone_e164(text)


def test_a_us_number_is_read_in_the_us_region():
    assert phone_e164("(202) 555-0143", "US") == "+12025550143"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("420102199001011236", "420102199001011236"),
        ("４２０１０２１９９００１０１１２３６", "420102199001011236"),  # stdnum's compact form
    ],
)
def test_identity_numbers_with_their_check_digit_are_kept(text, stored):
    assert resident_id(text) == stored


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("420102199001011234", "the check digit does not match"),
        ("110105194912310021", "the check digit does not match"),
        ("420102199002301231", "its birth date does not exist"),
        ("110105491231002", "must be 18 characters"),
        ("42010219900101123", "must be 18 characters"),
        ("4201021990010112AX", "must be 18 characters"),
    ],
)
def test_identity_numbers_that_break_gb_11643_are_refused(text, reason):
    with pytest.raises(FieldError) as refused:
        resident_id(text)
    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("pair", "window"),
    [
        (["22:00", "08:00"], ("22:00", "08:00")),
        (["21:00", "24:00"], ("21:00", "00:00")),
        (("00:00", "10:00"), ("00:00", "10:00")),
    ],
)
def test_windows_may_cross_midnight_and_end_at_24(pair, window):
    assert time_window(pair) == window


@pytest.mark.parametrize(
    ("pair", "reason"),
    [
        (["25:00", "09:00"], "'25:00' 不是 00:00–24:00 之间的 HH:MM 时间"),
        (["09:60", "10:00"], "is not a time HH:MM"),
        (["9:00", "10:00"], "is not a time HH:MM"),
        (["24:00", "08:00"], "a window cannot start at 24:00"),
        (["10:00", "10:00"], "start and end are the same time of day"),
        (["00:00", "24:00"], "start and end are the same time of day"),
        (["10:00"], "must be two times [start, end]"),
        ("10:00-11:00", "must be two times [start, end]"),
        ([1000, 1100], "is not a time HH:MM"),
    ],
)
def test_invalid_windows_are_refused(pair, reason):
    with pytest.raises(FieldError) as refused:
        time_window(pair)
    assert reason in str(refused.value)


def test_clock_minutes():
    assert clock_minutes("00:00") == 0
    assert clock_minutes("23:59") == 1439
    assert clock_minutes("24:00") == 1440


@pytest.mark.parametrize(
    "name", ["Asia/Beijing", "asia/shanghai ", "Mars/Base", "", "../etc/passwd", "x" * 1000]
)
def test_unknown_time_zones_are_refused(name):
    with pytest.raises(FieldError, match="is not an IANA time zone"):
        known_zone(name)


def test_asia_beijing_is_pointed_to_asia_shanghai():
    with pytest.raises(FieldError, match="Asia/Shanghai"):
        known_zone("Asia/Beijing")
    assert known_zone("Asia/Shanghai") == "Asia/Shanghai"


TODAY = date(2026, 12, 1)


def test_an_event_may_be_one_day_ahead_and_no_more():
    plausible_date(date(2026, 12, 2), TODAY, event=True)
    with pytest.raises(FieldError, match="is after the import date 2026-12-01"):
        plausible_date(date(2026, 12, 3), TODAY, event=True)


def test_dates_lie_within_fifty_years():
    plausible_date(date(2076, 12, 1), TODAY, event=False)
    plausible_date(date(1976, 12, 1), TODAY, event=False)
    for day in (date(2126, 2, 1), date(2076, 12, 2), date(1976, 11, 30)):
        with pytest.raises(FieldError, match="is not within 50 years of the import date"):
            plausible_date(day, TODAY, event=False)
    plausible_date(date(2074, 2, 28), date(2024, 2, 29), event=False)  # leap day anchor


@settings(max_examples=3000, deadline=None)
@given(number=st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_the_mobile_shortcut_agrees_with_libphonenumbers_full_parse(number):
    try:
        parsed = phonenumbers.parse(number, "CN")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        assert phone_e164(number) == expected
    else:
        with pytest.raises(FieldError):
            phone_e164(number)


MONEY = Column("amount", Kind.MONEY, "Amount.", "1.00")


def _outcome(parse, text):
    try:
        return parse(text)
    except FieldError:
        return "refused"


@settings(max_examples=1000, deadline=None)
@given(text=st.from_regex(r"\A[0-9]{1,15}(\.[0-9]{0,4})?\Z") | st.text(max_size=20))
def test_the_import_fast_path_reads_amounts_as_the_one_form_does(text):
    assert (
        _outcome(cell_parser(MONEY), text)
        == _outcome(lambda t: amount_units(t, 2, "an amount"), text)
        or text.strip() == ""
    )
