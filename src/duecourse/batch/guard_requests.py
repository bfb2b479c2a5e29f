"""The day's planned contacts as guard requests, and the contact history, from the store.

Each planned row whose action reaches someone (:class:`duecourse.strategy.actions.Reach`)
becomes one request at the dispatch instant; the debtor's facts, the first number on file, the
contact person a skip trace would call and the last delivered letter (the official prior notice
of a visit) are joined in. History is what was recorded before dispatch starts, so a rerun
of the day sees the same history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from duecourse.batch.day_values import utc_value, wall_value
from duecourse.compliance import batch_clock as bc
from duecourse.compliance.facts import BATCH_FIELDS, COLUMN, FIELDS, PAST_FIELDS, SINGLE_SCALARS
from duecourse.compliance.templates import Template, text_columns
from duecourse.strategy.actions import ACTIONS, Action

#: The zone of the store's local times unless a lender says otherwise.
LENDER_ZONE = "Asia/Shanghai"


@dataclass(frozen=True, slots=True)
class Dispatch:
    """How the day's contacts go out, as far as the guard needs to know.

    Attributes:
        at: the instant dispatch starts (aware); every request is checked at it.
        lender_zone: the zone of the store's local times (``contact_attempts.at``).
        visit_team: collectors sent on a field visit.
        visit_credentials: visit teams carry their ID and the lender's authorisation letter.
        templates: the message each action sends; its findings travel with the request.
    """

    at: datetime
    lender_zone: str = LENDER_ZONE
    visit_team: int = 2
    visit_credentials: bool = True
    templates: Mapping[str, Template] = field(default_factory=dict)


def reach_table(actions: Mapping[str, Action], templates: Mapping[str, Template]) -> ir.Table:
    """Per action that reaches someone: whom and how, and what its template says."""
    rows = []
    for name, action in actions.items():
        reach = action.reach
        if reach is None:
            continue
        rows.append(
            {
                "action": name,
                "r_channel": reach.channel,
                "to": reach.to,
                "purpose": reach.purpose,
                "by": reach.by,
                "legal_action": reach.legal_action,
                **text_columns(templates.get(name)),
            }
        )
    return _reach_memtable(tuple(tuple(sorted(r.items())) for r in rows))


@lru_cache(maxsize=64)
def _reach_memtable(rows: tuple[tuple[tuple[str, Any], ...], ...]) -> ir.Table:
    """One in-memory table per content: runs of other days build equal expressions."""
    return ibis.memtable(pa.Table.from_pylist([dict(r) for r in rows]))


def _people(t: Mapping[str, ir.Table]) -> ir.Table:
    """Per borrower: the first contact person who has not opted out, and the first of all."""
    c = t["contacts"]
    return c.group_by("borrower_id").aggregate(
        tp_open=c.contact_id.min(where=~c.opted_out),
        tp_any=c.contact_id.min(),
    )


def _notices(t: Mapping[str, ir.Table], dispatch: Dispatch) -> ir.Table:
    a = t["contact_attempts"]
    sent = a.filter((a.channel == "letter") & (a.outcome == "delivered"))
    return sent.group_by("borrower_id").aggregate(
        notice_wall=sent.at.max(where=sent.at < _wall(dispatch))
    )


def _wall(dispatch: Dispatch) -> ir.TimestampValue:
    wall = dispatch.at.astimezone(ZoneInfo(dispatch.lender_zone)).replace(tzinfo=None)
    return wall_value(wall)


def guard_requests(
    plan: ir.Table,
    facts: ir.Table,
    t: Mapping[str, ir.Table],
    dispatch: Dispatch,
    per_action: bool = False,
) -> ir.Table:
    """One request per planned contact (``request_id`` = ``account_id``, or with
    ``per_action`` ``account_id|action``: several candidate actions of one account)."""
    reach = reach_table(ACTIONS, dispatch.templates)
    rows = plan.filter(plan.status == "planned").select("account_id", "action")
    rows = rows.inner_join(reach, "action")
    rows = rows.inner_join(facts, "account_id")
    loans = t["loans"].select(account_id="loan_id", rate_ppm="annual_rate_ppm")
    rows = rows.left_join(loans, "account_id").drop("account_id_right")
    b = t["borrowers"]
    phones = b.select("borrower_id", number=b.phones.split(";")[0])
    r = rows
    for extra in (phones, _people(t), _notices(t, dispatch)):
        r = r.left_join(extra, "borrower_id").drop("borrower_id_right")
    third = r.to == "third_party"
    third_party_id = ibis.ifelse(third, r.tp_open.fill_null(r.tp_any), ibis.null("string"))
    visit = r.r_channel == "visit"
    return r.select(
        request_id=r.account_id.concat("|", r.action) if per_action else r.account_id,
        debtor_id=r.borrower_id,
        at=utc_value(dispatch.at),
        zone=r.timezone,
        region=r.region,
        channel=r.r_channel,
        to=r.to,
        purpose=r.purpose,
        by=r.by,
        number=r.number,
        debt=r.account_id,
        consented=False,
        discloses_debt=False,
        collectors=ibis.ifelse(visit, dispatch.visit_team, 1),
        third_party_id=third_party_id,
        third_party_known=third_party_id.notnull(),
        third_party_opted_out=third & r.tp_open.isnull() & r.tp_any.notnull(),
        number_invalid=r.number_invalid,
        consecutive_failed_calls=r.consecutive_failed_calls,
        days_unreachable=r.days_unreachable,
        deceased=r.flag_deceased,
        attorney_on_file=r.flag_attorney,
        cease_requested=r.flag_cease_request,
        dispute_open=r.flag_dispute,
        channel_opted_out=False,
        visit_given=visit,
        address_verified=ibis.ifelse(visit, r.address_verified, ibis.null("boolean")),
        notice_sent_at=bc.instant(r.notice_wall, dispatch.lender_zone),
        id_and_authorisation=ibis.ifelse(visit, dispatch.visit_credentials, ibis.null("boolean")),
        enters_premises=False,
        consent_to_enter=False,
        text=r.text,
        text_codes=r.text_codes,
        text_opt_out=r.text_opt_out,
        recipients=1,
        legal_action=r.legal_action,
        limitation_from=_limitation_from(r),
        days_past_due=r.days_past_due,
        balance_overdue=r.amount_overdue,
        annual_cost_rate=(r.rate_ppm.cast("decimal(18, 0)") / 1_000_000).cast("decimal(12, 6)"),
    )


def _limitation_from(r: ir.Table) -> ir.DateValue:
    """The later of the oldest unpaid due date and the last payment (a payment acknowledges
    the debt and restarts the period); NULL when nothing is overdue."""
    due = r.as_of - r.days_past_due.as_interval("D")
    paid = r.as_of - r.days_since_last_payment.as_interval("D")
    start = ibis.greatest(due, paid)
    return ibis.ifelse(r.days_past_due > 0, start, ibis.null("date"))


def guard_history(
    t: Mapping[str, ir.Table], dispatch: Dispatch, lookback: timedelta | None
) -> ir.Table:
    """Contact attempts recorded before dispatch (within ``lookback`` when the pack has one)."""
    a = t["contact_attempts"]
    until = _wall(dispatch)
    a = a.filter(a.at < until)
    if lookback is not None:
        a = a.filter(a.at >= until - ibis.interval(seconds=int(lookback.total_seconds())))
    return a.select(
        debtor_id=a.borrower_id,
        at=bc.instant(a.at, dispatch.lender_zone),
        channel=ibis.ifelse(a.channel == "ai_call", "call", a.channel),
        to=a.target,
        number=a.number,
        debts=ibis.literal(",").concat(a.loan_id.fill_null(""), ","),
        outcome=a.outcome,
        consented=False,
        third_party_id=ibis.null("string"),
    )


#: The Arrow types of the facts (``compliance/facts.py``) as batch columns.
_ARROW = {
    "bool": pa.bool_(),
    "int": pa.int64(),
    "str": pa.string(),
    "date": pa.date32(),
    "instant": pa.timestamp("us", tz="UTC"),
    "set": pa.string(),
    "text": pa.string(),
}
_DECIMALS = {"annual_cost_rate": pa.decimal128(12, 6), "balance_overdue": pa.decimal128(18, 2)}
REQUEST_SCHEMA = pa.schema(
    [("request_id", pa.string()), ("debtor_id", pa.string())]
    + [(COLUMN.get(n, n), _DECIMALS.get(n) or _ARROW[FIELDS[n].type]) for n in BATCH_FIELDS]
)
#: The requests table of ``check-contact`` requests, single-only facts included.
FULL_REQUEST_SCHEMA = pa.schema(
    list(REQUEST_SCHEMA) + [(n, _ARROW[FIELDS[n].type]) for n in sorted(SINGLE_SCALARS)]
)
HISTORY_SCHEMA = pa.schema(
    [("debtor_id", pa.string())] + [(n, _ARROW[f.type]) for n, f in PAST_FIELDS.items()]
)
