"""``check-contact`` JSON ⇄ compliance records (validated with pydantic, errors by field)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import TypeAdapter, ValidationError

from duecourse.compliance.request import ContactRequest
from duecourse.compliance.verdict import Outcome

_REQUEST = TypeAdapter(ContactRequest)


class BadRequest(ValueError):
    """The JSON does not fit the contract; ``problems`` names each field and reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_request(data: Any) -> ContactRequest:
    """Validate a decoded JSON object as a contact request."""
    try:
        request = _REQUEST.validate_python(data)
    except ValidationError as exc:
        raise BadRequest(
            [f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()]
        ) from None
    naive = [name for name, value in _instants(request) if value.tzinfo is None]
    if naive:
        raise BadRequest([f"{name}: needs a UTC offset, e.g. +08:00" for name in naive])
    unknown = [
        f"debtor.timezones.{i}: 未知时区 unknown time zone {zone!r} (an IANA name, e.g. "
        "Asia/Shanghai)"
        for i, zone in enumerate(request.debtor.timezones)
        if not _known_zone(zone)
    ]
    if unknown:
        raise BadRequest(unknown)
    return request


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "Asia" is a folder: OSError
        return False
    return True


def _instants(request: ContactRequest) -> list[tuple[str, datetime]]:
    out = [("at", request.at)]
    out += [(f"history.{i}.at", p.at) for i, p in enumerate(request.history)]
    visit = request.contact.visit
    if visit is not None and visit.notice_sent_at is not None:
        out.append(("contact.visit.notice_sent_at", visit.notice_sent_at))
    debtor = request.debtor
    for name in ("first_communication_at", "validation_notice_sent_at"):
        value = getattr(debtor, name)
        if value is not None:
            out.append((f"debtor.{name}", value))
    return out


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
