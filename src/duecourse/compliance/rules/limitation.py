"""When a debt is time-barred (CN-SOL-01, US-TB-01), on one request and over a table.

The period runs from the day after ``limitation_from`` and ends with the same calendar day
``years`` later, so the debt is barred from the next day on (民法典 arts. 188, 201).
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir
from dateutil.relativedelta import relativedelta

from duecourse.compliance import batch_clock as bc
from duecourse.compliance.clock import local_date
from duecourse.compliance.message.checker import codes
from duecourse.compliance.message.codes import Code
from duecourse.compliance.request import Contact, ContactRequest

LEGAL = Code.LEGAL_ACTION_MENTION.value


def period_end(start: date, years: int) -> date:
    return start + relativedelta(years=years)


def barred_since(request: ContactRequest, years: int, zone: str) -> date | None:
    """The last day of the period, when ``request.at`` falls after it; else ``None``."""
    start = request.debtor.limitation_from
    if start is None:
        return None
    end = period_end(start, years)
    return end if local_date(request.at, zone) > end else None


def barred_expr(t: ir.Table, years: int, zone: str) -> ir.BooleanValue:
    end = (t.limitation_from + ibis.interval(years=years)).cast("date")
    return t.limitation_from.notnull() & (bc.local_day(t.at, zone) > end)


def threatens_court(contact: Contact) -> bool:
    """The contact starts or threatens legal action, in what it does or what it says."""
    return contact.legal_action or Code.LEGAL_ACTION_MENTION in codes(contact.text)


def claims_court(t: ir.Table) -> ir.BooleanValue:
    """:func:`threatens_court` over a table of requests."""
    return t.legal_action | t.text_codes.contains(f",{LEGAL},")
