"""Calibration of the monthly delinquency chain: counts, cleaning, smoothing, ever-late shares.

An account is observed as one or more *chains*: runs of consecutive months, oldest first, each
month a state index into ``STATES`` (0 = current, 1..3 months late, 4 = four or more). A gap in
the months starts a new chain, so no transition spans a missing month.

Cleaning is the structural cap ``s_t := min(s_t, s_{t-1} + 1)`` along each chain, where
``s_{t-1}`` is the already capped state: a day-by-day engine cannot roll more than one month per
month. Smoothing shrinks each sparse row (fewer than ``sparse_below`` transitions) toward a prior
row with a Dirichlet prior of ``strength`` pseudo-counts: ``p_ij = (n_ij + k q_ij) / (n_i + k)``.
The prior of a segment is the pooled result's ``matrix``; the pooled result has nothing wider to
borrow from, so its prior is its own cleaned row (its sparse rows keep their estimate) and a row
with no transitions at all stays where it is (the identity row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

STATES = ("current", "1", "2", "3", "4+")
EVER_LATE = {"1+": 1, "2+": 2, "3+": 3}
SPARSE_BELOW = 1_000
PRIOR_STRENGTH = 100

Chain = tuple[int, ...]
Counts = tuple[tuple[int, ...], ...]
Matrix = tuple[tuple[float, ...], ...]


def state_of(months_late: int) -> int:
    """The state index of a number of months late (<= 0 is current, >= 4 is "4+")."""
    return min(max(months_late, 0), len(STATES) - 1)


@dataclass(frozen=True, slots=True)
class Account:
    """One account's observed chains (consecutive months, oldest first) and its segment."""

    chains: tuple[Chain, ...]
    segment: str | None = None


def cap_chain(chain: Sequence[int]) -> Chain:
    """The chain with the structural cap applied month by month: never up by more than one."""
    capped: list[int] = []
    for state in chain:
        capped.append(min(state, capped[-1] + 1) if capped else state)
    return tuple(capped)


def count_transitions(chains: Iterable[Sequence[int]]) -> Counts:
    """``counts[i][j]``: the number of months that went from state i to state j."""
    size = len(STATES)
    counts = [[0] * size for _ in range(size)]
    for chain in chains:
        for before, after in pairwise(chain):
            counts[before][after] += 1
    return tuple(tuple(row) for row in counts)


def row_matrix(counts: Counts) -> Matrix:
    """Each row divided by its total; a row with no transitions is all zeros."""
    return tuple(
        tuple(n / total for n in row) if (total := sum(row)) else tuple(0.0 for _ in row)
        for row in counts
    )


def smooth(counts: Counts, prior: Matrix, sparse_below: int, strength: float) -> Matrix:
    """Rows with at least ``sparse_below`` transitions as measured; the others shrunk toward
    ``prior``'s row with ``strength`` pseudo-counts. Every row sums to 1 when ``prior``'s do."""
    rows = []
    for row, prior_row in zip(counts, prior, strict=True):
        total = sum(row)
        if total >= sparse_below:
            rows.append(tuple(n / total for n in row))
        elif total == 0:
            rows.append(tuple(prior_row))
        else:
            rows.append(
                tuple(
                    (n + strength * q) / (total + strength)
                    for n, q in zip(row, prior_row, strict=True)
                )
            )
    return tuple(rows)


def self_prior(matrix: Matrix) -> Matrix:
    """The pooled result's prior: its own rows, and the identity row where a row is empty."""
    return tuple(
        row if sum(row) > 0 else tuple(1.0 if j == i else 0.0 for j in range(len(row)))
        for i, row in enumerate(matrix)
    )


def ever_late(accounts: Sequence[Sequence[Sequence[int]]]) -> dict[str, float]:
    """The share of accounts ever at or above 1, 2 and 3 months late in any observed month."""
    if not accounts:
        return dict.fromkeys(EVER_LATE, 0.0)
    worst = [max((max(chain) for chain in chains if chain), default=0) for chains in accounts]
    return {key: sum(w >= floor for w in worst) / len(worst) for key, floor in EVER_LATE.items()}


@dataclass(frozen=True, slots=True)
class Calibration:
    """One population's calibration (the pooled result, or one segment)."""

    accounts: int
    transitions: int
    raw_counts: Counts
    cleaned_counts: Counts
    matrix: Matrix
    sparse_rows: tuple[str, ...]
    raw_ever_late: Mapping[str, float]
    ever_late: Mapping[str, float]
    capped_months: int
    sparse_below: int
    prior_strength: float

    def as_dict(self) -> dict[str, Any]:
        """The ``calibrate --json`` shape of this population (``states`` is added by the
        caller at the top level)."""
        return {
            "accounts": self.accounts,
            "transitions": self.transitions,
            "raw": {
                "counts": [list(r) for r in self.raw_counts],
                "matrix": [list(r) for r in row_matrix(self.raw_counts)],
                "n": [sum(r) for r in self.raw_counts],
                "ever_late": dict(self.raw_ever_late),
            },
            "cleaned": {
                "counts": [list(r) for r in self.cleaned_counts],
                "matrix": [list(r) for r in row_matrix(self.cleaned_counts)],
                "n": [sum(r) for r in self.cleaned_counts],
                "sparse_rows": list(self.sparse_rows),
                "capped_months": self.capped_months,
            },
            "matrix": [list(r) for r in self.matrix],
            "ever_late": dict(self.ever_late),
        }


