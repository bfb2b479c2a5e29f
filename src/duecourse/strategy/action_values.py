"""What each candidate action is expected to bring: the optimiser's input per (account, action).

:class:`ActionValues` is the port: given the day's facts (one array per column, one row per
account) and the candidate rows (account position, action name), it returns the expected gain
(extra collection over the horizon against doing nothing), cost and complaint probability of
each row. :class:`ParametricValues` is the simple default, from a parameter per action; the
simulation lab plugs its behaviour model in through the same port.

The default's parameters are assumptions for a lender to replace with its own measurements
(``src/duecourse/strategies/optimiser.yaml`` states each one); the gain of an action is::

    amount_overdue × contact_rate[contact status] × promise_rate × payment_share

i.e. the chance it reaches the borrower, that the borrower then promises, and the share of
what is overdue a promise brings in over the horizon (kept or not), against nothing done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
#: The contact statuses of the facts (``domain.contact``).
CONTACT_STATUSES = ("reachable", "unresponsive", "lost")


@dataclass(frozen=True, slots=True)
class Valuation:
    """Per candidate row: expected gain and cost (fen), and complaint probability."""

    gain: Floats
    cost: Floats
    complaint: Floats


class ActionValues(Protocol):
    """Values the candidate rows ``(account[k], action[k])`` against the day's ``facts``."""

    def __call__(
        self, facts: Mapping[str, NDArray[Any]], account: Ints, action: Sequence[str]
    ) -> Valuation: ...


@dataclass(frozen=True, slots=True)
class ActionParams:
    """The default estimator's parameters for one action.

    Attributes:
        contact_rate: chance the action reaches the borrower, by contact status.
        promise_rate: chance a borrower reached promises to pay.
        payment_share: share of the amount overdue a promise brings in over the horizon.
        cost_fen: cost of one action (fen).
        commission: share of the gain paid on top (an agency's commission).
        complaint_rate: chance a borrower reached complains.
        uses: resources one action uses, by name; ``{lender}`` and ``{region}`` in a name are
            the account's (``visits:{lender}:{region}``: one visit team per lender and region).
        cadence_days: not planned again within this many days of being planned.
        priority: the plan's priority (1 first) for this action.
    """

    contact_rate: Mapping[str, float]
    promise_rate: float
    payment_share: float
    cost_fen: int
    commission: float = 0.0
    complaint_rate: float = 0.0
    uses: Mapping[str, float] = field(default_factory=dict)
    cadence_days: int = 0
    priority: int = 5

    def __post_init__(self) -> None:
        rates = [*self.contact_rate.values(), self.promise_rate, self.payment_share]
        rates += [self.commission, self.complaint_rate]
        if any(not 0 <= r <= 1 for r in rates):
            raise ValueError("rates and shares lie between 0 and 1")
        if self.cost_fen < 0 or any(u < 0 for u in self.uses.values()) or self.cadence_days < 0:
            raise ValueError("costs, resource use and cadence must not be negative")


@dataclass(frozen=True, slots=True)
class ParametricValues:
    """The default :class:`ActionValues`: one :class:`ActionParams` per action. Reads the
    facts ``amount_overdue`` (yuan) and ``contact``."""

    params: Mapping[str, ActionParams]

    def __call__(
        self, facts: Mapping[str, NDArray[Any]], account: Ints, action: Sequence[str]
    ) -> Valuation:
        names = np.asarray(action, dtype=object)
        overdue = np.asarray(facts["amount_overdue"], dtype=np.float64)[account] * 100
        status = np.asarray(facts["contact"], dtype=object)[account]
        gain, cost, complaint = (np.zeros(len(account)) for _ in range(3))
        for name in np.unique(names) if len(names) else ():
            p = self.params.get(str(name))
            if p is None:
                raise KeyError(f"no value parameters for action {name!r}")
            rows = names == name
            reach = np.zeros(int(rows.sum()))
            for s, rate in p.contact_rate.items():
                reach[status[rows] == s] = rate
            gain[rows] = overdue[rows] * reach * p.promise_rate * p.payment_share
            cost[rows] = p.cost_fen + p.commission * gain[rows]
            complaint[rows] = reach * p.complaint_rate
        return Valuation(gain, cost, complaint)
