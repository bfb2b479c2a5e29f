"""The simulation summary: yuan strings, intervals and the paired difference."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from duecourse.service.sim_report import difference_json, interval, yuan
from duecourse.service.simulate import ArmResult


def arm(name: str, recovered: list[int], cost: list[int]) -> ArmResult:
    n = len(recovered)
    return ArmResult(
        name, np.array(recovered), np.array(cost), 0, 0, Counter(), 0, 0, Counter(), 0,
        Counter(), [], [[0]] * n,
    )  # fmt: skip


def test_fen_become_yuan_with_two_places_half_up():
    assert yuan(12345) == "123.45"
    assert yuan(0.5) == "0.01"
    assert yuan(-250) == "-2.50"


def test_one_replication_interval_comes_from_the_accounts():
    per_account = np.array([0.0, 100.0, 200.0, 300.0])  # sd 129.0994
    lo, hi = interval([600.0], per_account)
    half = 1.959964 * 129.09944487 * 2  # z · sd · sqrt(4)
    assert lo == pytest.approx(600 - half) and hi == pytest.approx(600 + half)


def test_replications_use_a_t_interval():
    lo, hi = interval([10.0, 12.0, 14.0], np.zeros(1))  # mean 12, sd 2, t(2) 4.303
    assert lo == pytest.approx(12 - 4.303 * 2 / 3**0.5)
    assert hi == pytest.approx(12 + 4.303 * 2 / 3**0.5)


def test_the_difference_is_paired_account_by_account():
    a = arm("a", [100, 200, 300, 400], [10, 10, 10, 10])
    b = arm("b", [90, 190, 290, 390], [10, 10, 10, 10])  # every account 10 fen behind
    diff = difference_json([a], [b])
    assert diff["of"] == "a - b"
    assert diff["net"] == "0.40" and diff["ci95"] == ["0.40", "0.40"]
    assert diff["significant"] is True
    assert diff["accounts_needed"] is None  # no spread: any size detects it


def test_accounts_needed_follows_the_paired_spread():
    a = arm("a", [100, 300, 100, 300], [0, 0, 0, 0])
    b = arm("b", [0, 0, 0, 0], [0, 0, 0, 0])  # differences 100, 300, 100, 300: mean 200
    diff = difference_json([a], [b])
    sd = np.std([100, 300, 100, 300], ddof=1)
    assert diff["accounts_needed"] == int(np.ceil(((1.959964 + 0.841621) * sd / 200) ** 2))
