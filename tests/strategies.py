"""Hypothesis strategies: random but valid portfolios, small enough to check one by one."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import strategies as st

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
)

START = date(2025, 1, 1)


def cents(low: int = 0, high: int = 200_000) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda c: Decimal(c).scaleb(-2))


def day(span: int = 300) -> st.SearchStrategy[date]:
    return st.integers(0, span).map(lambda d: START + timedelta(days=d))


def moment(span: int = 300) -> st.SearchStrategy[datetime]:
    return st.tuples(day(span), st.integers(0, 23), st.integers(0, 59)).map(
        lambda t: datetime.combine(t[0], time(t[1], t[2]))
    )


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    borrowers, addresses, loans, instalments, payments = [], [], [], [], []
    attempts, promises, arrangements, flags = [], [], [], []
    for b in range(draw(st.integers(1, 3))):
        bid = f"B{b}"
        borrowers.append(Borrower(bid, "王芳", "1" * 18, ("13800000001",), "湖北", "Asia/Shanghai"))
        for a in range(draw(st.integers(0, 2))):
            addresses.append(Address(f"A{b}{a}", bid, "home", "某路", draw(st.booleans())))
        for t in range(draw(st.integers(0, 8))):
            attempts.append(
                ContactAttempt(
                    f"T{b}-{t}",
                    bid,
                    None,
                    draw(moment()),
                    draw(st.sampled_from(list(Channel))),
                    draw(st.sampled_from(list(Target))),
                    "13800000001",
                    draw(st.sampled_from(list(Outcome))),
                    draw(st.sampled_from(list(Actor))),
                )
            )
        for n in range(draw(st.integers(1, 2))):
            lid = f"L{b}{n}"
            principal = Decimal(0)
            first = draw(day(120))
            count = draw(st.integers(1, 5))
            for k in range(count):
                p = draw(cents(1, 100_000))
                principal += p
                instalments.append(
                    Instalment(
                        lid,
                        k + 1,
                        first + timedelta(days=30 * k),
                        p,
                        draw(cents(0, 5_000)),
                        draw(cents(0, 500)),
                    )
                )
            rate = Decimal(draw(st.integers(0, 5_000))).scaleb(-6)
            cap = Decimal(draw(st.integers(0, 3_000))).scaleb(-4)
            loans.append(
                Loan(
                    lid,
                    bid,
                    "某贷",
                    draw(st.sampled_from(list(LenderType))),
                    "cash",
                    principal,
                    Decimal("0.18"),
                    count,
                    START,
                    rate,
                    cap,
                )
            )
            for p in range(draw(st.integers(0, 6))):
                payments.append(
                    Payment(f"P{lid}-{p}", lid, draw(moment()), draw(cents(1, 150_000)), "app")
                )
            for r in range(draw(st.integers(0, 2))):
                made = draw(moment())
                promises.append(
                    PromiseToPay(
                        f"R{lid}-{r}",
                        lid,
                        made,
                        made.date() + timedelta(days=draw(st.integers(0, 15))),
                        draw(cents(1, 100_000)),
                    )
                )
            if draw(st.booleans()):
                s = draw(day())
                arrangements.append(
                    Arrangement(
                        f"G{lid}",
                        lid,
                        ArrangementKind.DEFERRAL,
                        s,
                        s + timedelta(days=draw(st.integers(0, 90))),
                        draw(st.none() | day()),
                    )
                )
            for kind in draw(st.sets(st.sampled_from(list(FlagKind)), max_size=3)):
                s = draw(day())
                end = draw(st.none() | st.integers(1, 60).map(lambda d, s=s: s + timedelta(days=d)))
                flags.append(AccountFlag(lid, kind, s, end))
    return Portfolio(
        borrowers=tuple(borrowers),
        addresses=tuple(addresses),
        loans=tuple(loans),
        instalments=tuple(instalments),
        payments=tuple(payments),
        attempts=tuple(attempts),
        promises=tuple(promises),
        arrangements=tuple(arrangements),
        flags=tuple(flags),
    )
