"""A minimal behaviour model for ``assess``, with named parameters (stand-in for the lab's).

Every number is a parameter (:class:`BehaviourParams`); the defaults are assumptions with the
source of their order of magnitude. The daily payment hazard comes from the monthly cure rates
of the cleaned UCI roll-rate matrix (``reference/simulation-research.md`` §4); promise and
keep rates from the ranges in ``reference/borrower-law.md`` C48.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np

from duecourse.domain.assess import BorrowerCase
from duecourse.service.assess_sim import FloatArray, IntArray

REACHABLE, UNRESPONSIVE, LOST = range(3)


@dataclass(frozen=True, slots=True)
class BehaviourParams:
    """The borrower model's numbers.

    Attributes:
        monthly_cure: P(arrears paid within a month) by months late (1, 2, 3, 4+): the UCI
            cleaned matrix's column ``current`` (rows 1..4+).
        contact_factor: multiplier of the payment hazard by contactability (reachable,
            unresponsive, lost); assumption: evasive borrowers pay less (seeds S6).
        prior_factor: multiplier of payment and of keeping a promise per earlier overdue
            episode; assumption: repeat default persists (seeds S4).
        amount_reference, amount_elasticity: the payment hazard scales as
            ``(amount / reference) ** -elasticity``; assumption: large arrears are harder to
            clear (seeds S3).
        reach: per action, P(the borrower is reached in person) by contactability.
        promise: P(a promise | reached); ``promise_visit`` for a visit.
        keep: P(a promise is kept) (C48: 40-70 %).
        promise_days: days from a promise to its due date.
        trace_restores: P(a skip trace turns a lost borrower into an unresponsive one: a
            working number, the same reluctance).
        visit_rate: P(a lawful planned visit is made on a given day): field teams are few
            and visits the exception (borrower-law.md B38, C47: 200-800 yuan a visit).
    """

    monthly_cure: tuple[float, float, float, float] = (0.3844, 0.1921, 0.1212, 0.0321)
    contact_factor: tuple[float, float, float] = (1.0, 0.5, 0.25)
    prior_factor: float = 0.8
    amount_reference: float = 5000.0
    amount_elasticity: float = 0.25
    reach: Mapping[str, tuple[float, float, float]] = field(
        default_factory=lambda: {
            "ai_call": (0.5, 0.1, 0.0),
            "agent_call": (0.6, 0.15, 0.0),
            "senior_agent_call": (0.6, 0.15, 0.0),
            "restructure_offer": (0.2, 0.05, 0.0),
            "field_visit": (0.5, 0.5, 0.5),
        }
    )
    promise: float = 0.4
    promise_visit: float = 0.5
    keep: float = 0.55
    promise_days: int = 7
    trace_restores: float = 0.3
    visit_rate: float = 0.1

    def with_values(self, values: Mapping[str, Any]) -> BehaviourParams:
        """These parameters with some replaced (unknown names are a ``KeyError``)."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise KeyError(f"unknown behaviour parameters: {sorted(unknown)}")
        return replace(self, **values)


@dataclass(frozen=True, slots=True)
class SimpleBehaviour:
    """:class:`~duecourse.service.assess_sim.Behaviour` from :class:`BehaviourParams`."""

    params: BehaviourParams = field(default_factory=BehaviourParams)

    def pay_hazard(
        self, case: BorrowerCase, days_past_due: IntArray, contact: IntArray
    ) -> FloatArray:
        p = self.params
        daily_by_month = 1.0 - (1.0 - np.asarray(p.monthly_cure)) ** (1.0 / 30.0)
        daily = daily_by_month[np.clip((days_past_due - 1) // 30, 0, 3)]
        amount = max(float(case.amount_overdue), 1.0)
        scale = (amount / p.amount_reference) ** -p.amount_elasticity
        scale *= p.prior_factor**case.prior_overdues
        hazard: FloatArray = np.clip(
            daily * np.asarray(p.contact_factor)[contact] * scale, 0.0, 1.0
        )
        return hazard

    def reach_rate(self, action: str, contact: IntArray) -> FloatArray:
        rates = np.asarray(self.params.reach.get(action, (0.0, 0.0, 0.0)))
        out: FloatArray = rates[contact]
        return out

    def promise_rate(self, case: BorrowerCase, action: str) -> float:
        p = self.params
        return p.promise_visit if action == "field_visit" else p.promise

    def keep_rate(self, case: BorrowerCase) -> float:
        p = self.params
        return float(p.keep * p.prior_factor**case.prior_overdues)

    def promise_days(self) -> int:
        return self.params.promise_days

    def visit_rate(self) -> float:
        return self.params.visit_rate

    def contact_change(self, action: str, contact: IntArray) -> tuple[FloatArray, IntArray]:
        traced = action == "skip_trace"
        p = np.where(traced & (contact == LOST), self.params.trace_restores, 0.0)
        return p, np.full_like(contact, UNRESPONSIVE)
