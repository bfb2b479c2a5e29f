"""Store rows ⇄ domain records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select

from duecourse.adapters.schema import STORE_TABLES
from duecourse.domain.model import (
    AccountFlag,
    Actor,
    Address,
    Arrangement,
    ArrangementKind,
    Borrower,
    Channel,
    ContactAttempt,
    FlagKind,
    Instalment,
    LenderType,
    Loan,
    Outcome,
    Payment,
    Portfolio,
    PromiseToPay,
    Target,
    ThirdPartyContact,
)
from duecourse.domain.money import from_cents, to_cents
from duecourse.domain.promises import PromiseTrack

Row = Mapping[Any, Any]


def _scaled(value: int, places: int) -> Decimal:
    return Decimal(value).scaleb(-places)


def borrower(r: Row) -> Borrower:
    return Borrower(
        r["borrower_id"],
        r["name"],
        r["id_number"],
        tuple(r["phones"].split(";")),
        r["region"],
        r["timezone"],
    )


def address(r: Row) -> Address:
    return Address(r["address_id"], r["borrower_id"], r["kind"], r["address"], bool(r["verified"]))


def contact(r: Row) -> ThirdPartyContact:
    return ThirdPartyContact(
        r["contact_id"],
        r["borrower_id"],
        r["name"],
        r["relation"],
        r["phone"],
        bool(r["opted_out"]),
    )


def loan(r: Row) -> Loan:
    return Loan(
        loan_id=r["loan_id"],
        borrower_id=r["borrower_id"],
        lender=r["lender"],
        lender_type=LenderType(r["lender_type"]),
        product=r["product"],
        principal=from_cents(r["principal_cents"]),
        annual_rate=_scaled(r["annual_rate_ppm"], 6),
        term_months=r["term_months"],
        start_date=r["start_date"],
        penalty_daily_rate=_scaled(r["penalty_daily_rate_ppm"], 6),
        penalty_cap_ratio=_scaled(r["penalty_cap_ratio_bp"], 4),
    )


def instalment(r: Row) -> Instalment:
    return Instalment(
        r["loan_id"],
        r["seq"],
        r["due_date"],
        from_cents(r["principal_cents"]),
        from_cents(r["interest_cents"]),
        from_cents(r["fee_cents"]),
    )


def payment(r: Row) -> Payment:
    return Payment(
        r["payment_id"],
        r["loan_id"],
        r["paid_at"],
        from_cents(r["amount_cents"]),
        r["channel"],
        r["recorded_at"],
    )


def attempt(r: Row) -> ContactAttempt:
    return ContactAttempt(
        r["attempt_id"],
        r["borrower_id"],
        r["loan_id"],
        r["at"],
        Channel(r["channel"]),
        Target(r["target"]),
        r["number"],
        Outcome(r["outcome"]),
        Actor(r["by"]),
        r["agent_id"],
    )


def promise(r: Row) -> PromiseToPay:
    return PromiseToPay(
        r["promise_id"], r["loan_id"], r["made_at"], r["due_date"], from_cents(r["amount_cents"])
    )


def arrangement(r: Row) -> Arrangement:
    return Arrangement(
        r["arrangement_id"],
        r["loan_id"],
        ArrangementKind(r["kind"]),
        r["start_date"],
        r["end_date"],
        r["cancelled_on"],
    )


def flag(r: Row) -> AccountFlag:
    return AccountFlag(r["loan_id"], FlagKind(r["flag"]), r["start_date"], r["end_date"], r["note"])


CONVERTERS = {
    "borrowers": borrower,
    "addresses": address,
    "contacts": contact,
    "loans": loan,
    "instalments": instalment,
    "payments": payment,
    "contact_attempts": attempt,
    "promises": promise,
    "arrangements": arrangement,
    "flags": flag,
}
PORTFOLIO_FIELDS = {"contact_attempts": "attempts", "contacts": "contacts"}


def load_portfolio(connection: Connection) -> Portfolio:
    """Read the whole store into domain records (for the reference computation and tests)."""
    parts: dict[str, tuple[Any, ...]] = {}
    for name, convert in CONVERTERS.items():
        rows = connection.execute(select(STORE_TABLES[name])).mappings()
        parts[PORTFOLIO_FIELDS.get(name, name)] = tuple(convert(r) for r in rows)
    return Portfolio(**parts)


def portfolio_rows(portfolio: Portfolio) -> dict[str, list[dict[str, Any]]]:
    """Domain records back to store rows (the inverse of the converters above)."""

    def scaled(value: Decimal, places: int) -> int:
        return int(value.scaleb(places))

    return {
        "borrowers": [
            {
                "borrower_id": b.borrower_id,
                "name": b.name,
                "id_number": b.id_number,
                "phones": ";".join(b.phones),
                "region": b.region,
                "timezone": b.timezone,
            }
            for b in portfolio.borrowers
        ],
        "addresses": [
            {
                "address_id": a.address_id,
                "borrower_id": a.borrower_id,
                "kind": a.kind,
                "address": a.text,
                "verified": a.verified,
            }
            for a in portfolio.addresses
        ],
        "contacts": [
            {
                "contact_id": c.contact_id,
                "borrower_id": c.borrower_id,
                "name": c.name,
                "relation": c.relation,
                "phone": c.phone,
                "opted_out": c.opted_out,
            }
            for c in portfolio.contacts
        ],
        "loans": [
            {
                "loan_id": x.loan_id,
                "borrower_id": x.borrower_id,
                "lender": x.lender,
                "lender_type": x.lender_type.value,
                "product": x.product,
                "principal_cents": to_cents(x.principal),
                "annual_rate_ppm": scaled(x.annual_rate, 6),
                "term_months": x.term_months,
                "start_date": x.start_date,
                "penalty_daily_rate_ppm": scaled(x.penalty_daily_rate, 6),
                "penalty_cap_ratio_bp": scaled(x.penalty_cap_ratio, 4),
            }
            for x in portfolio.loans
        ],
        "instalments": [
            {
                "loan_id": i.loan_id,
                "seq": i.seq,
                "due_date": i.due_date,
                "principal_cents": to_cents(i.principal),
                "interest_cents": to_cents(i.interest),
                "fee_cents": to_cents(i.fee),
            }
            for i in portfolio.instalments
        ],
        "payments": [
            {
                "payment_id": p.payment_id,
                "loan_id": p.loan_id,
                "paid_at": p.paid_at,
                "amount_cents": to_cents(p.amount),
                "channel": p.channel,
                "recorded_at": p.recorded_at,
            }
            for p in portfolio.payments
        ],
        "contact_attempts": [
            {
                "attempt_id": a.attempt_id,
                "borrower_id": a.borrower_id,
                "loan_id": a.loan_id,
                "at": a.at,
                "channel": a.channel.value,
                "target": a.target.value,
                "number": a.number,
                "outcome": a.outcome.value,
                "by": a.by.value,
                "agent_id": a.agent_id,
            }
            for a in portfolio.attempts
        ],
        "promises": [
            {
                "promise_id": p.promise_id,
                "loan_id": p.loan_id,
                "made_at": p.made_at,
                "due_date": p.due_date,
                "amount_cents": to_cents(p.amount),
            }
            for p in portfolio.promises
        ],
        "arrangements": [
            {
                "arrangement_id": a.arrangement_id,
                "loan_id": a.loan_id,
                "kind": a.kind.value,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "cancelled_on": a.cancelled_on,
            }
            for a in portfolio.arrangements
        ],
        "flags": [
            {
                "loan_id": f.loan_id,
                "flag": f.flag.value,
                "start_date": f.start_date,
                "end_date": f.end_date,
                "note": f.note,
            }
            for f in portfolio.flags
        ],
    }


def promise_state_rows(tracks: Iterable[PromiseTrack]) -> list[dict[str, Any]]:
    """Promise tracks as ``promise_states`` store rows (the promise journal)."""
    return [
        {
            "loan_id": t.loan_id,
            "promise_id": t.promise_id,
            "made_on": t.made_on,
            "due_date": t.due_date,
            "judged_on": t.judged_on,
            "amount_cents": to_cents(t.amount),
            "matched_cents": to_cents(t.matched),
            "kept_on": t.kept_on,
        }
        for t in tracks
    ]
