"""The reproduction check of ``simulate --calibration`` (``sim_report.reproduction_json``) on
hand-made numbers: gaps, the 1,000-transition rule and the ±0.02 verdict."""

from __future__ import annotations

from duecourse.lab.calibration import Calibration
from duecourse.service.sim_report import reproduction_json

IDENTITY = tuple(tuple(1.0 if i == j else 0.0 for j in range(5)) for i in range(5))
LATE = {"1+": 0.30, "2+": 0.15, "3+": 0.05}


def _fitted() -> Calibration:
    counts = tuple(tuple(0 for _ in range(5)) for _ in range(5))
    return Calibration(10, 50, counts, counts, IDENTITY, (), LATE, LATE, 0, 1000, 100.0)


def _roll(first_row: list[float], n: list[int], late: dict[str, float]) -> dict:
    matrix = [first_row] + [list(r) for r in IDENTITY[1:]]
    return {"matrix": matrix, "n": n, "ever_late": late}


def test_gaps_within_two_points_reproduce():
    roll = _roll([0.99, 0.01, 0, 0, 0], [5000, 1000, 1000, 1000, 1000], LATE)
    check = reproduction_json(_fitted(), roll)
    assert check["rows"][0]["max_gap"] == 0.01
    assert all(r["checked"] and r["within"] for r in check["rows"])
    assert check["ever_late"]["2+"]["gap"] == 0.0
    assert check["within"] is True


def test_a_row_off_by_more_than_two_points_fails_the_check():
    roll = _roll([0.97, 0.03, 0, 0, 0], [5000, 1000, 1000, 1000, 1000], LATE)
    check = reproduction_json(_fitted(), roll)
    assert check["rows"][0]["max_gap"] == 0.03
    assert check["rows"][0]["within"] is False
    assert check["within"] is False


def test_a_row_with_fewer_than_1000_transitions_is_not_checked():
    roll = _roll([0.50, 0.50, 0, 0, 0], [999, 1000, 1000, 1000, 1000], LATE)
    check = reproduction_json(_fitted(), roll)
    assert check["rows"][0] == {
        "state": "current",
        "n": 999,
        "max_gap": 0.5,
        "checked": False,
        "within": None,
    }
    assert check["within"] is True


def test_an_ever_late_share_off_by_more_than_two_points_fails_the_check():
    late = {"1+": 0.30, "2+": 0.18, "3+": 0.05}
    roll = _roll([1.0, 0, 0, 0, 0], [5000, 1000, 1000, 1000, 1000], late)
    check = reproduction_json(_fitted(), roll)
    assert check["ever_late"]["2+"] == {"simulated": 0.18, "calibrated": 0.15, "gap": 0.03}
    assert check["within"] is False
