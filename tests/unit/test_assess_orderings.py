"""``assess`` behaves as the seeds describe: orderings over a grid of cases, not single numbers.

Every case is simulated on the same draws (common random numbers, one seed), so a difference
between two cases comes from the facts, not from noise; the tests are deterministic.

Weak orderings (``<=``) must hold on every cell of the grid. They are weak because the engine
is honest about thresholds: below a strategy's visit row (e.g. a bank visits only after 180 days
and 100,000 yuan) the probability is 0 whatever the other facts, and far above it nearly every
future has a visit. Strict orderings are asserted where the engine must separate the cases:
across a strategy's threshold, and wherever the larger probability is positive.

About 15 s on the 2-core CI machine.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest

from duecourse.domain.assess import BorrowerCase
from duecourse.service.assess import run
from duecourse.service.assess_behaviour import BehaviourParams, SimpleBehaviour
from duecourse.service.assess_sim import draws

PATHS = 300
DRAWS = draws(17, PATHS, 30)
MODEL = SimpleBehaviour()
LENDERS = ("bank", "consumer_finance", "small_loan", "online_platform")
BASE = BorrowerCase(
    lender_type="small_loan",
    days_past_due=100,
    amount_overdue=Decimal("20000"),
    contact="unresponsive",
    negotiating=False,
    address_verified=True,
    prior_overdues=0,
)


def p(case: BorrowerCase, model: SimpleBehaviour = MODEL) -> float:
    return run(case, model, DRAWS).probability()


def grid(**axes: Iterable[Any]) -> Iterator[BorrowerCase]:
    names = list(axes)
    for values in itertools.product(*axes.values()):
        yield replace(BASE, **dict(zip(names, values, strict=True)))


def series(fact: str, values: Iterable[Any], cases: Iterable[BorrowerCase]) -> list[list[float]]:
    """For each case of the grid, the probabilities as ``fact`` runs through ``values``."""
    return [[p(replace(case, **{fact: v})) for v in values] for case in cases]


def assert_weakly_rising(rows: list[list[float]]) -> None:
    for row in rows:
        assert all(a <= b for a, b in itertools.pairwise(row)), row


def yuan(*amounts: int) -> list[Decimal]:
    return [Decimal(a) for a in amounts]


def test_rises_with_days_past_due() -> None:
    rows = series(
        "days_past_due",
        (10, 40, 70, 100, 130, 160, 200, 250),
        grid(
            lender_type=LENDERS,
            amount_overdue=yuan(20000, 150000),
            contact=("unresponsive", "lost"),
        ),
    )
    assert_weakly_rising(rows)
    # strict across the small-loan visit row (> 90 days): at 40 days no visit within 30 days
    assert p(replace(BASE, days_past_due=40)) == 0 < p(replace(BASE, days_past_due=100))


def test_rises_with_amount() -> None:
    rows = series(
        "amount_overdue",
        yuan(2000, 9000, 20000, 60000, 150000),
        grid(lender_type=LENDERS, days_past_due=(100, 200), contact=("unresponsive", "lost")),
    )
    assert_weakly_rising(rows)
    # strict across the small-loan row's 10,000 yuan; strict above it where the borrower's
    # larger arrears make paying less likely
    assert p(replace(BASE, amount_overdue=Decimal(5000))) == 0 < p(BASE)
    assert sum(row[-1] > row[2] for row in rows) >= 4


def test_rises_with_lost_contact() -> None:
    rows = series(
        "contact",
        ("reachable", "unresponsive", "lost"),
        grid(lender_type=LENDERS, days_past_due=(100, 200), amount_overdue=yuan(20000, 150000)),
    )
    assert_weakly_rising(rows)
    # a reachable borrower is not visited (the strategies' visit rows and DC-VIS-PRE need
    # remote contact exhausted); wherever an evasive one is, strictly so
    assert all(row[0] == 0 for row in rows)
    assert all(row[1] > 0 for row, case in zip(rows, _visitable(), strict=True) if case)


def _visitable() -> list[bool]:
    return [
        p(replace(case, contact="unresponsive")) > 0
        for case in grid(
            lender_type=LENDERS, days_past_due=(100, 200), amount_overdue=yuan(20000, 150000)
        )
    ]


def test_rises_with_prior_overdues() -> None:
    rows = series(
        "prior_overdues",
        (0, 1, 2, 4),
        grid(lender_type=LENDERS, days_past_due=(100, 200), contact=("unresponsive", "lost")),
    )
    assert_weakly_rising(rows)
    assert any(row[-1] > row[0] for row in rows)  # the behaviour model: repeat default persists


def test_lower_for_banks() -> None:
    cases = list(
        grid(
            days_past_due=(100, 200),
            amount_overdue=yuan(9000, 20000, 150000),
            contact=("unresponsive", "lost"),
            prior_overdues=(0, 2),
        )
    )
    for other in ("small_loan", "online_platform"):
        rows = [
            [p(replace(c, lender_type="bank")), p(replace(c, lender_type=other))] for c in cases
        ]
        assert_weakly_rising(rows)
        # strict wherever the bank's own visit row (> 180 days, >= 100,000 yuan) does not
        # apply and the other lender visits at all; where both rows apply, both visit
        for case, (bank, them) in zip(cases, rows, strict=True):
            if them > 0 and (case.days_past_due < 150 or case.amount_overdue < 100000):
                assert bank < them, case


def test_falls_when_negotiating() -> None:
    rows = series(
        "negotiating",
        (True, False),
        grid(
            lender_type=LENDERS,
            days_past_due=(100, 200),
            amount_overdue=yuan(20000, 150000),
            contact=("unresponsive", "lost"),
        ),
    )
    assert_weakly_rising(rows)
    assert all(
        negotiating < not_negotiating
        for negotiating, not_negotiating in rows
        if not_negotiating > 0
    )


def test_near_zero_without_a_verified_address() -> None:
    for case in grid(
        lender_type=LENDERS,
        days_past_due=(100, 200, 400),
        amount_overdue=yuan(20000, 150000),
        contact=("unresponsive", "lost"),
    ):
        assert p(replace(case, address_verified=False)) <= 0.01


@pytest.mark.parametrize(
    ("change", "direction"),
    [
        ({"monthly_cure": (0.9, 0.8, 0.7, 0.6)}, -1),  # borrowers who pay readily: fewer visits
        ({"visit_rate": 0.5}, +1),  # more field teams: visits come sooner
    ],
)
def test_the_behaviour_model_parameters_change_the_answer(
    change: dict[str, Any], direction: int
) -> None:
    model = SimpleBehaviour(BehaviourParams().with_values(change))
    case = replace(BASE, days_past_due=85)
    assert (p(case, model) - p(case)) * direction > 0.05


def test_keeping_a_promise_matters() -> None:
    case = replace(BASE, negotiating=True)
    kept = SimpleBehaviour(BehaviourParams().with_values({"keep": 0.95}))
    broken = SimpleBehaviour(BehaviourParams().with_values({"keep": 0.05}))
    assert p(case, kept) < p(case, broken)
