"""The lending records duecourse reads. Frozen, typed, money in ``Decimal`` yuan.

Each field's meaning is written once, here; ``docs/data-model.md`` documents the file columns
that carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class LenderType(StrEnum):
    """Kind of institution; the seeds show that it shapes how hard collection escalates."""

    BANK = "bank"
    CONSUMER_FINANCE = "consumer_finance"
    SMALL_LOAN = "small_loan"
    ONLINE_PLATFORM = "online_platform"


class Channel(StrEnum):
    """How a contact attempt was made."""

    CALL = "call"
    AI_CALL = "ai_call"
    SMS = "sms"
    EMAIL = "email"
    IM = "im"
    LETTER = "letter"
    VISIT = "visit"


class Target(StrEnum):
    """Whom an attempt addressed."""

    DEBTOR = "debtor"
    GUARANTOR = "guarantor"
    THIRD_PARTY = "third_party"
    ATTORNEY = "attorney"


class Outcome(StrEnum):
    """Result of a contact attempt."""

    CONVERSATION = "conversation"
    UNANSWERED = "unanswered"
    VOICEMAIL = "voicemail"
    BUSY = "busy"
    NOT_CONNECTED = "not_connected"
    INVALID_NUMBER = "invalid_number"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    VISITED = "visited"
    NOT_HOME = "not_home"


#: Outcomes in which the debtor was actually reached.
SUCCESS_OUTCOMES = frozenset({Outcome.CONVERSATION, Outcome.VISITED})
#: Outcomes of a call nobody answered (CN-FREQ-03; CN-TGT-02's failed call today).
UNANSWERED_OUTCOMES = frozenset(
    {Outcome.UNANSWERED, Outcome.VOICEMAIL, Outcome.BUSY, Outcome.NOT_CONNECTED}
)
#: Outcomes of a call that count as a failed call since the debtor was last reached.
FAILED_CALL_OUTCOMES = UNANSWERED_OUTCOMES | {Outcome.INVALID_NUMBER}
#: Outcomes of a call that connected (拨通, CN-FREQ-02).
CONNECTED_OUTCOMES = frozenset({Outcome.CONVERSATION, Outcome.VOICEMAIL})
#: Outcomes of a call that did not connect to the dialled number (US-FREQ-04).
NOT_CONNECTED_OUTCOMES = frozenset({Outcome.BUSY, Outcome.NOT_CONNECTED})
#: Channels that are voice calls.
CALL_CHANNELS = frozenset({Channel.CALL, Channel.AI_CALL})
#: Channels that reach a person at the moment they are used (quiet hours apply).
REAL_TIME_CHANNELS = frozenset(
    {Channel.CALL, Channel.AI_CALL, Channel.SMS, Channel.EMAIL, Channel.IM, Channel.VISIT}
)


class Actor(StrEnum):
    """Who made an attempt."""

    INHOUSE = "inhouse"
    AGENCY = "agency"
    AI = "ai"


class FlagKind(StrEnum):
    """Account conditions that change what collectors may do."""

    DISPUTE = "dispute"
    COMPLAINT = "complaint"
    HARDSHIP = "hardship"
    DECEASED = "deceased"
    ATTORNEY = "attorney"
    CEASE_REQUEST = "cease_request"
    LITIGATION = "litigation"
    AGENCY_PLACEMENT = "agency_placement"


class ArrangementKind(StrEnum):
    """A negotiated repayment arrangement (分期还款, 延期/缓还, 分期重组)."""

    INSTALMENT_PLAN = "instalment_plan"
    DEFERRAL = "deferral"
    RESTRUCTURE = "restructure"


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address of a borrower.

    Attributes:
        address_id: unique id.
        borrower_id: owner.
        kind: ``home``, ``work`` or ``registered`` (户籍地).
        text: the address as written.
        verified: the lender has confirmed the borrower can be found there (a visit precondition).
    """

    address_id: str
    borrower_id: str
    kind: str
    text: str
    verified: bool


@dataclass(frozen=True, slots=True)
class ThirdPartyContact:
    """An emergency contact, relative, colleague or guarantor named by the borrower.

    Attributes:
        opted_out: the person asked not to be contacted again (CN-TGT-04).
    """

    contact_id: str
    borrower_id: str
    name: str
    relation: str
    phone: str
    opted_out: bool


