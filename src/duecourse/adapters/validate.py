"""Cell and row validation for import files: every error is collected, none is raised.

Cells are checked by their field's rules (``adapters/fields.py``): phone numbers become E.164,
identity numbers carry their check digit, amounts have one written form, dates lie within a
plausible window of the import date.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from duecourse.adapters.fields import (
    MAX_WHOLE_DIGITS,
    FieldError,
    amount_units,
    known_zone,
    phone_e164,
    plausible_bounds,
    plausible_date,
    resident_id,
)
from duecourse.adapters.schema import Column, Kind, TableSpec

TRUE = {"true", "1", "yes", "y", "t"}
FALSE = {"false", "0", "no", "n", "f"}


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """The rows of one file that parsed, every error, and every first-column key it named."""

    rows: list[dict[str, Any]]
    row_numbers: list[int]
    errors: list[RowError]
    keys: set[Any]

    @property
    def numbered_rows(self) -> Iterable[tuple[int, dict[str, Any]]]:
        return zip(self.row_numbers, self.rows, strict=True)


@dataclass(frozen=True, slots=True, order=True)
class RowError:
    """One problem in an import file: where it is, and why."""

    file: str
    row: int  # 1-based data row (the header is not counted); 0 for file-level problems
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row else self.file
        return f"{where}, column {self.column!r}: {self.reason}"


#: A cell that cannot be parsed; the message is the reason shown to the user.
CellError = FieldError

#: Date and date-time cells that record something that happened: never after the import date.
EVENTS = {
    ("payments", "paid_at"),
    ("payments", "recorded_at"),
    ("contact_attempts", "at"),
    ("promises", "made_at"),
}
MAX_INT = 10**9
DATE_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATETIME_FORM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)


def _decimal(value: Any, places: int, what: str) -> Decimal:
    """A typed (Parquet) number: finite, non-negative, at most ``places`` places."""
    try:
        number = Decimal(str(value))
        if not number.is_finite():
            raise CellError(f"{value!r} 不是有限数 · is not a finite number")
        if number < 0:
            raise CellError(f"不能为负 · {what} must not be negative, got {number}")
        if number >= 10**MAX_WHOLE_DIGITS:
            raise CellError(f"数值过大 · {what} is too large: {number}")
        if number != number.quantize(Decimal(1).scaleb(-places)):
            raise CellError(
                f"最多 {places} 位小数 · {what} has more than {places} decimal places: {number}"
            )
    except InvalidOperation:
        raise CellError(f"{value!r} 不是数字 · is not a number") from None
    return number


PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?")


def _scaled(places: int, what: str) -> Callable[[Any], int]:
    """Parse a non-negative decimal with at most ``places`` places to an integer of its units.

    Text has one form (``fields.AMOUNT_FORM``); typed Parquet numbers are read as they are.
    """
    scale = 10**places

    def parse(value: Any) -> int:
        if isinstance(value, str):
            if PLAIN_NUMBER.fullmatch(value):
                whole, _, frac = value.partition(".")
                if len(frac) <= places and len(whole) <= MAX_WHOLE_DIGITS:
                    units: int = int(whole) * scale + int(frac.ljust(places, "0"))
                    return units
            return amount_units(value, places, what)  # the other forms, with the reason
        if isinstance(value, bool):
            raise CellError(f"{value!r} 不是数字 · is not a number")
        return int(_decimal(value, places, what).scaleb(places))

    return parse


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", text):
            raise CellError(f"{value!r} 不是整数 · is not a whole number")
        number = int(text)
    if abs(number) >= MAX_INT:
        raise CellError(f"数值过大 · {number} is too large")
    return number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if not DATE_FORM.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise CellError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            if not DATETIME_FORM.fullmatch(text):
                raise ValueError(text)
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise CellError(f"{value!r} is not a date-time (YYYY-MM-DD HH:MM[:SS])") from None
    if parsed.tzinfo is not None:
        raise CellError(f"{value!r} has a UTC offset; give the lender's local time without one")
    return parsed


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(f"{value!r} is not true or false")


def _phones(value: Any) -> str:
    numbers = [p.strip() for p in str(value).split(";") if p.strip()]
    if not numbers:
        raise CellError("no phone number given")
    return ";".join(phone_e164(number) for number in numbers)


def _phone(value: Any) -> str:
    return phone_e164(str(value).strip())


def _id_number(value: Any) -> str:
    return resident_id(str(value))


def _text(value: Any) -> str:
    return str(value).strip()


PARSERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.MONEY: _scaled(2, "an amount"),
    Kind.RATE: _scaled(6, "a rate"),
    Kind.RATIO: _scaled(4, "a ratio"),
    Kind.DATE: _date,
    Kind.DATETIME: _datetime,
    Kind.BOOL: _bool,
    Kind.PHONES: _phones,
    Kind.PHONE: _phone,
    Kind.ID_NUMBER: _id_number,
}


def cell_parser(column: Column) -> Callable[[Any], Any]:
    """A fast parser for one column's cells (the same rules as :func:`parse_cell`)."""
    kind_parser = PARSERS.get(column.kind)
    if kind_parser is None:
        return lambda value: parse_cell(column, value)

    def parse(value: Any) -> Any:
        if value is None or value == "" or (isinstance(value, str) and value.isspace()):
            return parse_cell(column, value)
        return kind_parser(value)

    return parse


