"""``check-contact`` JSON ⇄ compliance records (validated with pydantic, errors by field)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, get_args

from pydantic import TypeAdapter, ValidationError

from duecourse.adapters.fields import (
    FieldError,
    field_path,
    known_zone,
    phone_e164,
    plausible_date,
    time_window,
)
from duecourse.compliance.packs import PACK_NAMES
from duecourse.compliance.request import (
    Agency,
    ChannelName,
    Contact,
    ContactRequest,
    Debtor,
    PastContact,
    ThirdParty,
    Visit,
)
from duecourse.compliance.verdict import Outcome

_REQUEST = TypeAdapter(ContactRequest)
#: The country a national phone number is read in, by pack.
_REGIONS = {"cn": "CN", "us": "US", "uk": "GB"}

#: The objects of a request and the record each one is read into (unknown keys are refused).
_RECORDS: dict[str, type] = {
    "": ContactRequest,
    "contact": Contact,
    "contact.visit": Visit,
    "debtor": Debtor,
    "third_parties.*": ThirdParty,
    "history.*": PastContact,
    "agencies.*": Agency,
}
#: Pydantic's error types, in Chinese (the English message follows).
_ZH = {
    "missing": "缺少必填字段",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "literal_error": "不是允许的取值",
    "enum": "不是允许的取值",
    "datetime_type": "应为日期时间",
    "datetime_parsing": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "date_type": "应为日期",
    "date_parsing": "应为日期",
    "date_from_datetime_parsing": "应为日期",
    "date_from_datetime_inexact": "应为日期",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "dataclass_type": "应为对象",
    "dataclass_exact_type": "应为对象",
    "dict_type": "应为对象",
    "too_short": "元素太少",
    "too_long": "元素太多",
    "finite_number": "应为有限数",
}


class BadRequest(ValueError):
    """The JSON does not fit the contract; ``problems`` names each field and reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _Object(dict[str, Any]):
    """A decoded JSON object that remembers the keys it was given twice."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        out.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
    return out


def load_request(text: str, today: date | None = None) -> ContactRequest:
    """Decode and validate a request: every problem is listed at once, by field path.

    Raises :class:`json.JSONDecodeError` for text that is not JSON, :class:`BadRequest` for
    JSON that is not a valid request (duplicate keys included).
    """
    try:
        data = json.loads(text, object_pairs_hook=_object)
    except RecursionError:
        raise BadRequest(["(top): 嵌套过深 · nested too deeply"]) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise BadRequest([f"(top): 数字过长 · a number is too long: {exc}"]) from None
    duplicates = [
        f"{_path(path, key)}: 键重复 · duplicate key {key!r}"
        for path, value in _walk(data)
        if isinstance(value, _Object)
        for key in value.duplicates
    ]
    if duplicates:
        raise BadRequest(duplicates)
    return parse_request(data, today)


def parse_request(data: Any, today: date | None = None) -> ContactRequest:
    """Validate a decoded JSON object as a contact request; :class:`BadRequest` lists every
    problem: wrong types and unknown keys, negative counts, unknown time zones, invalid time
    windows and phone numbers, instants without a UTC offset or far from ``at``."""
    problems = _unknown_keys(data)
    try:
        request: ContactRequest | None = _REQUEST.validate_python(data)
    except ValidationError as exc:
        request = None
        problems += [_pydantic_problem(e) for e in exc.errors()]
    pack = data.get("pack") if isinstance(data, dict) else None
    region = _REGIONS.get(pack, "CN") if isinstance(pack, str) else "CN"
    flagged = [p.split(":", 1)[0] for p in problems]
    for path, check in _value_checks(data, region, today or date.today()):
        if any(_within(path, f) or _within(f, path) for f in flagged):
            continue  # already reported, or inside a value already reported
        try:
            check()
        except FieldError as exc:
            problems.append(f"{path}: {exc}")
    if problems:
        raise BadRequest(problems)
    assert request is not None
    return _normalised(request, region)


def _within(path: str, outer: str) -> bool:
    return path == outer or path.startswith((f"{outer}.", f"{outer}["))


def _pydantic_problem(error: Any) -> str:
    path = field_path(error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    zh = _ZH.get(str(error["type"]), "取值无效")
    return f"{path}: {zh} · {message}"


def _path(path: str, key: object) -> str:
    tail = field_path([key])
    return path + tail if path and tail.startswith("[") else f"{path}.{tail}" if path else tail


def _walk(data: Any) -> Iterator[tuple[str, Any]]:
    """Every value of a decoded JSON document with its path, depth first, without recursion."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack += [(_path(path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [(_path(path, i), v) for i, v in enumerate(value)]


def _at(data: Any, pattern: str) -> Iterator[tuple[str, Any]]:
    """The values at ``pattern`` (``debtor.timezones.*``), with their paths."""
    found: list[tuple[str, Any]] = [("", data)]
    for part in pattern.split(".") if pattern else []:
        step: list[tuple[str, Any]] = []
        for path, value in found:
            if part == "*" and isinstance(value, list):
                step += [(_path(path, i), v) for i, v in enumerate(value)]
            elif isinstance(value, dict) and part in value:
                step.append((_path(path, part), value[part]))
        found = step
    yield from found


def _unknown_keys(data: Any) -> list[str]:
    problems = []
    for pattern, record in _RECORDS.items():
        known = {f.name for f in fields(record)}
        for path, value in _at(data, pattern):
            if isinstance(value, dict):
                problems += [
                    f"{_path(path, key)}: 未知字段 · unknown field"
                    for key in value
                    if key not in known
                ]
    return problems