@dataclass(frozen=True, slots=True)
class Borrower:
    """A person who owes money.

    Attributes:
        id_number: national ID number (身份证号); masked for roles that do not need it.
        phones: the borrower's own numbers, most recent first.
        region: province or municipality, in Chinese (e.g. ``湖北``).
        timezone: IANA zone used for quiet hours; ``Asia/Shanghai`` for mainland China.
    """

    borrower_id: str
    name: str
    id_number: str
    phones: tuple[str, ...]
    region: str
    timezone: str


@dataclass(frozen=True, slots=True)
class Loan:
    """One credit agreement; duecourse calls it an account.

    Attributes:
        annual_rate: contractual annual interest rate as a fraction (0.18 = 18 %).
        term_months: number of monthly instalments.
        penalty_daily_rate: penalty interest per day on overdue principal (0.0005 = 0.05 %/day).
        penalty_cap_ratio: total penalty may not exceed this fraction of ``principal``.
    """

    loan_id: str
    borrower_id: str
    lender: str
    lender_type: LenderType
    product: str
    principal: Decimal
    annual_rate: Decimal
    term_months: int
    start_date: date
    penalty_daily_rate: Decimal
    penalty_cap_ratio: Decimal


@dataclass(frozen=True, slots=True)
class Instalment:
    """One scheduled repayment. It is due at the end of ``due_date`` (paying that day is on time).

    Attributes:
        seq: 1-based position in the schedule; allocation pays lower ``seq`` first.
    """

    loan_id: str
    seq: int
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal

    @property
    def contractual(self) -> Decimal:
        """Fee, interest and principal: what makes the instalment settled."""
        return self.principal + self.interest + self.fee


@dataclass(frozen=True, slots=True)
class Payment:
    """Money received on an account.

    Attributes:
        paid_at: value time (local time of the lender). A backdated entry carries its true value
            time here and a later ``recorded_at``; facts are effective-dated by ``paid_at``.
        recorded_at: when the entry reached the system, if known.
    """

    payment_id: str
    loan_id: str
    paid_at: datetime
    amount: Decimal
    channel: str
    recorded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactAttempt:
    """One collection contact attempt (call, SMS, visit ...).

    Attributes:
        loan_id: the account collected on, when the attempt concerned one.
        number: the phone number dialled or messaged, if any.
        by: who made it: in-house team, outside agency (委外) or an AI agent.
    """

    attempt_id: str
    borrower_id: str
    loan_id: str | None
    at: datetime
    channel: Channel
    target: Target
    number: str | None
    outcome: Outcome
    by: Actor
    agent_id: str | None = None


@dataclass(frozen=True, slots=True)
class PromiseToPay:
    """A borrower's promise to pay ``amount`` by the end of ``due_date``.

    It is kept when payments valued from the day it was made up to ``due_date`` reach ``amount``.
    """

    promise_id: str
    loan_id: str
    made_at: datetime
    due_date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Arrangement:
    """A negotiated repayment arrangement, active from ``start_date`` to ``end_date`` inclusive.

    Attributes:
        cancelled_on: the day it stopped applying early (broken or withdrawn), if it did.
    """

    arrangement_id: str
    loan_id: str
    kind: ArrangementKind
    start_date: date
    end_date: date
    cancelled_on: date | None = None


@dataclass(frozen=True, slots=True)
class AccountFlag:
    """A condition on an account from ``start_date`` until (not including) ``end_date``.

    Attributes:
        note: free text, e.g. the agency an account is placed with.
    """

    loan_id: str
    flag: FlagKind
    start_date: date
    end_date: date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Portfolio:
    """Every record of a lender's book, as plain tuples (the reference computation's input)."""

    borrowers: tuple[Borrower, ...] = ()
    addresses: tuple[Address, ...] = ()
    contacts: tuple[ThirdPartyContact, ...] = ()
    loans: tuple[Loan, ...] = ()
    instalments: tuple[Instalment, ...] = ()
    payments: tuple[Payment, ...] = ()
    attempts: tuple[ContactAttempt, ...] = ()
    promises: tuple[PromiseToPay, ...] = ()
    arrangements: tuple[Arrangement, ...] = ()
    flags: tuple[AccountFlag, ...] = field(default=())
