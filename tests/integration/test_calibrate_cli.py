"""``duecourse calibrate`` on hand-written files (counts worked out by hand below) and on the
real UCI Taiwan file; bad files are refused with the file, row and column named."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from duecourse.entrypoints.cli import app

UCI_NAME = "shared/data/uci_default_credit_card_taiwan.csv.gz"
# ../shared beside the repository (a worktree may sit one folder deeper)
UCI = next(
    (p / UCI_NAME for p in Path(__file__).resolve().parents if (p / UCI_NAME).is_file()),
    Path("..") / UCI_NAME,
)

# A: 0 2 2 3 → capped 0 1 2 3.   B: 1 0, March missing, then 5 4 (two chains).
# C: rows out of order, 0 0 0.   D: 0 3 0 → capped 0 1 0.
HISTORY = """account_id,month,months_late,segment
A,2024-01,0,s1
A,2024-02,2,s1
A,2024-03,2,s1
A,2024-04,3,s1
B,2024-01,1,s1
B,2024-02,0,s1
B,2024-04,5,s1
B,2024-05,4,s1
C,2024-03,0,s2
C,2024-01,0,s2

C,2024-02,0,s2
D,2024-01,0,s2
D,2024-02,3,s2
D,2024-03,0,s2
"""


def _rows_approx(matrix: list[list[float]]) -> list[object]:
    return [pytest.approx(row) for row in matrix]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["calibrate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def history(tmp_path: Path) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HISTORY, encoding="utf-8")
    return path


def test_a_hand_written_history(history):
    code, out, _ = _run(
        str(history), "--format", "monthly-status", "--json", "--sparse-below", "3",
        "--prior-strength", "2",
    )  # fmt: skip
    assert code == 0
    found = json.loads(out)
    assert found["states"] == ["current", "1", "2", "3", "4+"]
    assert found["accounts"] == 4
    assert found["transitions"] == 9  # A 3, B 1 + 1, C 2, D 2
    assert found["raw"]["counts"] == [
        [2, 0, 1, 1, 0],  # C 0→0 twice; A 0→2; D 0→3
        [1, 0, 0, 0, 0],  # B 1→0
        [0, 0, 1, 1, 0],  # A 2→2, 2→3
        [1, 0, 0, 0, 0],  # D 3→0
        [0, 0, 0, 0, 1],  # B 4+→4+ (5 is 4+)
    ]
    assert found["cleaned"]["counts"] == [
        [2, 2, 0, 0, 0],  # C twice; A and D capped to 0→1
        [2, 0, 1, 0, 0],  # B 1→0, D 1→0; A 1→2
        [0, 0, 0, 1, 0],  # A 2→3
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 1],
    ]
    assert found["raw"]["matrix"][0] == [0.5, 0, 0.25, 0.25, 0]
    assert found["cleaned"]["sparse_rows"] == ["2", "3", "4+"]
    assert found["cleaned"]["capped_months"] == 2
    expected_pooled = [
        [0.5, 0.5, 0, 0, 0],
        [2 / 3, 0, 1 / 3, 0, 0],
        [0, 0, 0, 1, 0],  # sparse, kept as measured
        [0, 0, 0, 1, 0],  # nothing seen: stays
        [0, 0, 0, 0, 1],
    ]
    assert found["matrix"] == _rows_approx(expected_pooled)
    # worst cleaned month: A 3, B 4+, C 0, D 1; raw: A 3, B 4+, C 0, D 3
    assert found["ever_late"] == {"1+": 0.75, "2+": 0.5, "3+": 0.5}
    assert found["raw"]["ever_late"] == {"1+": 0.75, "2+": 0.75, "3+": 0.75}

    s1, s2 = found["segments"]["s1"], found["segments"]["s2"]
    assert (s1["accounts"], s1["transitions"], s2["accounts"], s2["transitions"]) == (2, 5, 2, 4)
    # s1 cleaned: 0→1, 1→2, 2→3 (A); 1→0, 4+→4+ (B). Every row sparse (n < 3), k = 2:
    # row 0 (n 1): ([0 1] + 2 [.5 .5]) / 3; row 1 (n 2): ([1 0 1] + 2 [2/3 0 1/3]) / 4
    assert s1["matrix"] == _rows_approx(
        [[1 / 3, 2 / 3, 0, 0, 0], [7 / 12, 0, 5 / 12, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 1, 0],
         [0, 0, 0, 0, 1]]
    )  # fmt: skip
    # s2 cleaned: 0→0 twice (C), 0→1 and 1→0 (D). Row 0 has n = 3: as measured.
    assert s2["matrix"] == _rows_approx(
        [[2 / 3, 1 / 3, 0, 0, 0], [7 / 9, 0, 2 / 9, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 1, 0],
         [0, 0, 0, 0, 1]]
    )  # fmt: skip
    assert s1["ever_late"] == {"1+": 1.0, "2+": 1.0, "3+": 1.0}
    assert s2["ever_late"] == {"1+": 0.5, "2+": 0.0, "3+": 0.0}


def test_without_segments_there_is_no_segments_key(tmp_path):
    path = tmp_path / "h.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("month,account_id,months_late\n2024-01,a,0\n2024-02,a,1\n")
    code, out, _ = _run(str(path), "--format", "monthly-status", "--json")
    assert code == 0
    found = json.loads(out)
    assert "segments" not in found
    assert found["cleaned"]["counts"][0] == [0, 1, 0, 0, 0]


def test_the_table_output_is_bilingual(history):
    code, out, _ = _run(str(history), "--format", "monthly-status")
    assert code == 0
    for text in ("迁移矩阵 Transition matrix", "正常 current", "分段 Segment s2", "Ever late"):
        assert text in out


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        ("account_id,month\na,2024-01\n", "'months_late'", "required column missing"),
        ("account_id,month,months_late\na,2024-1,0\n", "row 1 列 column 'month'", "YYYY-MM"),
        ("account_id,month,months_late\na,2024-01,0\na,2024-02,-1\n", "row 2", ">= 0"),
        ("account_id,month,months_late\na,2024-01,x\n", "'months_late'", "whole number"),
        ("account_id,month,months_late\na,2024-01,0\na,2024-01,1\n", "row 2", "repeated"),
        ("account_id,month,months_late,segment\na,2024-01,0,x\na,2024-02,0,y\n", "row 2", "one"),
        ("account_id,month,months_late,bucket\na,2024-01,0,M1\n", "bad.csv", "unknown columns"),
        ("account_id,month,months_late\n", "bad.csv", "no data rows"),
    ],
)
def test_a_bad_file_is_refused_naming_where(tmp_path, content, where, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(str(path), "--format", "monthly-status", "--json")
    assert code == 1 and out == ""
    assert "校准文件有误 Calibration file rejected" in err
    assert where in err and reason in err
    assert "Traceback" not in err


def test_a_missing_file_is_refused(tmp_path):
    code, _, err = _run(str(tmp_path / "none.csv"), "--format", "uci-taiwan")
    assert code == 1
    assert "文件不存在 File not found" in err and "none.csv" in err


def test_a_uci_file_with_a_bad_status_or_the_wrong_columns(tmp_path):
    path = tmp_path / "uci.csv"
    path.write_text("ID,PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6\n1,0,0,0,0,0,11\n", encoding="utf-8")
    code, _, err = _run(str(path), "--format", "uci-taiwan")
    assert code == 1 and "row 1 列 column 'PAY_6'" in err and "-2..9" in err
    path.write_text("ID,a,b\n1,0,0\n", encoding="utf-8")
    code, _, err = _run(str(path), "--format", "uci-taiwan")
    assert code == 1 and "missing status columns" in err


def test_the_original_second_header_row_is_skipped(tmp_path):
    path = tmp_path / "uci.csv"
    path.write_text(
        "ID,X6,X7,X8,X9,X10,X11\nID,PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6\n7,1,0,0,0,0,0\n",
        encoding="utf-8",
    )
    code, out, _ = _run(str(path), "--format", "uci-taiwan", "--json")
    assert code == 0
    found = json.loads(out)
    assert found["accounts"] == 1 and found["raw"]["counts"][0] == [4, 1, 0, 0, 0]


def test_uci_columns_are_read_oldest_first(tmp_path):
    # PAY_0 is September (newest), PAY_6 April (oldest): the chain is 0 1 2 3 4 4 (April on).
    path = tmp_path / "uci.csv"
    path.write_text("ID,PAY_0,PAY_2,PAY_3,PAY_4,PAY_5,PAY_6\n1,8,4,3,2,1,-2\n", encoding="utf-8")
    code, out, _ = _run(str(path), "--format", "uci-taiwan", "--json")
    assert code == 0
    counts = json.loads(out)["raw"]["counts"]
    assert [counts[i][i + 1] for i in range(4)] == [1, 1, 1, 1] and counts[4][4] == 1


@pytest.fixture(scope="module")
def uci() -> dict:
    if not UCI.is_file():
        pytest.skip(f"{UCI} is not here")
    code, out, _ = _run(str(UCI), "--format", "uci-taiwan", "--json")
    assert code == 0
    return json.loads(out)


def test_the_uci_file(uci):
    assert uci["accounts"] == 30_000
    assert uci["transitions"] == 150_000  # five month pairs per account
    # row totals as reference/simulation-research.md §4 measured them, raw and capped
    assert uci["raw"]["n"] == [131_792, 34, 16_297, 1_108, 769]
    assert uci["cleaned"]["n"] == [131_792, 5_252, 11_349, 891, 716]
    assert uci["cleaned"]["sparse_rows"] == ["3", "4+"]
    # the pooled result has nothing wider to borrow from: its sparse rows are kept as measured
    assert uci["matrix"] == uci["cleaned"]["matrix"]
    assert uci["raw"]["ever_late"] == pytest.approx(
        {"1+": 0.3356, "2+": 0.2793, "3+": 0.0398}, abs=5e-5
    )
    for name in ("raw", "cleaned"):
        for row in uci[name]["matrix"]:
            assert sum(row) == pytest.approx(1.0)
    for row in uci["matrix"]:
        assert sum(row) == pytest.approx(1.0)
    for i, row in enumerate(uci["cleaned"]["counts"]):
        assert sum(row[i + 2 :]) == 0, f"row {i} jumps more than one state"
    assert uci["raw"]["counts"][0][2] == 6_209  # the current→2 jumps the cap removes