COUNTS = (
    "contact.collectors",
    "contact.recipients",
    "debtor.consecutive_failed_calls",
    "debtor.days_unreachable",
    "debtor.days_past_due",
)
AMOUNTS = ("debtor.annual_cost_rate", "debtor.balance_overdue")
CHANNELS = frozenset(get_args(ChannelName))
INSTANTS = (
    "at",
    "history.*.at",
    "contact.visit.notice_sent_at",
    "debtor.first_communication_at",
    "debtor.validation_notice_sent_at",
)
DATES = (
    "contact.collector_trained_on",
    "contact.validation_end_shown",
    "debtor.limitation_from",
    "agencies.*.last_evaluated_on",
    "agencies.*.contract_ends_on",
)
_DATETIME: TypeAdapter[datetime] = TypeAdapter(datetime)
_DATE: TypeAdapter[date] = TypeAdapter(date)


def _value_checks(
    data: Any, region: str, today: date
) -> Iterator[tuple[str, Callable[[], object]]]:
    """Each value the request's types let through but its field's rules do not: ``at`` lies
    within 50 years of ``today``, every other date within 50 years of ``at``."""
    for path, value in _at(data, "pack"):
        yield path, partial(_pack, value)
    for pattern in COUNTS:
        yield from ((path, partial(_count, v)) for path, v in _at(data, pattern))
    for pattern in AMOUNTS:
        yield from ((path, partial(_amount, v)) for path, v in _at(data, pattern))
    for path, value in _at(data, "debtor.timezones.*"):
        yield path, partial(_zone, value)
    for name in ("inconvenient_windows", "agreed_windows"):
        yield from ((path, partial(time_window, v)) for path, v in _at(data, f"debtor.{name}.*"))
    for path, value in _at(data, "debtor.opted_out_channels.*"):
        yield path, partial(_channel, value)
    for pattern in ("contact.number", "history.*.number"):
        yield from ((path, partial(_phone, v, region)) for path, v in _at(data, pattern))
    at = _parsed(_DATETIME, data.get("at")) if isinstance(data, dict) else None
    anchor = at.date() if at is not None and at.tzinfo is not None else today
    for pattern in INSTANTS:
        for path, value in _at(data, pattern):
            yield path, partial(_instant, value, today if path == "at" else anchor, path)
    for pattern in DATES:
        yield from ((path, partial(_day, v, anchor, path)) for path, v in _at(data, pattern))


def _pack(value: Any) -> None:
    if isinstance(value, str) and value not in PACK_NAMES:
        raise FieldError(f"未知规则包 · unknown pack {value!r}; known: {', '.join(PACK_NAMES)}")


def _zone(value: Any) -> None:
    if isinstance(value, str):
        known_zone(value)


def _phone(value: Any, region: str) -> None:
    if isinstance(value, str):
        _e164(value, region)


def _e164(number: str, region: str) -> str:
    """E.164 of a number read as one of the pack's country, else as a Chinese number."""
    try:
        return phone_e164(number, region)
    except FieldError:
        if region == "CN":
            raise
        return phone_e164(number, "CN")


def _count(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise FieldError(f"不能为负 · must not be negative, got {value}")


def _amount(value: Any) -> None:
    if isinstance(value, bool) or value is None:
        return
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return  # the type check reports it
    if not number.is_finite() or number < 0:
        raise FieldError(f"应为非负有限数 · must be a finite number, not negative: {value}")


def _channel(value: Any) -> None:
    if isinstance(value, str) and value not in CHANNELS:
        raise FieldError(f"{value!r} 不是渠道 · is not a channel ({', '.join(sorted(CHANNELS))})")


def _instant(value: Any, anchor: date, name: str) -> None:
    """An instant with a UTC offset, within 50 years of ``anchor``."""
    parsed = _parsed(_DATETIME, value)
    if parsed is None:
        return
    if parsed.tzinfo is None:
        raise FieldError("需要时区偏移 · needs a UTC offset, e.g. +08:00")
    _near(parsed.date(), anchor, name)


def _day(value: Any, anchor: date, name: str) -> None:
    parsed = _parsed(_DATE, value)
    if parsed is not None:
        _near(parsed, anchor, name)


def _near(day: date, anchor: date, name: str) -> None:
    plausible_date(day, anchor, False, ("今天", "today") if name == "at" else (" at ", "at"))


def _parsed(adapter: TypeAdapter[Any], value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None  # the request's type check reports it


def _normalised(request: ContactRequest, region: str) -> ContactRequest:
    """Phone numbers in E.164 form and windows ending at ``24:00`` as ``00:00``, as stored."""
    contact, debtor = request.contact, request.debtor

    def e164(number: str | None) -> str | None:
        return None if number is None else _e164(number, region)

    return replace(
        request,
        contact=replace(contact, number=e164(contact.number)),
        debtor=replace(
            debtor,
            inconvenient_windows=tuple(time_window(w) for w in debtor.inconvenient_windows),
            agreed_windows=tuple(time_window(w) for w in debtor.agreed_windows),
        ),
        history=tuple(replace(p, number=e164(p.number)) for p in request.history),
    )


def outcome_json(outcome: Outcome, pack: str) -> dict[str, Any]:
    """The ``check-contact`` output: the fixed fields first, then the detail."""
    return {
        "verdict": outcome.verdict.value,
        "rules": list(outcome.rules),
        "reasons": list(outcome.reasons),
        "next_allowed_at": outcome.next_allowed_at.isoformat() if outcome.next_allowed_at else None,
        "pack": pack,
        "findings": [
            {
                "rule": f.rule,
                "verdict": f.verdict.value,
                "reason": f.reason,
                "next_allowed_at": f.next_allowed_at.isoformat() if f.next_allowed_at else None,
            }
            for f in outcome.findings
        ],
    }
