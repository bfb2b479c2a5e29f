"""Hypothesis strategies: random but valid portfolios, small enough to check one by one."""

from __future__ import annotations

import re
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
            lent = draw(day(60))  # some loans are lent after some as-of dates
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
                    lent,
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


INT_CELLS = st.one_of(
    st.builds(
        lambda op, n: f"{op} {n}", st.sampled_from([">", ">=", "<", "<="]), st.integers(-5, 40)
    ),
    st.builds(
        lambda lo, w, left, right: f"{left}{lo}..{lo + w}{right}",
        st.integers(-5, 30),
        st.integers(0, 20),
        st.sampled_from("[("),
        st.sampled_from("])"),
    ),
    st.lists(st.integers(-5, 40), min_size=1, max_size=3).map(lambda v: ", ".join(map(str, v))),
)
DEC_CELLS = st.builds(
    lambda op, n: f"{op} {Decimal(n).scaleb(-2)}",
    st.sampled_from([">", ">=", "<", "<="]),
    st.integers(0, 100_000),
)
STR_CELLS = st.builds(
    lambda vals, neg: f"not({vals})" if neg else vals,
    st.lists(st.sampled_from("wxyz"), min_size=1, max_size=3).map(
        lambda v: ", ".join(f'"{x}"' for x in v)
    ),
    st.booleans(),
)
BOOL_CELLS = st.sampled_from(["true", "false"])
TABLE_INPUTS = {
    "a": ("int", INT_CELLS),
    "b": ("decimal", DEC_CELLS),
    "c": ("string", STR_CELLS),
    "d": ("bool", BOOL_CELLS),
}


@st.composite
def decision_tables(draw: st.DrawFn, policy: str = "first", negation: bool = True) -> dict:
    rules = []
    for i in range(draw(st.integers(0, 8))):
        when = {}
        for name, (_, cells) in TABLE_INPUTS.items():
            if draw(st.booleans()):
                cell = draw(cells)
                if not negation and cell.startswith("not("):
                    cell = cell[4:-1]
                when[name] = cell
        rules.append({"id": f"r{i}", "when": when, "then": {"action": f"act{i}", "priority": i}})
    rules.append({"id": "default", "when": {}, "then": {"action": "hold", "priority": 99}})
    return {
        "name": "random",
        "hit_policy": policy,
        "inputs": {k: t for k, (t, _) in TABLE_INPUTS.items()},
        "outputs": {"action": "string", "priority": "int"},
        "rules": rules,
    }


def _bounds(data: dict, column: str) -> list[Decimal]:
    found = []
    for rule in data["rules"]:
        cell = rule["when"].get(column, "")
        found += [Decimal(n) for n in re.findall(r"-?\d+(?:\.\d+)?", cell)]
    return found


def rows_near_bounds(data: dict) -> st.SearchStrategy[dict]:
    """Input rows whose numbers sit on, just below or just above the table's bounds."""
    a_bounds = [int(b) for b in _bounds(data, "a")]
    b_bounds = _bounds(data, "b")
    near_a = [b + d for b in a_bounds for d in (-1, 0, 1)]
    near_b = [b + d for b in b_bounds for d in (Decimal("-0.01"), Decimal(0), Decimal("0.01"))]
    a = st.none() | st.integers(-10, 50) | (st.sampled_from(near_a) if near_a else st.nothing())
    b_values = st.integers(0, 120_000).map(lambda c: Decimal(c).scaleb(-2))
    b = st.none() | b_values | (st.sampled_from(near_b) if near_b else st.nothing())
    return st.fixed_dictionaries(
        {
            "a": a,
            "b": b.filter(lambda v: v is None or v >= 0),
            "c": st.none() | st.sampled_from("wxyzv"),
            "d": st.none() | st.booleans(),
        }
    )
