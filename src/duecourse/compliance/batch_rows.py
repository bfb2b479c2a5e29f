"""Single requests as rows of the batch guard's tables (for ``check-contact`` files and tests)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from duecourse.compliance.message.checker import codes, has_opt_out
from duecourse.compliance.request import ContactRequest
from duecourse.compliance.rules.cn_ban import text_rules

#: Request fields only the single path reads (their facts never reach the daily run).
SINGLE_ONLY = {
    "contact": (
        "presents_as_lender",
        "device",
        "agency_id",
        "collector_trained_on",
        "at_workplace",
        "validation_end_shown",
    ),
    "debtor": (
        "employer_prohibits",
        "first_communication_at",
        "validation_notice_sent_at",
        "debt_groups",
    ),
}


class NotBatchable(ValueError):
    """A request with more than the batch carries (several zones, personal windows, debts)."""


def _utc(at: datetime) -> datetime:
    return at.astimezone(UTC)


def batchable(request: ContactRequest) -> str | None:
    """Why ``request`` cannot go through the batch guard, or ``None`` when it can."""
    d = request.debtor
    if len(d.timezones) != 1:
        return "the batch carries exactly one time zone"
    if d.inconvenient_windows or d.agreed_windows:
        return "the batch carries no personal time windows"
    if len(request.contact.debts) > 1:
        return "the batch carries at most one debt per contact"
    for part, names in SINGLE_ONLY.items():
        record = getattr(request, part)
        given = [n for n in names if getattr(record, n) not in (None, False, ())]
        if given:
            return f"{part}.{given[0]} is checked one request at a time"
    if request.agencies:
        return "agencies are checked one request at a time"
    return None


def request_row(request_id: str, request: ContactRequest) -> dict[str, Any]:
    """One row of the requests table (``duecourse.compliance.batch.REQUEST_COLUMNS``)."""
    why = batchable(request)
    if why is not None:
        raise NotBatchable(f"{request_id}: {why}")
    c, d, v = request.contact, request.debtor, request.contact.visit
    people = {t.id: t for t in request.third_parties}
    person = people.get(c.third_party_id or "")
    return {
        "request_id": request_id,
        "debtor_id": request_id,
        "at": _utc(request.at),
        "zone": d.timezones[0],
        "channel": c.channel,
        "to": c.to,
        "purpose": c.purpose,
        "by": c.by,
        "number": c.number,
        "debt": c.debts[0] if c.debts else "*",
        "consented": c.consented,
        "discloses_debt": c.discloses_debt,
        "collectors": c.collectors,
        "third_party_id": c.third_party_id,
        "third_party_known": person is not None,
        "third_party_opted_out": person is not None and person.opted_out,
        "number_invalid": d.number_invalid,
        "consecutive_failed_calls": d.consecutive_failed_calls,
        "days_unreachable": d.days_unreachable,
        "deceased": d.deceased,
        "attorney_on_file": d.attorney_on_file,
        "cease_requested": d.cease_requested,
        "dispute_open": d.dispute_open,
        "channel_opted_out": c.channel in d.opted_out_channels,
        "visit_given": v is not None,
        "address_verified": v.address_verified if v else None,
        "notice_sent_at": _utc(v.notice_sent_at) if v and v.notice_sent_at else None,
        "id_and_authorisation": v.id_and_authorisation if v else None,
        "enters_premises": bool(v and v.enters_premises),
        "consent_to_enter": bool(v and v.consent_to_enter),
        "text_rules": "," + "".join(f"{r}," for r in text_rules(c.text)),
        "text_codes": "," + "".join(f"{code.value}," for code in sorted(codes(c.text))),
        "text_opt_out": has_opt_out(c.text),
        "recipients": c.recipients,
        "legal_action": c.legal_action,
        "limitation_from": d.limitation_from,
        "annual_cost_rate": d.annual_cost_rate,
        "days_past_due": d.days_past_due,
        "balance_overdue": d.balance_overdue,
    }


def history_rows(request_id: str, request: ContactRequest) -> Iterable[dict[str, Any]]:
    """The rows of the history table for ``request`` (its debtor is keyed by ``request_id``)."""
    for p in request.history:
        yield {
            "debtor_id": request_id,
            "at": _utc(p.at),
            "channel": p.channel,
            "to": p.to,
            "number": p.number,
            "debts": "," + "".join(f"{d}," for d in p.debts),
            "outcome": p.outcome,
            "consented": p.consented,
            "third_party_id": p.third_party_id,
        }
