"""The record service on its in-memory port: outcomes recorded change the facts exactly as the
reference computation says, and bad records write nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from duecourse.batch.backend import FACT_SOURCES, duckdb_from_arrow
from duecourse.batch.facts import facts_expr
from duecourse.domain.facts import reference_facts
from duecourse.domain.model import Payment, PromiseToPay
from duecourse.errors import BadData
from duecourse.service.record import Outcomes, record_fields, record_outcomes
from duecourse.service.record_memory import MemoryRecordPort
from tests.facts_oracle import assert_same_facts
from tests.strategies import day, portfolios


def memory_facts(port: MemoryRecordPort, as_of: date):
    backend, tables = duckdb_from_arrow(port.arrow(FACT_SOURCES))
    return backend.to_pyarrow(facts_expr(tables, as_of))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolio=portfolios(), as_of=day(400))
def test_outcomes_recorded_in_memory_give_the_reference_facts(portfolio, as_of):
    port = MemoryRecordPort.from_portfolio(portfolio)
    loans = [x.loan_id for x in portfolio.loans]
    if not loans:
        return
    at = datetime.combine(as_of, datetime.min.time()).replace(hour=9)
    new = Outcomes(
        payments=(Payment("NEW-P", loans[0], at, Decimal("321.09"), "app"),),
        promises=(PromiseToPay("NEW-R", loans[-1], at, as_of, Decimal("500.00")),),
    )
    record_outcomes(port, new)
    after = replace(
        portfolio,
        payments=(*portfolio.payments, *new.payments),
        promises=(*portfolio.promises, *new.promises),
    )
    assert_same_facts(memory_facts(port, as_of), reference_facts(after, as_of))


def test_bad_records_write_nothing():
    port = MemoryRecordPort()
    fields = {
        "payment_id": "P1",
        "loan_id": "NOPE",
        "paid_at": "2025-06-30 10:00",
        "amount": "10.00",
        "channel": "app",
    }
    with pytest.raises(BadData) as caught:
        record_fields(port, "payment", fields, date(2025, 6, 30))
    assert "loan_id" in caught.value.lines()[1] and "NOPE" in caught.value.lines()[1]
    with pytest.raises(BadData) as caught:
        record_fields(port, "payment", {**fields, "amount": "1e3"}, date(2025, 6, 30))
    assert caught.value.lines()[1].startswith("amount:")
    assert port.rows("payments") == [] and port.rows("allocations") == []
