"""The optimiser against independent oracles: brute-force enumeration, a one-at-a-time
greedy, SciPy's LP on the whole relaxation, and shadow prices worked out by hand."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.optimize import linprog

from duecourse.strategy import optimiser
from duecourse.strategy.optimiser import Candidates, Capacities, greedy_baseline, optimise
from duecourse.strategy.relaxation import solve_relaxation

TOL = 1e-6


@dataclass(frozen=True)
class Instance:
    """Every (account, action) pair, whether the rule pack allows it, and the capacities."""

    n_accounts: int
    account: list[int]
    action: list[int]
    allowed: list[bool]
    gain: list[float]
    cost: list[float]
    complaint: list[float]
    usage: list[list[float]]  # per pair, per resource
    limits: list[float]
    complaint_cap: float | None

    def candidates(self) -> tuple[Candidates, list[int]]:
        """The allowed pairs as the optimiser's input, and their positions among all pairs."""
        keep = [i for i, a in enumerate(self.allowed) if a]
        r = len(self.limits)
        usage = np.array([self.usage[i] for i in keep], dtype=float).reshape(len(keep), r)
        return (
            Candidates(
                account=np.array([self.account[i] for i in keep], dtype=np.int64),
                action=np.array([self.action[i] for i in keep], dtype=np.int64),
                gain=np.array([self.gain[i] for i in keep], dtype=float),
                cost=np.array([self.cost[i] for i in keep], dtype=float),
                complaint=np.array([self.complaint[i] for i in keep], dtype=float),
                usage=sparse.csr_array(usage),
                n_accounts=self.n_accounts,
            ),
            keep,
        )

    def capacities(self) -> Capacities:
        names = tuple(f"r{k}" for k in range(len(self.limits)))
        return Capacities(names, np.array(self.limits, dtype=float), self.complaint_cap)


@st.composite
def instances(draw: st.DrawFn, max_accounts: int = 5, max_actions: int = 3) -> Instance:
    n = draw(st.integers(1, max_accounts))
    r = draw(st.integers(1, 3))
    pairs = [(i, a) for i in range(n) for a in range(draw(st.integers(0, max_actions)))]
    money = st.integers(0, 2_000).map(float)
    return Instance(
        n_accounts=n,
        account=[i for i, _ in pairs],
        action=[a for _, a in pairs],
        allowed=[draw(st.booleans()) or draw(st.booleans()) for _ in pairs],
        gain=[draw(money) for _ in pairs],
        cost=[draw(st.integers(0, 800).map(float)) for _ in pairs],
        complaint=[draw(st.integers(0, 30)) / 100 for _ in pairs],
        usage=[[float(draw(st.integers(0, 3))) for _ in range(r)] for _ in pairs],
        limits=[float(draw(st.integers(0, 6))) for _ in range(r)],
        complaint_cap=draw(st.one_of(st.none(), st.integers(0, 60).map(lambda q: q / 100))),
    )


def rows_used(inst: Instance) -> tuple[list[list[float]], list[float]]:
    """Per pair, what it uses of every capacity row (complaints last when capped)."""
    if inst.complaint_cap is None:
        return inst.usage, inst.limits
    used = [[*u, q] for u, q in zip(inst.usage, inst.complaint, strict=True)]
    return used, [*inst.limits, inst.complaint_cap]


def feasible(inst: Instance, picks: list[int]) -> bool:
    used, limits = rows_used(inst)
    totals = [sum(used[j][k] for j in picks) for k in range(len(limits))]
    return all(t <= c + TOL for t, c in zip(totals, limits, strict=True))


def brute_force(inst: Instance) -> float:
    """The best objective over every choice of at most one allowed pair per account."""
    per_account: list[list[int | None]] = [[None] for _ in range(inst.n_accounts)]
    for j, i in enumerate(inst.account):
        if inst.allowed[j]:
            per_account[i].append(j)
    best = 0.0
    for combo in itertools.product(*per_account):
        picks = [j for j in combo if j is not None]
        if feasible(inst, picks):
            best = max(best, sum(inst.gain[j] - inst.cost[j] for j in picks))
    return best


def sequential_greedy(inst: Instance) -> float:
    """Pairs by value per weighted resource (1/limit), one at a time, each taken when its
    account is free and it fits."""
    used, limits = rows_used(inst)
    pairs = [j for j, a in enumerate(inst.allowed) if a and inst.gain[j] > inst.cost[j]]
    weights = [1 / c if c > 0 else 0.0 for c in limits]

    def key(j: int) -> tuple[float, float, int]:
        load = sum(u * w for u, w in zip(used[j], weights, strict=True))
        value = inst.gain[j] - inst.cost[j]
        return (-(value / load) if load > 0 else -np.inf, -value, j)

    left, free, total = list(limits), set(range(inst.n_accounts)), 0.0
    for j in sorted(pairs, key=key):
        fits = all(u <= c + TOL for u, c in zip(used[j], left, strict=True))
        if inst.account[j] in free and fits:
            free.discard(inst.account[j])
            left = [c - u for c, u in zip(left, used[j], strict=True)]
            total += inst.gain[j] - inst.cost[j]
    return total


