"""The one request shape rules read: flat facts about one contact, and the contact history.

``check-contact`` reads a nested :class:`ContactRequest` (DESIGN.md §3); :func:`facts_of` turns
it into these facts, and the daily guard builds the same columns from the store
(``batch/guard_requests.py``). The rule language (``compliance/lang.py``) knows each field's
type and allowed values from :data:`FIELDS` and :data:`PAST_FIELDS`, so a rule file naming an
unknown field or comparing it with a value it cannot take is refused when loaded.

Fields marked *single only* are facts the store does not hold (agencies, workplaces,
validation notices, personal time windows): in the daily run they keep their default, so a
rule that needs them can only fire in ``check-contact``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, get_args

from duecourse.compliance.message.checker import MessageFinding, check_message, has_opt_out
from duecourse.compliance.message.codes import SCAMS, VIOLATIONS
from duecourse.compliance.message.normalise import has_words
from duecourse.compliance.request import (
    By,
    ChannelName,
    ContactRequest,
    OutcomeName,
    Purpose,
    Recipient,
)

FORBIDDEN = VIOLATIONS | SCAMS
#: The id under which a forbidden pattern without a finer id of its own is reported.
TEXT_RULE = "CN-BAN"


@dataclass(frozen=True, slots=True)
class Field:
    """One fact a rule may read.

    Attributes:
        type: ``bool``, ``int``, ``str``, ``date``, ``instant``, ``decimal``, ``set`` (of
            names), ``zones`` (time-zone names), ``windows`` (``HH:MM`` pairs) or ``text``
            (the message checker's findings: rule id → reason).
        values: the names a ``str``/``set`` field can hold (``None``: any text).
        nullable: the fact may be unknown (``null``).
        single_only: the store does not hold it; the daily run sees ``default``.
    """

    type: str
    doc: str
    values: frozenset[str] | None = None
    nullable: bool = False
    single_only: bool = False
    default: Any = None


def _names(vocabulary: Any) -> frozenset[str]:
    """The names a ``Literal`` or a ``StrEnum`` allows."""
    if isinstance(vocabulary, type):
        return frozenset(str(v) for v in vocabulary)  # type: ignore[attr-defined]
    return frozenset(get_args(vocabulary))


CHANNELS, RECIPIENTS, PURPOSES = _names(ChannelName), _names(Recipient), _names(Purpose)
OUTCOMES, BYS = _names(OutcomeName), _names(By)

#: Facts about the contact to check, one column each in the batch.
FIELDS: dict[str, Field] = {
    "at": Field("instant", "the instant of the contact (UTC in the batch)"),
    "home_zone": Field("str", "the debtor's (first) time zone (batch column ``zone``)"),
    "zones": Field("zones", "every candidate time zone of the debtor (the batch: one)"),
    "region": Field("str", "the debtor's province or region, e.g. 广东", nullable=True),
    "channel": Field("str", "the channel", CHANNELS),
    "to": Field("str", "whom the contact reaches", RECIPIENTS),
    "purpose": Field("str", "why", PURPOSES),
    "by": Field("str", "who makes it", BYS),
    "number": Field("str", "the number dialled (E.164)", nullable=True),
    "debt": Field("str", "the debt concerned, '*' for none (one row per debt)"),
    "consented": Field("bool", "made with the person's direct prior consent"),
    "discloses_debt": Field("bool", "the contact discloses the debt"),
    "collectors": Field("int", "collectors present (a visit)"),
    "recipients": Field("int", "people the same message goes to"),
    "legal_action": Field("bool", "the contact starts or threatens legal action"),
    "third_party_id": Field("str", "the contact person reached", nullable=True),
    "third_party_known": Field("bool", "that person is among the debtor's contact persons"),
    "third_party_opted_out": Field("bool", "that person asked not to be contacted"),
    "number_invalid": Field("bool", "the debtor's number is invalid"),
    "consecutive_failed_calls": Field("int", "failed calls to the debtor since last reached"),
    "days_unreachable": Field("int", "days with failed calls since last reached"),
    "deceased": Field("bool", "the debtor died"),
    "attorney_on_file": Field("bool", "an attorney represents the debtor for this debt"),
    "cease_requested": Field("bool", "a written cease request is on file"),
    "dispute_open": Field("bool", "a dispute of the debt is open"),
    "channel_opted_out": Field("bool", "the debtor opted out of this channel"),
    "visit_given": Field("bool", "visit preconditions were given"),
    "address_verified": Field("bool", "the visit address is verified", nullable=True),
    "notice_sent_at": Field("instant", "prior notice of the visit", nullable=True),
    "id_and_authorisation": Field("bool", "visitors carry ID and authorisation", nullable=True),
    "enters_premises": Field("bool", "the visit enters a home or office"),
    "consent_to_enter": Field("bool", "consent to enter was recorded"),
    "text": Field("text", "what the message checker found in the text: rule → reason"),
    "text_codes": Field("set", "every code the message checker found in the text"),
    "text_opt_out": Field("bool", "the text says how to opt out (or there is no text)"),
    "limitation_from": Field("date", "the day the limitation period last started", nullable=True),
    "annual_cost_rate": Field("decimal", "all-in annual cost of credit", nullable=True),
    "days_past_due": Field("int", "days past due", nullable=True),
    "balance_overdue": Field("decimal", "overdue balance", nullable=True),
    # single only: facts the store does not hold
    "presents_as_lender": Field(
        "bool", "an agency presents itself as the lender", None, False, True, False
    ),
    "device": Field(
        "str", "approved or private phone", frozenset({"approved", "private"}), True, True
    ),
    "agency_id": Field("str", "the agency making the contact", None, True, True),
    "agency_known": Field(
        "bool", "the agency is among the request's agencies", None, False, True, False
    ),
    "agency_whitelisted": Field("bool", "on the published white-list", None, False, True, False),
    "agency_agreement_signed": Field(
        "bool", "a written agreement was signed", None, False, True, False
    ),
    "agency_last_evaluated_on": Field("date", "the agency's last evaluation", None, True, True),
    "agency_contract_ends_on": Field("date", "when its contract ends", None, True, True),
    "collector_trained_on": Field("date", "the collector's last training", None, True, True),
    "at_workplace": Field(
        "bool", "the contact reaches the consumer at work", None, False, True, False
    ),
    "employer_prohibits": Field(
        "bool", "the employer forbids contact at work", None, False, True, False
    ),
    "validation_end_shown": Field(
        "date", "end of validation period a notice states", None, True, True
    ),
    "first_communication_at": Field(
        "instant", "first communication about the debt", None, True, True
    ),
    "validation_notice_sent_at": Field(
        "instant", "when the validation notice went out", None, True, True
    ),
    "moratorium": Field(
        "bool", "a debt-respite moratorium (breathing space) is in force", None, False, True, False
    ),
    "agreed_windows": Field("windows", "times the debtor agreed to", None, False, True, ()),
    "inconvenient_windows": Field(
        "windows", "times the consumer named inconvenient", None, False, True, ()
    ),
}
#: Facts about one earlier contact (``past.<name>`` in a rule).
PAST_FIELDS: dict[str, Field] = {
    "at": Field("instant", "when"),
    "channel": Field("str", "the channel (an AI call is a call)", CHANNELS),
    "to": Field("str", "whom it reached", RECIPIENTS),
    "outcome": Field("str", "what happened", OUTCOMES),
    "number": Field("str", "the number used", nullable=True),
    "debts": Field("set", "the debts it concerned"),
    "consented": Field("bool", "made with direct prior consent"),
    "third_party_id": Field("str", "the contact person reached", nullable=True),
}
SINGLE_ONLY = frozenset(n for n, f in FIELDS.items() if f.single_only)
#: Single-only facts a batch table may carry as a column (not windows; not a fact read only
#: through a function without a batch face: ``validation_end_shown``).
SINGLE_SCALARS = frozenset(
    n for n in SINGLE_ONLY if FIELDS[n].type != "windows" and n != "validation_end_shown"
)
#: Columns of the batch (``zones`` is the one ``zone``; ``text`` is encoded, see ``text_column``).
BATCH_FIELDS = tuple(n for n in FIELDS if n not in SINGLE_ONLY and n != "zones")
#: Batch columns named differently from their fact.
COLUMN = {"home_zone": "zone"}

Facts = dict[str, Any]
_TEXT_FACTS = frozenset({"text", "text_codes", "text_opt_out"})


class LazyFacts(dict[str, Any]):
    """Facts whose message-checker facts are found when a rule first reads them (most rules
    never look at the text, and the checker costs more than every other fact together)."""

    __slots__ = ("message",)
    message: str | None

    def __missing__(self, name: str) -> Any:
        if name == "text_opt_out":
            value = self[name] = has_opt_out(self.message)
            return value
        if name not in _TEXT_FACTS:
            raise KeyError(name)
        self.update(text_facts(self.message))
        return self[name]

    def at(self, when: datetime) -> LazyFacts:
        """The same facts at another instant."""
        out = LazyFacts(self)
        out.message = self.message
        out["at"] = when
        return out


def text_findings(found: Iterable[MessageFinding], text: str | None) -> dict[str, str]:
    """What the message checker forbids in ``text``: rule id → reason (findings under one id
    joined with ``; ``, in the checker's order)."""
    out: dict[str, list[str]] = {}
    for f in found:
        if f.code in FORBIDDEN:
            quoted = (text or "")[f.span[0] : f.span[1]]
            out.setdefault(f.rule or TEXT_RULE, []).append(
                f"{f.explanation}: 「{quoted}」 ({f.code.value})"
            )
    return {rule: "; ".join(reasons) for rule, reasons in out.items()}


def text_column(found: dict[str, str]) -> str:
    """``text`` as one batch column: ``\\x1eRULE\\x1fREASON`` per rule, then ``\\x1e``."""
    return "".join(f"\x1e{rule}\x1f{reason}" for rule, reason in found.items()) + "\x1e"


@lru_cache(maxsize=4096)
def text_facts(text: str | None) -> Facts:
    """The three text facts of one message (``None``: no message); kept per text, since a
    plan sends few distinct texts (read only: shared by every request with that text)."""
    if not text or not has_words(text):
        return {"text": {}, "text_codes": frozenset(), "text_opt_out": has_opt_out(text)}
    checked = check_message(text)
    return {
        "text": text_findings(checked.findings, text),
        "text_codes": frozenset(c.value for c in checked.codes),
        "text_opt_out": has_opt_out(text),
    }


def _debt_groups(request: ContactRequest) -> dict[str, frozenset[str]]:
    return {d: frozenset(g) for g in request.debtor.debt_groups for d in g}


def facts_of(request: ContactRequest) -> LazyFacts:
    """The facts of one request (its first debt; see :func:`per_debt`)."""
    c, d, v = request.contact, request.debtor, request.contact.visit
    person = {t.id: t for t in request.third_parties}.get(c.third_party_id or "")
    agency = {a.id: a for a in request.agencies}.get(c.agency_id or "")
    zones = tuple(d.timezones) or ("Asia/Shanghai",)
    debt = c.debts[0] if c.debts else "*"
    facts = LazyFacts(
        at=request.at,
        home_zone=zones[0],
        zones=zones,
        region=d.region,
        channel=c.channel,
        to=c.to,
        purpose=c.purpose,
        by=c.by,
        number=c.number,
        debt=debt,
        debt_group=_debt_groups(request).get(debt, frozenset({debt})),
        consented=c.consented,
        discloses_debt=c.discloses_debt,
        collectors=c.collectors,
        recipients=c.recipients,
        legal_action=c.legal_action,
        third_party_id=c.third_party_id,
        third_party_known=person is not None,
        third_party_opted_out=person is not None and person.opted_out,
        number_invalid=d.number_invalid,
        consecutive_failed_calls=d.consecutive_failed_calls,
        days_unreachable=d.days_unreachable,
        deceased=d.deceased,
        attorney_on_file=d.attorney_on_file,
        cease_requested=d.cease_requested,
        dispute_open=d.dispute_open,
        channel_opted_out=c.channel in d.opted_out_channels,
        visit_given=v is not None,
        address_verified=v.address_verified if v else None,
        notice_sent_at=v.notice_sent_at if v else None,
        id_and_authorisation=v.id_and_authorisation if v else None,
        enters_premises=bool(v and v.enters_premises),
        consent_to_enter=bool(v and v.consent_to_enter),
        limitation_from=d.limitation_from,
        annual_cost_rate=d.annual_cost_rate,
        days_past_due=d.days_past_due,
        balance_overdue=d.balance_overdue,
        presents_as_lender=c.presents_as_lender,
        device=c.device,
        agency_id=c.agency_id if c.by == "agency" else None,
        agency_known=agency is not None,
        agency_whitelisted=bool(agency and agency.whitelisted),
        agency_agreement_signed=bool(agency and agency.agreement_signed),
        agency_last_evaluated_on=agency.last_evaluated_on if agency else None,
        agency_contract_ends_on=agency.contract_ends_on if agency else None,
        collector_trained_on=c.collector_trained_on,
        at_workplace=c.at_workplace,
        employer_prohibits=d.employer_prohibits,
        validation_end_shown=c.validation_end_shown,
        first_communication_at=d.first_communication_at,
        validation_notice_sent_at=d.validation_notice_sent_at,
        moratorium=d.moratorium,
        agreed_windows=tuple(tuple(w) for w in d.agreed_windows),
        inconvenient_windows=tuple(tuple(w) for w in d.inconvenient_windows),
    )
    facts.message = c.text
    return facts


def per_debt(request: ContactRequest, facts: LazyFacts) -> list[LazyFacts]:
    """``facts`` once per debt of the contact, one per group of debts that count as one
    (US-FREQ-05), for rules that judge each debt on its own."""
    groups = _debt_groups(request)
    seen: set[frozenset[str]] = set()
    out = []
    for debt in request.contact.debts or ("*",):
        group = groups.get(debt, frozenset({debt}))
        if group not in seen:
            seen.add(group)
            if debt == facts["debt"]:
                out.append(facts)
            else:
                other = LazyFacts(facts, debt=debt, debt_group=group)
                other.message = facts.message
                out.append(other)
    return out


def history_of(request: ContactRequest) -> tuple[Facts, ...]:
    return tuple(
        {
            "at": p.at,
            "channel": p.channel,
            "to": p.to,
            "outcome": p.outcome,
            "number": p.number,
            "debts": frozenset(p.debts),
            "consented": p.consented,
            "third_party_id": p.third_party_id,
        }
        for p in request.history
    )


def batchable(request: ContactRequest, single_only: bool = False) -> str | None:
    """Why ``request`` cannot be one row of the batch, or ``None`` when it can. With
    ``single_only`` the row may carry the single-only facts that are one value each (a table
    made from ``check-contact`` requests, not from the store)."""
    if len(request.debtor.timezones) != 1:
        return "the batch carries exactly one time zone"
    if len(request.contact.debts) > 1:
        return "the batch carries at most one debt per contact"
    if request.debtor.debt_groups:
        return "the batch counts each debt on its own (no debt groups)"
    facts = facts_of(request)
    for name in sorted(SINGLE_ONLY - (SINGLE_SCALARS if single_only else frozenset())):
        if facts[name] not in (None, False, ()):
            return f"{name} is checked one request at a time"
    return None


def _utc(at: datetime | None) -> datetime | None:
    return at.astimezone(UTC) if at is not None else None


def request_row(
    request_id: str, request: ContactRequest, single_only: bool = False
) -> dict[str, Any]:
    """One row of the batch's requests table; ``debtor_id`` is ``request_id``; with
    ``single_only``, the columns of :data:`SINGLE_SCALARS` too."""
    why = batchable(request, single_only)
    if why is not None:
        raise ValueError(f"{request_id}: {why}")
    facts = facts_of(request)
    names = BATCH_FIELDS + (tuple(sorted(SINGLE_SCALARS)) if single_only else ())
    row = {COLUMN.get(name, name): facts[name] for name in names}
    for name in names:
        if FIELDS[name].type == "instant":
            row[name] = _utc(row[name])
    row |= {
        "request_id": request_id,
        "debtor_id": request_id,
        "at": _utc(request.at),
        "notice_sent_at": _utc(facts["notice_sent_at"]),
        "text": text_column(facts["text"]),
        "text_codes": "," + "".join(f"{c}," for c in sorted(facts["text_codes"])),
    }
    return row


def history_rows(request_id: str, request: ContactRequest) -> Iterable[dict[str, Any]]:
    for p in history_of(request):
        yield p | {
            "debtor_id": request_id,
            "at": _utc(p["at"]),
            "debts": "," + "".join(f"{d}," for d in sorted(p["debts"])),
        }
