"""A single contact to check, exactly the shape of ``duecourse check-contact`` (DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ChannelName = Literal["call", "sms", "email", "im", "visit", "letter"]
Recipient = Literal["debtor", "guarantor", "third_party", "attorney"]
Purpose = Literal["collect", "locate", "relay", "termination", "remedy_notice"]
By = Literal["inhouse", "agency", "ai"]
OutcomeName = Literal[
    "conversation",
    "unanswered",
    "voicemail",
    "busy",
    "not_connected",
    "delivered",
    "visited",
    "invalid_number",
    "undelivered",
    "not_home",
]


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


@dataclass(frozen=True, slots=True)
class Debtor:
    """What is known about the debtor; windows are ``("HH:MM", "HH:MM")`` in local time."""

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


@dataclass(frozen=True, slots=True)
class ThirdParty:
    """A contact person of the debtor."""

    id: str
    opted_out: bool = False


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
    pack: Literal["cn", "us"] = "cn"
    third_parties: tuple[ThirdParty, ...] = ()
    history: tuple[PastContact, ...] = ()