def calibrate(
    accounts: Sequence[Account],
    prior: Matrix | None = None,
    sparse_below: int = SPARSE_BELOW,
    strength: float = PRIOR_STRENGTH,
) -> Calibration:
    """Calibrate ``accounts``; sparse rows shrink toward ``prior`` (default: the pooled rule,
    see the module docstring)."""
    raw = [a.chains for a in accounts]
    cleaned = [tuple(cap_chain(c) for c in chains) for chains in raw]
    raw_counts = count_transitions(c for chains in raw for c in chains)
    cleaned_counts = count_transitions(c for chains in cleaned for c in chains)
    # Shrinking a row toward itself changes nothing: the pooled rows are taken as measured
    # (weight 0 on the prior), which also keeps them bit-for-bit equal to ``cleaned``'s.
    base = prior if prior is not None else self_prior(row_matrix(cleaned_counts))
    weight = strength if prior is not None else 0.0
    capped = sum(
        b != a
        for before, after in zip(raw, cleaned, strict=True)
        for chain_b, chain_a in zip(before, after, strict=True)
        for b, a in zip(chain_b, chain_a, strict=True)
    )
    return Calibration(
        accounts=len(accounts),
        transitions=sum(sum(r) for r in raw_counts),
        raw_counts=raw_counts,
        cleaned_counts=cleaned_counts,
        matrix=smooth(cleaned_counts, base, sparse_below, weight),
        sparse_rows=tuple(
            s for s, r in zip(STATES, cleaned_counts, strict=True) if sum(r) < sparse_below
        ),
        raw_ever_late=ever_late(raw),
        ever_late=ever_late(cleaned),
        capped_months=capped,
        sparse_below=sparse_below,
        prior_strength=strength,
    )


def calibrate_all(
    accounts: Sequence[Account],
    sparse_below: int = SPARSE_BELOW,
    strength: float = PRIOR_STRENGTH,
) -> tuple[Calibration, Mapping[str, Calibration]]:
    """The pooled calibration, and one per segment (by name; empty when no account has one)
    whose sparse rows shrink toward the pooled ``matrix``."""
    pooled = calibrate(accounts, None, sparse_below, strength)
    by_segment: dict[str, list[Account]] = {}
    for account in accounts:
        if account.segment is not None:
            by_segment.setdefault(account.segment, []).append(account)
    segments = {
        name: calibrate(members, pooled.matrix, sparse_below, strength)
        for name, members in sorted(by_segment.items())
    }
    return pooled, segments


def calibration_json(pooled: Calibration, segments: Mapping[str, Calibration]) -> dict[str, Any]:
    """The whole ``calibrate --json`` document; ``segments`` only when there are segments."""
    out: dict[str, Any] = {"states": list(STATES), **pooled.as_dict()}
    out["smoothing"] = {
        "sparse_below": pooled.sparse_below,
        "prior_strength": pooled.prior_strength,
        "pooled_prior": "own cleaned rows; identity where a row is empty",
        "segment_prior": "the pooled matrix",
    }
    if segments:
        out["segments"] = {name: c.as_dict() for name, c in segments.items()}
    return out


def matrices_by_step(
    accounts: Sequence[Account],
    pooled: Matrix,
    sparse_below: int = SPARSE_BELOW,
    strength: float = PRIOR_STRENGTH,
) -> tuple[Matrix, ...]:
    """One matrix per transition step along the cleaned chains (step 0: first month to
    second; on the UCI file, April→May ... August→September), each smoothed toward
    ``pooled`` as a segment is: the time-varying form of the same calibration.

    A time-homogeneous chain with the pooled matrix cannot give the UCI file's ever-late
    shares (its status 1 appears only in the last month, so late arrivals are censored);
    these matrices, run in order, give both (``docs/simulation.md``)."""
    steps = max((len(c) - 1 for a in accounts for c in a.chains), default=0)
    out = []
    for step in range(steps):
        pairs = [
            capped[step : step + 2]
            for a in accounts
            for capped in (cap_chain(c) for c in a.chains)
            if len(capped) > step + 1
        ]
        out.append(smooth(count_transitions(pairs), pooled, sparse_below, strength))
    return tuple(out)


def initial_mix(accounts: Sequence[Account]) -> tuple[float, ...]:
    """The share of chains starting in each state (the first observed month)."""
    firsts = [c[0] for a in accounts for c in a.chains if c]
    return tuple(firsts.count(s) / len(firsts) if firsts else 0.0 for s in range(len(STATES)))
