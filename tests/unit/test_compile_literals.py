"""Decimal bounds the column's type cannot hold exactly still compare exactly on DuckDB."""

from __future__ import annotations

from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from duecourse.strategy.compile import with_outputs
from duecourse.strategy.evaluate import evaluate
from duecourse.strategy.table import table_from_dict

CON = ibis.duckdb.connect()


def table(cell: str) -> dict:
    return {
        "name": "bounds",
        "hit_policy": "first",
        "inputs": {"b": "decimal"},
        "outputs": {"action": "string"},
        "rules": [
            {"id": "r1", "when": {"b": cell}, "then": {"action": "hit"}},
            {"id": "default", "when": {}, "then": {"action": "miss"}},
        ],
    }


@pytest.mark.parametrize(
    ("cell", "precision", "scale", "values"),
    [
        (">= 10.005", 18, 2, ["10.00", "10.01", "-10.01"]),  # more places than the column
        ("< 10000", 5, 2, ["999.99", "-999.99", "0.00"]),  # more digits than the column
        ("> 99999999999999999999999999999.5", 18, 2, ["1.00"]),  # beyond the context
        ("<= 12.5", 18, 2, ["12.50", "12.51", "12.49"]),  # fits: the column's own type
    ],
)
def test_bound_outside_column_type(cell, precision, scale, values):
    data = table(cell)
    decision_table = table_from_dict(data)
    rows = [{"b": Decimal(v)} for v in values]
    arrow = pa.Table.from_pylist(rows, schema=pa.schema([("b", pa.decimal128(precision, scale))]))
    got = [
        r["action"]
        for r in CON.to_pyarrow(with_outputs(decision_table, ibis.memtable(arrow))).to_pylist()
    ]
    want = [evaluate(decision_table, r).outputs["action"] for r in rows]
    assert got == want
    assert "hit" in want or cell.startswith("> 9")  # only the out-of-range bound never hits