def lp_optimum(inst: Instance) -> float:
    """SciPy's HiGHS on the relaxation written out directly, without the pairs that need
    more of a resource than there is (no choice can use them; the LP could use a part)."""
    used, limits = rows_used(inst)
    pairs = [
        j
        for j, a in enumerate(inst.allowed)
        if a and all(u <= c for u, c in zip(used[j], limits, strict=True))
    ]
    if not pairs:
        return 0.0
    rows = [[1.0 if inst.account[j] == i else 0.0 for j in pairs] for i in range(inst.n_accounts)]
    rows += [[used[j][k] for j in pairs] for k in range(len(limits))]
    res = linprog(
        [-(inst.gain[j] - inst.cost[j]) for j in pairs],
        A_ub=rows,
        b_ub=[1.0] * inst.n_accounts + list(limits),
        bounds=(0, 1),
        method="highs",
    )
    assert res.status == 0
    return float(-res.fun)


def check_choice(inst: Instance, mip: bool = False) -> tuple[float, float]:
    """The invariants of one run; returns its objective and the brute-force optimum."""
    candidates, positions = inst.candidates()
    result = optimise(candidates, inst.capacities(), mip=mip)
    assert result.chosen.shape == (inst.n_accounts,)
    picks = []
    for account, c in enumerate(result.chosen):
        if c < 0:
            continue
        pair = positions[int(c)]
        assert inst.allowed[pair], "a blocked action was chosen"
        assert inst.account[pair] == account, "a candidate was given to another account"
        picks.append(pair)
    assert len({inst.account[j] for j in picks}) == len(picks)  # at most one per account
    assert feasible(inst, picks), "a capacity was exceeded"
    value = sum(inst.gain[j] - inst.cost[j] for j in picks)
    assert result.objective == pytest.approx(value, abs=TOL)
    optimum = brute_force(inst)
    bound = lp_optimum(inst)
    greedy = sequential_greedy(inst)
    assert result.greedy_objective == pytest.approx(greedy, abs=TOL)  # windows = one at a time
    assert result.objective >= greedy - TOL
    assert result.objective >= result.greedy_objective - TOL
    assert result.objective <= optimum + TOL
    assert optimum <= result.lp_bound + 1e-4 * max(1.0, bound)
    assert result.lp_bound == pytest.approx(bound, rel=1e-6, abs=1e-3)
    values = [inst.gain[j] - inst.cost[j] for j in positions]
    rows = len(result.names)
    assert result.objective >= bound - rows * max([0.0, *values]) - TOL
    assert result.fractional_accounts <= rows
    return result.objective, optimum


@settings(max_examples=150, deadline=None)
@given(instances())
def test_optimiser_respects_capacities_candidates_and_bounds(inst: Instance) -> None:
    check_choice(inst)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_branch_and_bound_finds_the_brute_force_optimum(inst: Instance) -> None:
    objective, optimum = check_choice(inst, mip=True)
    assert objective == pytest.approx(optimum, abs=TOL)


@settings(max_examples=120, deadline=None)
@given(instances(max_accounts=40, max_actions=4), st.integers(1, 10))
def test_column_generation_reaches_the_whole_relaxation(inst: Instance, sample: int) -> None:
    # The decomposition (prices from a sample, candidates far from best left out, added back
    # when the prices say so) forced on small instances: the LP optimum written out whole,
    # a feasible x worth it, and at most one split account per capacity row.
    candidates, _ = inst.candidates()
    p = optimiser._problem(candidates, inst.capacities())
    lp = solve_relaxation(p.account, p.value, p.usage, p.limits, direct_accounts=0, sample=sample)
    bound = lp_optimum(inst)
    assert lp.bound == pytest.approx(bound, rel=1e-6, abs=1e-3)
    assert float(p.value @ lp.x) == pytest.approx(bound, rel=1e-6, abs=1e-3)
    assert np.all(lp.x >= -TOL) and np.all(lp.x <= 1 + TOL)
    per_account = np.bincount(p.account, lp.x, minlength=inst.n_accounts)
    assert np.all(per_account <= 1 + TOL)
    assert np.all(p.usage.T @ lp.x <= p.limits + TOL)
    split = np.unique(p.account[(lp.x > 1e-6) & (lp.x < 1 - 1e-6)])
    assert len(split) <= len(p.limits)
    assert np.all(lp.prices >= 0)


