"""``assess`` behaves as the seeds describe: orderings over a grid of cases, not single numbers.

Every case is simulated on the same draws (common random numbers, one seed), so a difference
between two cases comes from the facts, not from noise; the tests are deterministic.

Weak orderings (``<=``) must hold on every cell of the grid. They are weak because the engine
is honest about thresholds: below a strategy's visit row (e.g. a bank visits only after 180 days
and 100,000 yuan) the probability is 0 whatever the other facts, and far above it nearly every
future has a visit. Strict orderings are asserted where the engine must separate the cases:
across a strategy's threshold, and wherever the larger probability is positive.

About 12 s of CPU (300 paths × about 270 cases).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from dataclasses import replace as dc_replace
from decimal import Decimal
from typing import Any

from duecourse.domain.assess import BorrowerCase
from duecourse.lab.behaviour import BehaviourModel
from duecourse.lab.calibration import STATES
from duecourse.service.assess import packaged_model, run
from duecourse.service.assess_sim import draws

PATHS = 300
DRAWS = draws(17, PATHS, 30)
MODEL = packaged_model()
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


def p(case: BorrowerCase, model: BehaviourModel = MODEL) -> float:
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
        (10, 40, 70, 100, 130, 200, 250),
        grid(lender_type=LENDERS, amount_overdue=yuan(20000, 150000)),
    )
    assert_weakly_rising(rows)
    # strict across the small-loan visit row (> 90 days): at 40 days no visit within 30 days
    assert p(replace(BASE, days_past_due=40)) == 0 < p(replace(BASE, days_past_due=100))


def test_rises_with_amount() -> None:
    rows = series(
        "amount_overdue",
        yuan(2000, 9000, 20000, 60000, 150000),
        grid(lender_type=LENDERS, days_past_due=(100, 200), contact=("lost",)),
    )
    assert_weakly_rising(rows)
    # strict across the small-loan row's 10,000 yuan; strict above it where the borrower's
    # larger arrears make paying less likely
    assert p(replace(BASE, amount_overdue=Decimal(5000))) == 0 < p(BASE)
    assert sum(row[-1] > row[2] for row in rows) >= 2


def test_rises_with_lost_contact() -> None:
    rows = series(
        "contact",
        ("reachable", "unresponsive", "lost"),
        grid(lender_type=LENDERS, days_past_due=(100, 200), amount_overdue=yuan(20000, 150000)),
    )
    assert_weakly_rising(rows)
    # a reachable borrower is visited only if their number stops working (the strategies'
    # visit rows and DC-VIS-PRE need remote contact exhausted): strictly less, near zero
    assert all(row[0] < row[1] for row in rows if row[1] > 0)
    assert all(row[0] <= 0.05 for row in rows)


def test_rises_with_prior_overdues() -> None:
    rows = series(
        "prior_overdues",
        (0, 2, 4),
        grid(lender_type=LENDERS, days_past_due=(100, 200)),
    )
    assert_weakly_rising(rows)
    assert any(row[-1] > row[0] for row in rows)  # the behaviour model: repeat default persists


def test_lower_for_banks() -> None:
    cases = list(
        grid(
            days_past_due=(100, 200),
            amount_overdue=yuan(9000, 20000, 150000),
            contact=("unresponsive", "lost"),
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
        days_past_due=(100, 400),
        contact=("unresponsive", "lost"),
    ):
        assert p(replace(case, address_verified=False)) <= 0.01


def paying(share: float) -> BehaviourModel:
    """The lab's model with monthly matrices in which ``share`` of every late state is paid
    up by the next month (the rest rolls on)."""
    last = len(STATES) - 1
    rows = []
    for i in range(len(STATES)):
        row = [0.0] * len(STATES)
        row[0] += share
        row[min(i + 1, last)] += 1 - share
        rows.append(tuple(row))
    return MODEL.with_matrices([tuple(rows)])


def test_the_behaviour_model_parameters_change_the_answer() -> None:
    """The probability is computed through the lab's model, not looked up: borrowers who pay
    readily are visited less, borrowers who never pay more."""
    case = replace(BASE, days_past_due=85)
    assert p(case, paying(0.95)) < p(case) - 0.05
    assert p(case, paying(0.0)) > p(case) + 0.05


def test_promises_and_history_act_through_the_model() -> None:
    negotiating = replace(BASE, negotiating=True)
    assert p(negotiating, dc_replace(MODEL, negotiating_lift=20.0)) < p(negotiating)
    repeat = replace(BASE, prior_overdues=4)
    assert p(repeat) > p(BASE)  # segments.prior_overdues < 1: repeat default persists
    assert p(repeat, dc_replace(MODEL, prior_odds=1.0)) == p(BASE)
