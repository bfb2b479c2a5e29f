"""The optimiser's LP relaxation, solved through its dual over the capacity rows.

The relaxation of "at most one candidate per account, within capacities" has one row per
account and only R capacity rows coupling them. Its Lagrangian dual is a convex, piecewise
linear function of R prices λ ≥ 0::

    L(λ) = Σ_i max(0, max_{j of i} (v_j − λ·u_j)) + λ·C

whose minimum is the LP optimum. ``L`` at any λ is an upper bound on every choice, and one
evaluation is a vectorised pass over the candidates, so λ is found by a cutting-plane
method (Kelley's with a box step; each master problem is an LP in R + 1 variables, solved by
HiGHS). At the
best λ every account with a single best candidate takes it; the few accounts with ties are
settled by HiGHS on the capacity they leave (complementary slackness: only candidates of zero
reduced value can be used). When the prices are not close enough for that, HiGHS solves the
whole relaxation instead. Either way the primal solution is a vertex of its LP, with at most R
accounts split.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from scipy.optimize import linprog

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
_MAX_CUTS = 400


@dataclass(frozen=True, slots=True)
class Relaxation:
    """The LP relaxation's primal ``x`` (per candidate), its bound (an upper bound on any
    choice; the LP optimum up to the solver's tolerance) and the capacity rows' prices."""

    x: Floats
    bound: float
    prices: Floats


@dataclass(frozen=True, slots=True)
class _Dual:
    value: float
    best: Floats  # per account, max(0, best reduced value)
    pick: Ints  # per account, its best candidate (position), −1 when none is positive
    slope: Floats  # a subgradient of L at λ


@dataclass(frozen=True, slots=True)
class _Layout:
    """The candidates grouped by account (sorted), with the usage both ways round."""

    value: Floats
    usage: sparse.csr_array  # M × R
    by_resource: sparse.csr_array  # R × M
    starts: Ints  # first position of each account
    group: Ints  # per candidate, its account's number
    limits: Floats


def _layout(account: Ints, value: Floats, usage: sparse.csr_array, limits: Floats) -> _Layout:
    starts = np.flatnonzero(np.r_[True, account[1:] != account[:-1]]).astype(np.int64)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(value)]))
    return _Layout(value, usage, sparse.csr_array(usage.T), starts, group, limits)


def _evaluate(lam: Floats, t: _Layout) -> _Dual:
    reduced = t.value - t.usage @ lam
    best = np.maximum.reduceat(reduced, t.starts)
    at_best = np.flatnonzero(reduced >= best[t.group])
    first = at_best[np.r_[True, t.group[at_best][1:] != t.group[at_best][:-1]]]
    positive = best > 0
    taken = np.zeros(len(t.value))
    taken[first[positive]] = 1.0
    best = np.maximum(best, 0.0)
    return _Dual(
        float(best.sum() + lam @ t.limits),
        best,
        np.where(positive, first, -1),
        t.limits - t.by_resource @ taken,
    )


def _ceiling(value: Floats, usage: sparse.csr_array, limits: Floats) -> Floats:
    """Above these prices no candidate using the resource is worth anything: L only grows."""
    coo = usage.tocoo()
    ratio = np.zeros(len(limits))
    if coo.nnz:
        np.maximum.at(ratio, coo.col, np.maximum(value[coo.row], 0) / coo.data)
    return ratio


def _prices(t: _Layout) -> tuple[Floats, _Dual]:
    """Cutting planes on L with a box step (Marsten's): each master problem looks for λ only
    within a box around the best λ so far, which doubles after a step that pays and halves
    after one that does not. When the cuts promise no gain inside the box, the best λ is
    optimal (L is convex and the box is a neighbourhood of it)."""
    r = len(t.limits)
    top = _ceiling(t.value, t.usage, t.limits)
    center = np.zeros(r)
    best = _evaluate(center, t)
    reach = np.maximum(top, 1e-12) / 4
    cuts_a: list[Floats] = []
    cuts_b: list[float] = []
    lam, current = center, best
    scale = max(1.0, abs(best.value))
    for _ in range(_MAX_CUTS):
        # t ≥ L_k + g_k·(λ − λ_k)   ⇔   g_k·λ − t ≤ g_k·λ_k − L_k
        cuts_a.append(np.r_[current.slope, -1.0])
        cuts_b.append(float(current.slope @ lam - current.value))
        low, high = np.maximum(center - reach, 0.0), np.minimum(center + reach, top)
        res = linprog(
            np.r_[np.zeros(r), 1.0],
            A_ub=np.array(cuts_a),
            b_ub=np.array(cuts_b),
            bounds=[*zip(low.tolist(), high.tolist(), strict=True), (None, None)],
            method="highs",
        )
        if res.status != 0:
            break
        promised = best.value - float(res.fun)
        if promised <= 1e-7 * scale:
            break
        lam = np.asarray(res.x[:r])
        current = _evaluate(lam, t)
        if best.value - current.value >= 0.1 * promised:
            center, best = lam, current
            reach = np.minimum(reach * 2, np.maximum(top, 1e-12))
        else:
            reach = reach / 2
    return center, best


def _vertex(
    account: Ints, value: Floats, usage: sparse.csr_array, limits: Floats, columns: Ints
) -> tuple[Floats, Floats] | None:
    """HiGHS on the relaxation restricted to ``columns``: x over them and the capacity rows'
    prices, or None when it fails (e.g. no room left)."""
    k = len(columns)
    if k == 0:
        return (np.zeros(0), np.zeros(len(limits))) if np.all(limits >= 0) else None
    _, rows = np.unique(account[columns], return_inverse=True)
    one_each = sparse.csr_array((np.ones(k), (rows, np.arange(k))), shape=(int(rows.max()) + 1, k))
    a = sparse.vstack([one_each, usage[columns].T], format="csr")
    b = np.r_[np.ones(one_each.shape[0]), limits]
    res = linprog(-value[columns], A_ub=a, b_ub=b, bounds=(0, 1), method="highs")
    if res.status != 0:
        return None
    prices = -np.asarray(res.ineqlin.marginals)[one_each.shape[0] :]
    return np.asarray(res.x), np.maximum(prices, 0.0)


def _can_bind(account: Ints, usage: sparse.csr_array, limits: Floats) -> NDArray[np.bool_]:
    """The capacity rows some choice could overrun: the rest (even if every account took its
    most demanding candidate the row would hold) are redundant, with a price of 0."""
    coo = usage.tocoo()
    if coo.nnz == 0:
        return np.zeros(len(limits), dtype=bool)
    key = account[coo.row] * len(limits) + coo.col
    order = np.argsort(key, kind="stable")
    key, data = key[order], coo.data[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    most = np.maximum.reduceat(data, starts)
    demand = np.bincount(key[starts] % len(limits), most, len(limits))
    return demand > limits * (1 + 1e-12)


def solve_relaxation(
    account: Ints, value: Floats, usage: sparse.csr_array, limits: Floats
) -> Relaxation:
    """The LP relaxation of candidates sorted by ``account`` (``value`` > 0 each)."""
    m, r = len(value), len(limits)
    if m == 0:
        return Relaxation(np.zeros(0), 0.0, np.zeros(r))
    rows = _can_bind(account, usage, limits)
    if not rows.all():
        inner = _relaxation(account, value, sparse.csr_array(usage[:, rows]), limits[rows])
        prices = np.zeros(r)
        prices[rows] = inner.prices
        return Relaxation(inner.x, inner.bound, prices)
    return _relaxation(account, value, usage, limits)


def _relaxation(
    account: Ints, value: Floats, usage: sparse.csr_array, limits: Floats
) -> Relaxation:
    m = len(value)
    layout = _layout(account, value, usage, limits)
    starts, group = layout.starts, layout.group
    lam, dual = _prices(layout)
    reduced = value - usage @ lam
    best = np.maximum(dual.best, 0.0)[group]
    scale = max(1.0, float(np.abs(value).max()))
    for tie in (1e-7 * scale, 1e-4 * scale, 1e-2 * scale, 0.1 * scale):
        # Accounts with one candidate clearly best take it; the rest go to HiGHS, with their
        # candidates within ``tie`` of their best. Wider ties when the settled ones overrun.
        near = reduced >= best - tie
        count = np.add.reduceat(near.astype(np.int64), starts)
        settled = (count[group] == 1) & near & (reduced > tie)
        room = limits - layout.by_resource @ settled.astype(np.float64)
        if np.any(room < -1e-9 * np.maximum(1.0, limits)):
            continue
        columns = np.flatnonzero(near & ~settled).astype(np.int64)
        solved = _vertex(account, value, usage, np.maximum(room, 0.0), columns)
        if solved is not None:
            x = settled.astype(np.float64)
            x[columns] = solved[0]
            return Relaxation(x, max(dual.value, float(value @ x)), lam)
    whole = _vertex(account, value, usage, limits, np.arange(m, dtype=np.int64))
    if whole is None:
        raise RuntimeError("HiGHS could not solve the optimiser's LP relaxation")
    return Relaxation(whole[0], float(value @ whole[0]), whole[1])
