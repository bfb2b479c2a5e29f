"""A single contact to check, exactly the shape of ``duecourse check-contact`` (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from duecourse.domain.model import Outcome, Target

ChannelName = Literal["call", "sms", "email", "im", "visit", "letter"]
#: Whom a contact reaches, and what came of an earlier one: the domain's words.
Recipient = Target
Purpose = Literal["collect", "locate", "relay", "termination", "remedy_notice"]
By = Literal["inhouse", "agency", "ai"]
OutcomeName = Outcome


@dataclass(frozen=True, slots=True)
class Visit:
    """Visit preconditions; ``None`` means the fact was not given (→ review, not allow)."""

    address_verified: bool | None = None
    notice_sent_at: datetime | None = None
    id_and_authorisation: bool | None = None
    enters_premises: bool = False
    consent_to_enter: bool = False


@dataclass(frozen=True, slots=True)
class Contact:
    """The contact to be made.

    Attributes:
        channel: call, sms, email, im, visit or letter.
        to: debtor, guarantor, third_party or attorney.
        purpose: collect, locate, relay, termination or remedy_notice.
        consented: made with the person's direct prior consent.
        by: inhouse, agency or ai.
        recipients: how many people the same message goes to (CN-TGT-05).
        legal_action: the contact starts or threatens legal action — a lawsuit, a lawyer's
            letter (CN-SOL-01, US-TB-01).
        presents_as_lender: an agency presents itself as the lender (CN-ID-01).
        device: ``approved`` or ``private`` phone of the collector, if known (CN-ID-01).
        agency_id: the agency making the contact, when ``by`` is ``agency`` (CN-OUT-01..02).
        collector_trained_on: the collector's last compliance training (CN-OUT-03).
        at_workplace: the contact reaches the consumer at work (US-WORK-01).
        validation_end_shown: for a validation notice, the end of the validation period it
            states (US-VAL-02).
    """

    channel: ChannelName
    to: Recipient
    third_party_id: str | None = None
    number: str | None = None
    debts: tuple[str, ...] = ()
    purpose: Purpose = "collect"
    discloses_debt: bool = False
    collectors: int = 1
    text: str | None = None
    by: By = "inhouse"
    consented: bool = False
    visit: Visit | None = None
    recipients: int = 1
    legal_action: bool = False
    presents_as_lender: bool = False
    device: Literal["approved", "private"] | None = None
    agency_id: str | None = None
    collector_trained_on: date | None = None
    at_workplace: bool = False
    validation_end_shown: date | None = None


@dataclass(frozen=True, slots=True)
class Debtor:
    """What is known about the debtor; windows are ``("HH:MM", "HH:MM")`` in local time.

    Attributes:
        limitation_from: the day the limitation period last (re)started — the due date, a
            payment or an acknowledgement (CN-SOL-01, US-TB-01).
        annual_cost_rate: the debt's all-in annual cost of credit, a fraction (CN-CRIM-01).
        employer_prohibits: the consumer's employer forbids contact at work (US-WORK-01).
        first_communication_at: the collector's first communication about the debt (US-VAL-01).
        validation_notice_sent_at: when the validation notice went out (US-VAL-01..02).
        days_past_due, balance_overdue: the account's arrears, for the lender's visit minimums
            (DC-VIS-PRE ``min_dpd``, ``min_balance``).
        debt_groups: debts that count as one (US-FREQ-05: student loans serviced under one
            account number), e.g. ``[["S1", "S2"]]``.
        region: the debtor's province or region (``广东``), for a lender's regional rules.
    """

    timezones: tuple[str, ...] = ("Asia/Shanghai",)
    number_invalid: bool = False
    consecutive_failed_calls: int = 0
    days_unreachable: int = 0
    deceased: bool = False
    attorney_on_file: bool = False
    cease_requested: bool = False
    dispute_open: bool = False
    inconvenient_windows: tuple[tuple[str, str], ...] = ()
    agreed_windows: tuple[tuple[str, str], ...] = ()
    opted_out_channels: tuple[str, ...] = ()
    moratorium: bool = False
    limitation_from: date | None = None
    annual_cost_rate: Decimal | None = None
    employer_prohibits: bool = False
    first_communication_at: datetime | None = None
    validation_notice_sent_at: datetime | None = None
    days_past_due: int | None = None
    balance_overdue: Decimal | None = None
    debt_groups: tuple[tuple[str, ...], ...] = ()
    region: str | None = None


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """A contact person of the debtor."""

    id: str
    opted_out: bool = False


@dataclass(frozen=True, slots=True)
class Agency:
    """An outside collection agency (委外机构), as the lender's records describe it.

    Attributes:
        whitelisted: on the white-list published on the lender's website (CN-OUT-01).
        agreement_signed: a written agreement was signed before cases were assigned.
        last_evaluated_on: its last conduct, quality and security evaluation (CN-OUT-02).
        contract_ends_on: when its contract expires (CN-OUT-02: evaluate again before then).
    """

    id: str
    whitelisted: bool = False
    agreement_signed: bool = False
    last_evaluated_on: date | None = None
    contract_ends_on: date | None = None


@dataclass(frozen=True, slots=True)
class PastContact:
    """One earlier contact with this debtor's case (any lender of the group, any agency)."""

    at: datetime
    channel: ChannelName
    to: Recipient
    outcome: OutcomeName
    number: str | None = None
    debts: tuple[str, ...] = ()
    consented: bool = False
    by: By = "inhouse"
    third_party_id: str | None = None


@dataclass(frozen=True, slots=True)
class ContactRequest:
    """May we make this contact now? ``at`` is an aware instant."""

    at: datetime
    contact: Contact
    debtor: Debtor = field(default_factory=Debtor)
    pack: str = "cn"
    third_parties: tuple[ThirdParty, ...] = ()
    history: tuple[PastContact, ...] = ()
    agencies: tuple[Agency, ...] = ()
