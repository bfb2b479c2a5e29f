"""The ibis facts (on DuckDB) agree with the reference computation on random portfolios."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duecourse.adapters.records import portfolio_rows
from duecourse.batch.backend import ALL_TABLES, duckdb_from_arrow, rows_to_arrow
from duecourse.batch.facts import facts_expr
from duecourse.domain.facts import reference_facts
from duecourse.domain.model import Portfolio
from duecourse.service.journal import journal_rows, promise_rows
from tests.builders import borrower, home, loan, pay, schedule
from tests.facts_oracle import assert_same_facts
from tests.strategies import day, portfolios


def duckdb_facts(portfolio: Portfolio, as_of: date):
    rows = portfolio_rows(portfolio)
    schedule, paid = defaultdict(list), defaultdict(list)
    for i in portfolio.instalments:
        schedule[i.loan_id].append(i)
    for p in portfolio.payments:
        paid[p.loan_id].append(p)
    rows["allocations"], rows["penalty_charges"] = journal_rows(portfolio.loans, schedule, paid)
    rows["promise_states"] = promise_rows(portfolio.promises, portfolio.payments)
    arrow = {name: rows_to_arrow(ALL_TABLES[name], data) for name, data in rows.items()}
    backend, tables = duckdb_from_arrow(arrow)
    return backend.to_pyarrow(facts_expr(tables, as_of))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios(), as_of=day(400))
def test_duckdb_facts_agree_with_the_reference(portfolio, as_of):
    assert_same_facts(duckdb_facts(portfolio, as_of), reference_facts(portfolio, as_of))


@settings(max_examples=10, deadline=None)
@given(portfolio=portfolios(), as_of=st.just(date(2025, 1, 1)))
def test_agreement_before_anything_is_due(portfolio, as_of):
    assert_same_facts(duckdb_facts(portfolio, as_of), reference_facts(portfolio, as_of))


def _edge(payments, as_of, **loan_terms):
    portfolio = Portfolio(
        borrowers=(borrower(),),
        addresses=(home(),),
        loans=(loan(**loan_terms),),
        instalments=tuple(schedule()),
        payments=tuple(payments),
    )
    return portfolio, as_of


EDGES = {
    "due today": _edge([], date(2025, 2, 1)),
    "one day past due": _edge([], date(2025, 2, 2)),
    "paid one day late": _edge([pay(date(2025, 2, 2), "1050.50")], date(2025, 2, 20)),
    "partial payment": _edge([pay(date(2025, 2, 5), "500.00")], date(2025, 2, 11)),
    "paid before due": _edge([pay(date(2025, 1, 25), "1050.00")], date(2025, 2, 10)),
    # cured on the day the next instalment fell due, which was then paid late: two episodes
    "touching episodes": _edge(
        [pay(date(2025, 3, 1), "1065.00", pid="P1"), pay(date(2025, 3, 5), "1052.00", pid="P2")],
        date(2025, 3, 20),
    ),
    "penalty cap reached": _edge(
        [pay(date(2025, 4, 1), "10.00")],
        date(2025, 6, 1),
        penalty_daily_rate="0.01",
        penalty_cap_ratio="0.01",
    ),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_duckdb_facts_agree_on_edge_cases(name):
    portfolio, as_of = EDGES[name]
    assert_same_facts(duckdb_facts(portfolio, as_of), reference_facts(portfolio, as_of))


def test_touching_episodes_are_two_episodes():
    portfolio, as_of = EDGES["touching episodes"]
    assert reference_facts(portfolio, as_of)[0].prior_overdues == 2


def test_a_loan_lent_after_the_day_is_not_an_account_that_day():
    first = loan("L1")  # lent 2025-01-01
    later = replace(loan("L2"), start_date=date(2025, 3, 1))
    portfolio = Portfolio(
        borrowers=(borrower(),),
        addresses=(home(),),
        loans=(first, later),
        instalments=(*schedule("L1"), *schedule("L2", first_due=date(2025, 4, 1))),
        payments=(pay(date(2025, 3, 5), "300.00", loan_id="L2", pid="P2"),),
    )
    for as_of, accounts in [
        (date(2025, 2, 28), ["L1"]),
        (date(2025, 3, 1), ["L1", "L2"]),  # lent that day: an account that day
    ]:
        facts = duckdb_facts(portfolio, as_of)
        assert facts["account_id"].to_pylist() == accounts
        assert [f.account_id for f in reference_facts(portfolio, as_of)] == accounts
        assert_same_facts(facts, reference_facts(portfolio, as_of))
