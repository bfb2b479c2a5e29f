"""The optimiser: at most one action per account today, for the most expected net recovery
under the day's capacities (``docs/strategies.md``, The optimiser).

Input: the candidate actions left after the rule pack (one row per account and allowed
action), each with its expected gain (extra collection over the horizon against doing
nothing, fen), cost (fen), complaint probability and the resources it uses; the capacities.
The problem is a multiple-choice knapsack::

    max  Σ v_j x_j                    v_j = gain_j − cost_j
    s.t. Σ_{j of account i} x_j ≤ 1   every account (doing nothing is always allowed)
         Σ_j u_rj x_j ≤ C_r           every resource r (and Σ_j q_j x_j ≤ Q for complaints)
         x_j ∈ {0, 1}

HiGHS solves the LP relaxation (through SciPy); its basic solution has at most as many
fractional accounts as there are capacity rows, which go to "nothing" before the leftover
capacity is filled greedily, so the result is within R · max v of the LP bound. A greedy
baseline (by value per weighted resource) is computed too and the better of the two kept;
with ``mip=True`` HiGHS's branch and bound is tried as well. The capacity rows' duals are the
shadow prices: what one more unit of each resource would add to the objective.

Pure: arrays in, arrays out; no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import LinearConstraint, milp

from duecourse.strategy.relaxation import solve_relaxation

#: The resource name of the optional complaint cap.
COMPLAINTS = "complaints"
#: An LP value this close to 1 counts as chosen, this close to 0 as not.
_INTEGRAL = 1e-6
_WINDOW = 16_384

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Candidates:
    """The allowed (account, action) pairs of one day, as parallel arrays of length M.

    Attributes:
        account: the account's index, 0 to ``n_accounts`` − 1.
        action: the action's index in the caller's list of action names.
        gain: expected extra collection over the horizon against doing nothing (fen).
        cost: the action's expected cost (fen).
        complaint: expected probability that the action draws a complaint.
        usage: M × R, the units of each resource the action uses (columns as the
            capacities' ``names``); non-negative.
        n_accounts: how many accounts there are (some may have no candidate).
    """

    account: Ints
    action: Ints
    gain: Floats
    cost: Floats
    complaint: Floats
    usage: sparse.csr_array
    n_accounts: int

    def __post_init__(self) -> None:
        m = len(self.account)
        lengths = {len(self.action), len(self.gain), len(self.cost), len(self.complaint)}
        if lengths != {m} or self.usage.shape[0] != m:
            raise ValueError("every candidate array needs one entry per candidate")
        if m and (self.account.min() < 0 or self.account.max() >= self.n_accounts):
            raise ValueError("account indices must lie in 0 .. n_accounts - 1")
        values = np.concatenate([self.gain, self.cost, self.complaint, self.usage.data])
        if not np.all(np.isfinite(values)):
            raise ValueError("gains, costs, complaint probabilities and usage must be finite")
        if self.usage.nnz and self.usage.data.min() < 0:
            raise ValueError("resource usage must not be negative")

    @property
    def value(self) -> Floats:
        """Expected net: gain − cost (fen)."""
        return self.gain - self.cost


@dataclass(frozen=True, slots=True)
class Capacities:
    """What the day can carry: one limit per resource (``names`` name the usage columns),
    and optionally a cap on expected complaints."""

    names: tuple[str, ...]
    limits: Floats
    complaint_cap: float | None = None

    def __post_init__(self) -> None:
        if len(self.names) != len(self.limits) or COMPLAINTS in self.names:
            raise ValueError("one limit per resource name (and no resource named 'complaints')")
        if np.any(self.limits < 0) or (self.complaint_cap is not None and self.complaint_cap < 0):
            raise ValueError("capacities must not be negative")


@dataclass(frozen=True, slots=True)
class Assignment:
    """The day's choice and how it was found.

    Attributes:
        chosen: per account, the index of its chosen candidate, or −1 for nothing.
        objective: Σ (gain − cost) of the chosen candidates (fen).
        method: ``lp`` (the LP rounded and filled), ``mip`` or ``greedy``: which was kept.
        solver_objective: the LP's rounded solution, filled greedily (the MIP's, when run
            and better).
        greedy_objective: the greedy baseline's.
        lp_bound: the LP relaxation's optimum, an upper bound on any integral choice.
        names: the capacity rows (the resources, then ``complaints`` when capped).
        limits: their limits.
        used: what the chosen candidates use of each.
        shadow_prices: per capacity row, the LP's dual: fen of objective per extra unit.
        fractional_accounts: accounts the LP split between actions (at most ``len(names)``
            in a basic solution).
    """

    chosen: Ints
    objective: float
    method: str
    solver_objective: float
    greedy_objective: float
    lp_bound: float
    names: tuple[str, ...]
    limits: Floats
    used: Floats
    shadow_prices: Floats
    fractional_accounts: int

    def binding(self, tolerance: float = 1e-9) -> tuple[str, ...]:
        """The capacities whose shadow price is positive (one more unit would pay)."""
        return tuple(
            n for n, p in zip(self.names, self.shadow_prices, strict=True) if p > tolerance
        )


@dataclass(frozen=True, slots=True)
class _Problem:
    """The candidates worth considering, with the complaint cap as one more resource."""

    index: Ints  # into the caller's candidates
    account: Ints
    value: Floats
    usage: sparse.csr_array  # K × R'
    limits: Floats
    names: tuple[str, ...]
    order: Ints  # greedy order over the K candidates


def _problem(c: Candidates, caps: Capacities) -> _Problem:
    usage, limits, names = c.usage, caps.limits.astype(np.float64), caps.names
    if usage.shape[1] != len(names):
        raise ValueError("usage needs one column per capacity")
    if caps.complaint_cap is not None:
        usage = sparse.hstack([usage, sparse.csr_array(c.complaint[:, None])], format="csr")
        limits, names = np.append(limits, caps.complaint_cap), (*names, COMPLAINTS)
    usage = sparse.csr_array(usage)
    value = c.value
    coo = usage.tocoo()
    over = coo.row[coo.data > limits[coo.col] + _tolerance(limits)[coo.col]]
    keep = value > 0
    keep[over] = False
    index = np.flatnonzero(keep).astype(np.int64)
    index = index[np.argsort(c.account[index], kind="stable")]
    kept_usage = sparse.csr_array(usage[index]) if len(index) else sparse.csr_array((0, len(names)))
    return _Problem(
        index,
        c.account[index].astype(np.int64),
        value[index],
        kept_usage,
        limits,
        names,
        _greedy_order(value[index], kept_usage, limits),
    )


def _tolerance(limits: Floats) -> Floats:
    return 1e-9 * np.maximum(1.0, np.abs(limits))


def _greedy_order(value: Floats, usage: sparse.csr_array, limits: Floats) -> Ints:
    """Candidates by value per weighted resource (weight 1/C_r), best first; those using no
    resource first, by value; ties by position, so the order is deterministic."""
    weights = np.where(limits > 0, 1.0 / np.where(limits > 0, limits, 1.0), 0.0)
    load = usage @ weights
    with np.errstate(divide="ignore"):
        density = np.where(load > 0, value / np.where(load > 0, load, 1.0), np.inf)
    return np.lexsort((np.arange(len(value)), -value, -density)).astype(np.int64)


def _fill(p: _Problem, taken: Ints) -> Ints:
    """Greedy from a starting choice (candidate positions in ``p``): walk the greedy order,
    taking each candidate whose account is still free and which fits what is left.

    Done a window at a time: within a window the free, fitting first candidate of each
    account are taken up to the first one that no longer fits in the running total; that
    one is skipped (capacity only shrinks) and the walk resumes after it. This is the same
    choice as one candidate at a time.
    """
    remaining = (
        p.limits - np.asarray(p.usage[taken].sum(axis=0)).ravel() if len(taken) else p.limits.copy()
    )
    tol = _tolerance(p.limits)
    free = np.ones(int(p.account.max(initial=-1)) + 1, dtype=bool)
    free[p.account[taken]] = False
    chosen = [taken]
    start, n = 0, len(p.order)
    while start < n:
        window = p.order[start : start + _WINDOW]
        sub = p.usage[window].tocoo()
        fits = free[p.account[window]]
        fits[sub.row[sub.data > remaining[sub.col] + tol[sub.col]]] = False
        rows = np.flatnonzero(fits)
        _, first = np.unique(p.account[window[rows]], return_index=True)
        rows = np.sort(rows[first])
        if len(rows) == 0:
            start += len(window)
            continue
        sub = p.usage[window[rows]].tocoo()
        stop = _first_overflow(sub, remaining + tol, len(rows))
        took = window[rows[:stop]]
        chosen.append(took)
        free[p.account[took]] = False
        used = sub.row < stop
        remaining = remaining - np.bincount(sub.col[used], sub.data[used], len(remaining))
        start += len(window) if stop == len(rows) else int(rows[stop]) + 1
    return np.concatenate(chosen).astype(np.int64)


def _first_overflow(sub: sparse.coo_array, room: Floats, n: int) -> int:
    """The first row whose running total (rows in order) exceeds ``room`` in some column,
    or ``n`` when none does."""
    if sub.nnz == 0:
        return n
    order = np.lexsort((sub.row, sub.col))
    col, row, data = sub.col[order], sub.row[order], sub.data[order]
    running = np.cumsum(data)
    starts = np.flatnonzero(np.r_[True, col[1:] != col[:-1]])
    before = np.repeat(np.r_[0.0, running[starts[1:] - 1]], np.diff(np.r_[starts, len(col)]))
    over = (running - before) > room[col]
    return int(row[over].min()) if over.any() else n


def _rounded(p: _Problem, x: Floats) -> tuple[Ints, int]:
    """The LP's integral part (accounts it split go to nothing), kept within capacity; and
    how many accounts were split."""
    whole = np.flatnonzero(x > 1 - _INTEGRAL).astype(np.int64)
    split = np.unique(p.account[(x > _INTEGRAL) & (x <= 1 - _INTEGRAL)])
    whole = whole[~np.isin(p.account[whole], split)]
    return _within_capacity(p, whole), len(split)


def _within_capacity(p: _Problem, chosen: Ints) -> Ints:
    """Drop the least dense chosen candidates until the choice fits (a solver's rounding
    may overshoot a capacity by its tolerance)."""
    rank = np.empty(len(p.order), dtype=np.int64)
    rank[p.order] = np.arange(len(p.order))
    chosen = chosen[np.argsort(rank[chosen])]
    while len(chosen):
        used = np.asarray(p.usage[chosen].sum(axis=0)).ravel()
        over = used > p.limits + _tolerance(p.limits)
        if not over.any():
            break
        uses = np.asarray((p.usage[chosen][:, np.flatnonzero(over)] > 0).sum(axis=1)).ravel()
        chosen = np.delete(chosen, np.flatnonzero(uses)[-1])
    return chosen


def _mip(p: _Problem, time_limit: float | None) -> Ints | None:
    k = len(p.value)
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    rows, accounts = np.unique(p.account, return_inverse=True)
    one_each = sparse.csr_array((np.ones(k), (accounts, np.arange(k))), shape=(len(rows), k))
    a = sparse.vstack([one_each, p.usage.T], format="csr")
    b = np.r_[np.ones(len(rows)), p.limits]
    options = {} if time_limit is None else {"time_limit": time_limit}
    res = milp(
        -p.value,
        integrality=np.ones(k),
        bounds=(0, 1),
        constraints=LinearConstraint(a, -np.inf, b),
        options=options,
    )
    if res.x is None:
        return None
    return _within_capacity(p, np.flatnonzero(np.asarray(res.x) > 0.5).astype(np.int64))


def greedy_baseline(candidates: Candidates, capacities: Capacities) -> tuple[Ints, float]:
    """The greedy baseline alone: per account its chosen candidate (−1 for nothing), and
    Σ (gain − cost) of the choice."""
    p = _problem(candidates, capacities)
    pick = _fill(p, np.zeros(0, dtype=np.int64))
    chosen = np.full(candidates.n_accounts, -1, dtype=np.int64)
    chosen[p.account[pick]] = p.index[pick]
    return chosen, float(p.value[pick].sum())


def optimise(
    candidates: Candidates,
    capacities: Capacities,
    *,
    mip: bool = False,
    time_limit: float | None = None,
) -> Assignment:
    """At most one candidate per account, for the most Σ (gain − cost) within capacity.

    Candidates worth nothing (gain ≤ cost) or needing more of a resource than there is are
    never chosen. ``mip`` also runs HiGHS's branch and bound (``time_limit`` seconds at
    most); the LP is always solved, for the bound and the shadow prices.
    """
    p = _problem(candidates, capacities)
    lp = solve_relaxation(p.account, p.value, p.usage, p.limits)
    x, bound, prices = lp.x, lp.bound, lp.prices
    rounded, split = _rounded(p, x)
    solver = _fill(p, rounded)
    greedy = _fill(p, np.zeros(0, dtype=np.int64))
    tried = [("lp", solver), ("greedy", greedy)]
    if mip:
        exact = _mip(p, time_limit)
        if exact is not None:
            tried.insert(0, ("mip", _fill(p, exact)))
    worth = {name: float(p.value[pick].sum()) for name, pick in tried}
    method, pick = max(tried, key=lambda t: worth[t[0]])  # first of equals: the solver's
    chosen = np.full(candidates.n_accounts, -1, dtype=np.int64)
    chosen[p.account[pick]] = p.index[pick]
    solver_name = "mip" if "mip" in worth and worth["mip"] >= worth["lp"] else "lp"
    return Assignment(
        chosen=chosen,
        objective=worth[method],
        method=method,
        solver_objective=worth[solver_name],
        greedy_objective=worth["greedy"],
        lp_bound=bound,
        names=p.names,
        limits=p.limits,
        used=np.asarray(p.usage[pick].sum(axis=0)).ravel() if len(pick) else np.zeros(len(p.names)),
        shadow_prices=prices,
        fractional_accounts=split,
    )
