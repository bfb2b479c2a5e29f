"""Summary tables never drop a column: they are dealt into parts that fit the width."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from duecourse.entrypoints.console import fitted

LABELS = ["资深催收电话 senior agent call", "协商还款方案 restructure offer", "暂缓 hold"]


def _render(tables, width):
    out = Console(file=io.StringIO(), width=width)
    for table in tables:
        out.print(table)
    return out.file.getvalue()


def _headers(text):
    return [
        c.strip() for line in text.splitlines() if line.startswith("┃") for c in line.split("┃")
    ]


@given(
    # the widest label (30 cells) and one column of up to 10 cells fit in 47
    width=st.integers(min_value=47, max_value=200),
    columns=st.integers(min_value=1, max_value=14),
    value=st.integers(min_value=0, max_value=10**7),
)
def test_every_column_is_shown_once_and_every_line_fits(width, columns, value):
    names = [f"M{i}" for i in range(columns)]
    rows = [(name, [f"{value + i:,}" for i in range(columns)]) for name in LABELS]
    tables = fitted("今日计划 Today's plan", "动作 Action", rows, names, width)
    text = _render(tables, width)
    shown = [h for h in _headers(text) if h.startswith("M")]
    assert sorted(shown) == sorted(names)
    assert all(cell_len(line) <= width for line in text.splitlines())
    for name in LABELS:  # every part repeats each action's whole name
        assert text.count(name) == len(tables)


def test_a_wide_terminal_keeps_one_table_and_a_narrow_one_says_which_part():
    names = ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+"]
    rows = [(LABELS[0], ["1,234"] * 8)]
    assert len(fitted("t", "h", rows, names, 120)) == 1
    # 50 cells: the label column takes 30 + 4, each count column 5 + 3: two per part
    parts = fitted("t", "h", rows, names, 50)
    assert len(parts) == 4
    assert "part 4 of 4" in _render(parts, 50)


def test_a_label_wider_than_the_terminal_wraps_whole():
    rows = [(LABELS[0], ["1"])]
    text = _render(fitted("t", "h", rows, ["M0"], 24), 24)
    assert all(cell_len(line) <= 24 for line in text.splitlines())
    for word in ("资深催收电话", "senior", "agent", "call"):
        assert word in text
