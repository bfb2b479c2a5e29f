"""Small, readable builders for test portfolios (defaults everywhere, override what matters)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from duecourse.domain.model import (
    Actor,
    Address,
    Borrower,
    Channel,
    ContactAttempt,
    Instalment,
    LenderType,
    Loan,
    Outcome,
    Payment,
    Target,
)

D = Decimal


def borrower(borrower_id: str = "B1", region: str = "湖北") -> Borrower:
    return Borrower(
        borrower_id, "张伟", "420102199001011234", ("13800000001",), region, "Asia/Shanghai"
    )


def loan(
    loan_id: str = "L1",
    borrower_id: str = "B1",
    principal: str = "3000.00",
    lender_type: LenderType = LenderType.CONSUMER_FINANCE,
    penalty_daily_rate: str = "0.0005",
    penalty_cap_ratio: str = "0.24",
) -> Loan:
    return Loan(
        loan_id,
        borrower_id,
        "湖北某消费金融",
        lender_type,
        "cash_loan",
        D(principal),
        D("0.18"),
        3,
        date(2025, 1, 1),
        D(penalty_daily_rate),
        D(penalty_cap_ratio),
    )


def schedule(
    loan_id: str = "L1",
    first_due: date = date(2025, 2, 1),
    count: int = 3,
    principal: str = "1000.00",
    interest: str = "45.00",
    fee: str = "5.00",
) -> list[Instalment]:
    out = []
    for k in range(count):
        month = first_due.month - 1 + k
        due = date(first_due.year + month // 12, month % 12 + 1, first_due.day)
        out.append(Instalment(loan_id, k + 1, due, D(principal), D(interest), D(fee)))
    return out


def pay(
    on: date, amount: str, loan_id: str = "L1", pid: str | None = None, at: time = time(10, 0)
) -> Payment:
    return Payment(
        pid or f"P{on.isoformat()}-{amount}", loan_id, datetime.combine(on, at), D(amount), "app"
    )


def attempt(
    at: datetime,
    outcome: Outcome,
    channel: Channel = Channel.CALL,
    target: Target = Target.DEBTOR,
    borrower_id: str = "B1",
    aid: str | None = None,
) -> ContactAttempt:
    return ContactAttempt(
        aid or f"T{at.isoformat()}",
        borrower_id,
        "L1",
        at,
        channel,
        target,
        "13800000001",
        outcome,
        Actor.INHOUSE,
    )


def home(borrower_id: str = "B1", verified: bool = True) -> Address:
    return Address(f"A-{borrower_id}", borrower_id, "home", "武汉市某路1号", verified)