def parse_cell(column: Column, value: Any) -> Any:
    """Parse one cell to its store value; ``None`` for an empty optional cell."""
    if value is None or value == "" or (isinstance(value, str) and not value.strip()):
        if column.default is not None:
            value = column.default
        elif column.required:
            raise CellError("a value is required")
        else:
            return None
    if column.kind is Kind.ENUM:
        text = str(value).strip()
        if text not in column.choices:
            raise CellError(f"{text!r} is not one of {', '.join(column.choices)}")
        return text
    return PARSERS[column.kind](value)


#: Checks across cells of one row: (columns named in the error, predicate, reason).
RowCheck = tuple[str, Callable[[Mapping[str, Any]], bool], str]
ROW_CHECKS: dict[str, tuple[RowCheck, ...]] = {
    "borrowers": (
        (
            "timezone",
            lambda r: _known_zone(r["timezone"]),
            "不是 IANA 时区 · is not an IANA time zone (e.g. Asia/Shanghai)",
        ),
    ),
    "loans": (
        ("principal", lambda r: r["principal_cents"] > 0, "principal must be positive"),
        ("term_months", lambda r: r["term_months"] > 0, "term must be at least one month"),
    ),
    "instalments": (("seq", lambda r: r["seq"] >= 1, "seq starts at 1"),),
    "payments": (("amount", lambda r: r["amount_cents"] > 0, "a payment must be positive"),),
    "promises": (
        ("amount", lambda r: r["amount_cents"] > 0, "a promise must be positive"),
        ("due_date", lambda r: r["due_date"] >= r["made_at"].date(), "is before made_at"),
    ),
    "arrangements": (
        ("end_date", lambda r: r["end_date"] >= r["start_date"], "is before start_date"),
    ),
    "flags": (
        (
            "end_date",
            lambda r: r["end_date"] is None or r["end_date"] > r["start_date"],
            "must be after start_date",
        ),
    ),
}


def _known_zone(name: str) -> bool:
    try:
        known_zone(name)
    except FieldError:
        return False
    return True


def _dated(
    parse: Callable[[Any], Any], today: date, event: bool
) -> Callable[[Any], date | datetime | None]:
    """``parse``, then the date's window around ``today`` (``fields.plausible_date``), with the
    bounds computed once: the common case is two comparisons."""
    low, high = plausible_bounds(today, event)

    def check(value: Any) -> date | datetime | None:
        parsed = parse(value)
        if parsed is not None:
            day = parsed.date() if isinstance(parsed, datetime) else parsed
            if not low <= day <= high:
                plausible_date(day, today, event)  # raises with the reason
        return parsed  # type: ignore[no-any-return]

    return check


def validate_rows(
    spec: TableSpec,
    file: str,
    rows: Iterable[Mapping[str, Any]],
    header: Iterable[str],
    today: date | None = None,
) -> ParsedFile:
    """Parse every row of one file; keep the good rows and every error found.

    With ``today`` (the import date), dates must lie within its plausible window.
    ``keys`` also holds the keys of rejected rows, so other files that name them are not
    reported a second time.
    """
    errors: list[RowError] = []
    present = set(header)
    missing = [c.name for c in spec.columns if c.required and c.name not in present]
    known = {c.name for c in spec.columns}
    errors += [RowError(file, 0, name, "required column is missing") for name in missing]
    errors += [
        RowError(file, 0, name, f"unknown column for table {spec.name!r}")
        for name in sorted(present - known)
    ]
    if missing:
        return ParsedFile([], [], errors, set())
    first_key = spec.column(spec.key[0])
    keys: set[Any] = set()
    parsed_rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    seen: dict[tuple[Any, ...], int] = {}
    checks = ROW_CHECKS.get(spec.name, ())
    plan = [(c.name, c.store_name, cell_parser(c)) for c in spec.columns]
    if today is not None:
        plan = [
            (name, store, _dated(parse, today, (spec.name, name) in EVENTS))
            if spec.column(name).kind in (Kind.DATE, Kind.DATETIME)
            else (name, store, parse)
            for name, store, parse in plan
        ]
    key_names = [spec.column(k).store_name for k in spec.key]
    for number, raw in enumerate(rows, start=1):
        with contextlib.suppress(CellError):
            keys.add(parse_cell(first_key, raw.get(first_key.name)))
        out: dict[str, Any] = {}
        ok = True
        for name, store_name, parse in plan:
            try:
                out[store_name] = parse(raw.get(name))
            except CellError as exc:
                errors.append(RowError(file, number, name, str(exc)))
                ok = False
        if not ok:
            continue
        for name, predicate, reason in checks:
            if not predicate(out):
                errors.append(RowError(file, number, name, reason))
                ok = False
        key = tuple(out[k] for k in key_names)
        if key in seen:
            errors.append(
                RowError(
                    file, number, ",".join(spec.key), f"duplicate key, first at row {seen[key]}"
                )
            )
            ok = False
        else:
            seen[key] = number
        if ok:
            parsed_rows.append(out)
            numbers.append(number)
    return ParsedFile(parsed_rows, numbers, errors, keys)
