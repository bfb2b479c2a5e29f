"""A borrower's own description of one overdue loan (``duecourse assess``), and its facts.

The borrower gives a handful of facts (DESIGN.md §3); :func:`case_facts` turns them, as they
stand on a simulated day, into the same :class:`~duecourse.domain.facts.AccountFacts` row the
lenders' daily run computes from ledgers, so the reference strategies read it unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from duecourse.domain.contact import ContactStatus, ContactThresholds
from duecourse.domain.facts import FLAG_COLUMNS, AccountFacts, Buckets

LenderTypeName = Literal["bank", "consumer_finance", "small_loan", "online_platform"]
ContactName = Literal["reachable", "unresponsive", "lost"]
CONTACTS: tuple[ContactName, ...] = ("reachable", "unresponsive", "lost")
DEFAULT_HORIZON_DAYS = 30
DEFAULT_SEED = 17


@dataclass(frozen=True, slots=True)
class BorrowerCase:
    """One overdue loan as its borrower describes it.

    Attributes:
        lender_type: ``bank``, ``consumer_finance``, ``small_loan`` or ``online_platform``.
        days_past_due: days since the oldest unpaid instalment fell due (0: not overdue).
        amount_overdue: the overdue amount in yuan.
        contact: ``reachable`` (answers the lender), ``unresponsive`` (some calls unanswered) or
            ``lost`` (失联: cannot be reached at all).
        negotiating: an open promise to pay or an agreed plan with the lender.
        address_verified: the lender holds an address it has verified.
        prior_overdues: earlier overdue episodes on this loan in the last two years.
        horizon_days: how many days ahead the simulation looks.
        seed: the simulation's random seed (a fixed default: the same case gives the same
            answer).
        as_of: the day the case describes (only dated texts depend on it).
    """

    lender_type: LenderTypeName
    days_past_due: int
    amount_overdue: Decimal
    contact: ContactName
    negotiating: bool
    address_verified: bool
    prior_overdues: int
    horizon_days: int = DEFAULT_HORIZON_DAYS
    seed: int = DEFAULT_SEED
    as_of: date | None = None


def months_late(days_past_due: int) -> int:
    """Monthly instalments past due when the oldest fell due ``days_past_due`` days ago (one
    more falls due every 30 days): 1..30 days is 1, 31..60 is 2, and so on."""
    return max(0, math.ceil(days_past_due / 30))


def instalment(case: BorrowerCase) -> Decimal:
    """The amount of one monthly instalment, as the case implies it: the overdue amount over
    the instalments past due (the whole amount when nothing is past due)."""
    return case.amount_overdue / max(months_late(case.days_past_due), 1)


def contact_counts(
    contact: str, thresholds: ContactThresholds | None = None
) -> tuple[int, int, bool]:
    """``(consecutive_failed_calls, days_unreachable, number_invalid)`` that make a debtor's
    contactability ``contact`` under ``domain.contact``'s definition: none for reachable, one
    failed call for unresponsive, the lost thresholds reached for lost."""
    t = thresholds or ContactThresholds()
    status = ContactStatus(contact)
    if status is ContactStatus.REACHABLE:
        return 0, 0, False
    if status is ContactStatus.UNRESPONSIVE:
        return 1, 1, False
    return t.lost_after_failed_calls, t.lost_after_days_unreachable, False


def case_facts(
    case: BorrowerCase,
    as_of: date,
    *,
    days_past_due: int,
    amount_overdue: Decimal,
    contact: str,
    negotiating: bool,
    broken_promises: int,
    buckets: Buckets | None = None,
) -> AccountFacts:
    """The account's facts on ``as_of`` in a simulated future: arrears, contact and negotiation
    as the simulation has them, everything else as the borrower gave it."""
    failed, days, invalid = contact_counts(contact)
    return AccountFacts(
        account_id="assess",
        borrower_id="assess",
        lender="assess",
        lender_type=case.lender_type,
        product="assess",
        region="CN",
        timezone="Asia/Shanghai",
        as_of=as_of,
        days_past_due=days_past_due,
        bucket=(buckets or Buckets()).label(days_past_due),
        amount_overdue=amount_overdue if days_past_due > 0 else Decimal("0"),
        outstanding_principal=amount_overdue,
        accrued_penalty=Decimal("0"),
        prior_overdues=case.prior_overdues,
        contact=contact,
        consecutive_failed_calls=failed,
        days_unreachable=days,
        number_invalid=invalid,
        broken_promises=broken_promises,
        days_since_last_payment=None,
        address_verified=case.address_verified,
        negotiating=negotiating,
        flags=dict.fromkeys(FLAG_COLUMNS, False),
    )


def strategy_row(facts: AccountFacts) -> dict[str, Any]:
    """The facts as the row a strategy reads: every fact column, the flags spread out, and no
    bucket jump (the borrower's account is followed day by day)."""
    row: dict[str, Any] = {
        name: getattr(facts, name) for name in AccountFacts.__dataclass_fields__ if name != "flags"
    }
    row.update(facts.flags)
    row["bucket_jump"] = 0
    return row
