"""The compiled ibis expression (DuckDB) agrees with the reference evaluator."""

from __future__ import annotations

import ibis
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duecourse.strategy.compile import with_outputs
from duecourse.strategy.evaluate import evaluate
from duecourse.strategy.table import table_from_dict
from tests.strategies import decision_tables, rows_near_bounds

SCHEMA = pa.schema(
    [("a", pa.int64()), ("b", pa.decimal128(18, 2)), ("c", pa.string()), ("d", pa.bool_())]
)
CON = ibis.duckdb.connect()
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run_both(data, rows):
    table = table_from_dict(data)
    t = ibis.memtable(pa.Table.from_pylist(rows, schema=SCHEMA))
    got = CON.to_pyarrow(with_outputs(table, t)).to_pylist()
    want = [evaluate(table, r) for r in rows]
    return got, want


@SETTINGS
@given(data=decision_tables("first"), draw=st.data())
def test_first_hit_agrees(data, draw):
    rows = draw.draw(st.lists(rows_near_bounds(data), min_size=1, max_size=40))
    got, want = run_both(data, rows)
    for g, w in zip(got, want, strict=True):
        assert (g["action"], g["priority"], g["matched_row"]) == (
            w.outputs["action"],
            w.outputs["priority"],
            w.matched[0],
        )


@SETTINGS
@given(data=decision_tables("collect"), draw=st.data())
def test_collect_agrees(data, draw):
    rows = draw.draw(st.lists(rows_near_bounds(data), min_size=1, max_size=40))
    got, want = run_both(data, rows)
    for g, w in zip(got, want, strict=True):
        assert g["matched_row"] == list(w.matched)
        assert g["action"] == w.outputs["action"]
        assert g["priority"] == w.outputs["priority"]
