"""One day of the optimiser as a strategy: the candidates of the day's accounts, their
resources and capacities, and each account's chosen action with its reasons.

Pure: the service layer gathers the allowed (account, action) rows and the facts, calls
:func:`choose` and writes the plan rows.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from duecourse.strategy.action_values import ActionParams, ActionValues, ParametricValues
from duecourse.strategy.optimiser import Assignment, Candidates, Capacities, optimise

Ints = NDArray[np.int64]
#: What an account gets when no candidate is worth its cost or capacity.
NOTHING = "hold"


@dataclass(frozen=True, slots=True)
class OptimiserConfig:
    """The optimiser as a strategy (``strategies/optimiser.yaml`` documents each value).

    Attributes:
        actions: per candidate action, its default value parameters, resources and cadence.
        capacities: per resource, units per day; a name may be a pattern (``visits:*``)
            giving the limit of every resource it matches that has no limit of its own. A
            resource with no limit at all is not limited.
        complaint_cap: at most this many complaints expected per day (None: no cap).
        segments: the reference strategy's segments whose accounts are optimised; the others
            keep the reference strategy's action (paused, deceased, in court, current ...).
        mip: also try HiGHS's branch and bound (``time_limit`` seconds).
        estimator: values the candidates; None: :class:`ParametricValues` over ``actions``
            (the simulation lab passes its behaviour model here).
    """

    actions: Mapping[str, ActionParams]
    capacities: Mapping[str, float]
    complaint_cap: float | None = None
    segments: tuple[str, ...] = ("first_lapse", "standard", "repeat")
    mip: bool = False
    time_limit: float | None = None
    estimator: ActionValues | None = None

    def values(self) -> ActionValues:
        """The estimator: the one given, or the default over these parameters."""
        return self.estimator or ParametricValues(self.actions)

    def limit(self, resource: str) -> float | None:
        if resource in self.capacities:
            return float(self.capacities[resource])
        for pattern, value in self.capacities.items():
            if fnmatch.fnmatchcase(resource, pattern):
                return float(value)
        return None


@dataclass(frozen=True, slots=True)
class DayChoice:
    """Per account (in the facts' order): the chosen action and its reasons; and the run."""

    action: list[str]
    reasons: list[str]
    assignment: Assignment


def resource_usage(
    facts: Mapping[str, NDArray[Any]], account: Ints, action: Sequence[str], config: OptimiserConfig
) -> tuple[sparse.csr_array, tuple[str, ...], NDArray[np.float64]]:
    """The resources each candidate uses (limited ones only), their names and limits."""
    rows: list[NDArray[np.int64]] = []
    names: list[NDArray[Any]] = []
    units: list[NDArray[np.float64]] = []
    names_of = np.asarray(action, dtype=object)
    lender = np.asarray(facts.get("lender", np.full(len(account), "")), dtype=object)[account]
    region = np.asarray(facts.get("region", np.full(len(account), "")), dtype=object)[account]
    for name, params in config.actions.items():
        where = np.flatnonzero(names_of == name)
        if not len(where):
            continue
        for template, amount in params.uses.items():
            if "{" in template:
                keys = np.array(
                    [
                        template.format(lender=lend, region=reg)
                        for lend, reg in zip(lender[where], region[where], strict=True)
                    ],
                    dtype=object,
                )
            else:
                keys = np.full(len(where), template, dtype=object)
            rows.append(where)
            names.append(keys)
            units.append(np.full(len(where), float(amount)))
    if not rows:
        return sparse.csr_array((len(account), 0)), (), np.zeros(0)
    all_names = np.concatenate(names)
    distinct, column = np.unique(all_names, return_inverse=True)
    limits = [config.limit(str(n)) for n in distinct]
    limited = np.array([x is not None for x in limits])
    keep = limited[column]
    new_index = np.cumsum(limited) - 1
    usage = sparse.csr_array(
        (np.concatenate(units)[keep], (np.concatenate(rows)[keep], new_index[column[keep]])),
        shape=(len(account), int(limited.sum())),
    )
    return (
        usage,
        tuple(str(n) for n in distinct[limited]),
        np.array([x for x in limits if x is not None], dtype=np.float64),
    )


def choose(
    facts: Mapping[str, NDArray[Any]],
    account: Ints,
    action: Sequence[str],
    config: OptimiserConfig,
    values: ActionValues | None = None,
) -> DayChoice:
    """The day's choice over the allowed rows ``(account[k], action[k])``; ``facts`` has one
    row per account (``amount_overdue`` in yuan, ``contact``, ``lender``, ``region``)."""
    n = len(next(iter(facts.values()))) if facts else 0
    valued = (values or config.values())(facts, account, action)
    usage, names, limits = resource_usage(facts, account, action, config)
    candidates = Candidates(
        account=account,
        action=np.zeros(len(account), dtype=np.int64),
        gain=valued.gain,
        cost=valued.cost,
        complaint=valued.complaint,
        usage=usage,
        n_accounts=n,
    )
    capacities = Capacities(names, limits, config.complaint_cap)
    result = optimise(candidates, capacities, mip=config.mip, time_limit=config.time_limit)
    binding = result.binding()
    price = dict(zip(result.names, result.shadow_prices, strict=True))
    summary = "; ".join(f"{b} {price[b] / 100:.2f} 元/unit" for b in binding) or "none"
    chosen: list[str] = []
    reasons: list[str] = []
    usage_csr = usage.tocsr()
    starts, columns = usage_csr.indptr, usage_csr.indices
    for i in range(n):
        k = int(result.chosen[i])
        if k < 0:
            chosen.append(NOTHING)
            reasons.append(
                f"optimiser: no allowed action worth its cost within capacity (binding: {summary})"
            )
            continue
        chosen.append(str(action[k]))
        used = [names[c] for c in columns[starts[k] : starts[k + 1]]]
        uses = "; ".join(f"{u} (shadow price {price.get(u, 0.0) / 100:.2f} 元/unit)" for u in used)
        if config.complaint_cap is not None:
            cap = f"complaints (shadow price {price['complaints'] / 100:.2f} 元)"
            uses = f"{uses}; {cap}" if uses else cap
        reasons.append(
            f"optimiser: expected gain {valued.gain[k] / 100:.2f} 元, cost "
            f"{valued.cost[k] / 100:.2f} 元, net {(valued.gain[k] - valued.cost[k]) / 100:.2f} 元; "
            f"uses: {uses or 'no limited resource'}; binding: {summary}"
        )
    return DayChoice(chosen, reasons, result)