def _hand(values: list[float], units: list[float], accounts: list[int]) -> Candidates:
    n = len(values)
    return Candidates(
        account=np.array(accounts, dtype=np.int64),
        action=np.zeros(n, dtype=np.int64),
        gain=np.array(values, dtype=float),
        cost=np.zeros(n),
        complaint=np.zeros(n),
        usage=sparse.csr_array(np.array(units, dtype=float).reshape(n, 1)),
        n_accounts=max(accounts) + 1,
    )


def test_shadow_price_is_the_marginal_accounts_value_per_unit() -> None:
    # Three agent calls worth 100, 80 and 50 fen, 2 minutes each, 5 minutes of agents: the
    # LP takes the first two and half the third, so one more minute is worth 50 / 2 = 25.
    candidates = _hand([100, 80, 50], [2, 2, 2], [0, 1, 2])
    result = optimise(candidates, Capacities(("agent_minutes",), np.array([5.0])))
    assert result.shadow_prices[0] == pytest.approx(25.0)
    assert result.lp_bound == pytest.approx(100 + 80 + 25)
    assert result.objective == pytest.approx(180.0)
    assert list(result.chosen) == [0, 1, -1]
    assert result.binding() == ("agent_minutes",)


def test_shadow_price_of_an_upgrade() -> None:
    # A: SMS worth 30 (no agent) or a call worth 100; B: a call worth 90; C: SMS 60 or a call
    # 70. One call uses one unit; 1.5 units. A unit given to B adds 90, to A 70 (100 − 30),
    # to C 10: B gets a whole one, A half, so one more unit is worth 70.
    candidates = Candidates(
        account=np.array([0, 0, 1, 2, 2], dtype=np.int64),
        action=np.array([0, 1, 1, 0, 1], dtype=np.int64),
        gain=np.array([30.0, 100, 90, 60, 70]),
        cost=np.zeros(5),
        complaint=np.zeros(5),
        usage=sparse.csr_array(np.array([[0.0], [1], [1], [0], [1]])),
        n_accounts=3,
    )
    result = optimise(candidates, Capacities(("agent_calls",), np.array([1.5])))
    assert result.shadow_prices[0] == pytest.approx(70.0)
    assert result.lp_bound == pytest.approx(90 + 30 + 0.5 * 70 + 60)
    assert list(result.chosen) == [0, 2, 3]  # B calls, A and C get an SMS
    assert result.objective == pytest.approx(180.0)


def test_a_slack_capacity_is_worth_nothing() -> None:
    candidates = _hand([100, 80], [2, 2], [0, 1])
    result = optimise(candidates, Capacities(("agent_minutes",), np.array([10.0])))
    assert result.shadow_prices[0] == pytest.approx(0.0)
    assert result.binding() == ()
    assert result.objective == pytest.approx(180.0)


def test_complaint_cap_is_a_capacity_row() -> None:
    # Two calls worth 100 and 90 with complaint probabilities 0.3 and 0.1; at most 0.35
    # complaints expected: the LP takes 90 and 5/6 of 100, so a complaint is worth 100/0.3.
    candidates = Candidates(
        account=np.array([0, 1], dtype=np.int64),
        action=np.zeros(2, dtype=np.int64),
        gain=np.array([100.0, 90]),
        cost=np.zeros(2),
        complaint=np.array([0.3, 0.1]),
        usage=sparse.csr_array((2, 0)),
        n_accounts=2,
    )
    result = optimise(candidates, Capacities((), np.zeros(0), complaint_cap=0.35))
    assert result.names == ("complaints",)
    assert result.shadow_prices[0] == pytest.approx(100 / 0.3)
    # The greedy takes the denser 90 first and the rounded LP keeps it; 100 alone is better,
    # and branch and bound finds it.
    assert result.objective == pytest.approx(90.0)
    assert result.used[0] == pytest.approx(0.1)
    exact = optimise(candidates, Capacities((), np.zeros(0), complaint_cap=0.35), mip=True)
    assert (exact.method, exact.objective, exact.solver_objective) == ("mip", 100.0, 100.0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="one entry per candidate"):
        Candidates(
            np.zeros(2, dtype=np.int64),
            np.zeros(1, dtype=np.int64),
            np.zeros(2),
            np.zeros(2),
            np.zeros(2),
            sparse.csr_array((2, 1)),
            1,
        )
    with pytest.raises(ValueError, match="negative"):
        Capacities(("a",), np.array([-1.0]))


@settings(max_examples=100, deadline=None)
@given(instances(max_accounts=6, max_actions=4), st.integers(1, 4))
def test_the_greedy_walked_in_small_windows_is_the_one_at_a_time_greedy(
    inst: Instance, window: int
) -> None:
    candidates, _ = inst.candidates()
    saved = optimiser._WINDOW
    optimiser._WINDOW = window
    try:
        _, value = greedy_baseline(candidates, inst.capacities())
    finally:
        optimiser._WINDOW = saved
    assert value == pytest.approx(sequential_greedy(inst), abs=TOL)
