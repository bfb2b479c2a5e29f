"""The compiled ibis expression (DuckDB) agrees with the reference evaluator."""

from __future__ import annotations

import duckdb
import ibis
import numpy as np
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duecourse.service.decide import arrow_decider, decide_arrow, evaluate_arrow
from duecourse.strategy.compile import with_outputs
from duecourse.strategy.evaluate import evaluate
from duecourse.strategy.table import TableError, table_from_dict
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


def decided_in_memory(data, rows, matched=True):
    """``evaluate_arrow`` on the rows keyed by position, as plain rows (random tables may lack
    the catch-all ``decide_arrow`` insists on: no row matching gives null outputs)."""
    table = table_from_dict(data)
    facts = pa.Table.from_pylist(rows, schema=SCHEMA)
    facts = facts.append_column("key", pa.array(range(len(rows)), pa.int64()))
    out = evaluate_arrow(table, facts, ["key"], matched)
    assert out["key"].to_pylist() == list(range(len(rows)))  # the input's order, row for row
    return out.to_pylist(), [evaluate(table, r) for r in rows]


PATHS = pytest.mark.parametrize("path", [run_both, decided_in_memory], ids=["ibis", "arrow"])


@PATHS
@SETTINGS
@given(data=decision_tables("first"), draw=st.data())
def test_first_hit_agrees(path, data, draw):
    rows = draw.draw(st.lists(rows_near_bounds(data), min_size=1, max_size=40))
    got, want = path(data, rows)
    for g, w in zip(got, want, strict=True):
        assert (g["action"], g["priority"], g["matched_row"]) == (
            w.outputs["action"],
            w.outputs["priority"],
            w.matched[0],
        )


@PATHS
@SETTINGS
@given(data=decision_tables("collect"), draw=st.data())
def test_collect_agrees(path, data, draw):
    rows = draw.draw(st.lists(rows_near_bounds(data), min_size=1, max_size=40))
    got, want = path(data, rows)
    for g, w in zip(got, want, strict=True):
        assert g["matched_row"] == list(w.matched)
        assert g["action"] == w.outputs["action"]
        assert g["priority"] == w.outputs["priority"]


def test_decide_arrow_keeps_row_order_across_threads():
    """Enough rows for DuckDB to split the scan; each row's outputs stay beside its key."""
    data = {
        "name": "order",
        "hit_policy": "first",
        "inputs": {"a": "int", "c": "string"},
        "outputs": {"action": "string", "priority": "int"},
        "rules": [
            {"id": "r1", "when": {"a": "< 0"}, "then": {"action": "neg", "priority": 1}},
            {"id": "r2", "when": {"c": '"x"'}, "then": {"action": "x", "priority": 2}},
            {"id": "r3", "when": {"a": "[0..99]"}, "then": {"action": "low", "priority": 3}},
            {"id": "r4", "when": {}, "then": {"action": "other", "priority": 4}},
        ],
    }
    n = 300_000
    rng = np.random.default_rng(3)
    a = rng.integers(-50, 200, n)
    c = np.where(rng.random(n) < 0.2, "x", "y")
    facts = pa.table({"id": pa.array(rng.permutation(n)), "a": pa.array(a), "c": pa.array(c)})
    out = decide_arrow(table_from_dict(data), facts, keys=["id"])
    want = np.select([a < 0, c == "x", a <= 99], ["neg", "x", "low"], "other")
    assert out["id"].equals(facts["id"])
    assert out["action"].to_pylist() == want.tolist()
    assert out["priority"].to_pylist() == [
        {"neg": 1, "x": 2, "low": 3, "other": 4}[w] for w in want.tolist()
    ]


def test_decide_arrow_checks_the_table_against_the_columns():
    data = {
        "name": "fit",
        "hit_policy": "first",
        "inputs": {"a": "int", "e": "string"},
        "outputs": {"action": "string"},
        "rules": [{"id": "r1", "when": {}, "then": {"action": "hold"}}],
    }
    facts = pa.Table.from_pylist([{"a": 1, "b": None, "c": "x", "d": True}], schema=SCHEMA)
    with pytest.raises(TableError, match=r"inputs\.e: unknown column"):
        decide_arrow(table_from_dict(data), facts)
    data["inputs"] = {"c": "int"}
    with pytest.raises(TableError, match=r"inputs\.c: declared int, but the column is string"):
        decide_arrow(table_from_dict(data), facts)
    data["inputs"] = {"a": "int"}
    with pytest.raises(ValueError, match=r"key column.*not in the input table: id"):
        decide_arrow(table_from_dict(data), facts, keys=["id"])
    assert decide_arrow(table_from_dict(data), facts).to_pylist() == [{"action": "hold"}]


def test_a_decider_compiled_once_serves_every_input_of_its_schema():
    data = {
        "name": "once",
        "hit_policy": "first",
        "inputs": {"a": "int"},
        "outputs": {"action": "string"},
        "rules": [
            {"id": "low", "when": {"a": "< 10"}, "then": {"action": "sms"}},
            {"id": "else", "when": {}, "then": {"action": "hold"}},
        ],
    }
    table = table_from_dict(data)
    first = pa.table({"id": ["x", "y"], "a": [1, 50]})
    decider = arrow_decider(table, first.schema, keys=["id"], with_matched=True)
    con = duckdb.connect()
    assert decider(first, con).to_pylist() == [
        {"id": "x", "action": "sms", "matched_row": "low"},
        {"id": "y", "action": "hold", "matched_row": "else"},
    ]
    again = pa.table({"id": ["z"], "a": [None]}, schema=first.schema)
    assert decider(again, con).to_pylist() == [{"id": "z", "action": "hold", "matched_row": "else"}]
    with pytest.raises(ValueError, match="compiled for"):
        decider(pa.table({"id": ["w"], "a": ["9"]}), con)
    con.execute("SET preserve_insertion_order = false")
    with pytest.raises(ValueError, match="preserve insertion order"):
        decider(first, con)
    with pytest.raises(ValueError, match="only a first-hit table"):
        arrow_decider(table_from_dict({**data, "hit_policy": "collect"}), first.schema)
