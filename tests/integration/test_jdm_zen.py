"""JDM import agrees with the zen-engine package (the format's own engine) on random tables."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import ibis
import pyarrow as pa
import zen

from duecourse.strategy.compile import with_outputs
from duecourse.strategy.evaluate import evaluate
from duecourse.strategy.jdm import table_from_jdm, table_to_jdm
from duecourse.strategy.table import ColumnType, table_from_dict
from tests.strategies import _bounds

TABLES = 25
ROWS_PER_TABLE = 400  # 25 × 400 = 10,000 rows compared in all
SCHEMA = pa.schema(
    [("a", pa.float64()), ("b", pa.float64()), ("c", pa.string()), ("d", pa.bool_())]
)
TYPES = {"a": ColumnType.FLOAT, "b": ColumnType.FLOAT, "c": ColumnType.STRING, "d": ColumnType.BOOL}


def random_rows(data: dict, seed: int) -> list[dict]:
    rng = random.Random(seed)
    near_a = [float(b) + d for b in _bounds(data, "a") for d in (-1, 0, 1)] or [0.0]
    near_b = [
        float(b + d)
        for b in _bounds(data, "b")
        for d in (Decimal("-0.01"), Decimal(0), Decimal("0.01"))
    ] or [0.0]
    rows = []
    for _ in range(ROWS_PER_TABLE):
        rows.append(
            {
                "a": float(rng.choice([rng.randint(-10, 50), rng.choice(near_a)])),
                "b": max(0.0, rng.choice([rng.randint(0, 120_000) / 100, rng.choice(near_b)])),
                "c": rng.choice("wxyzv"),
                "d": rng.random() < 0.5,
            }
        )
    return rows


def random_table(rng: random.Random) -> dict:
    """A random first-hit table over a, b, c, d with a catch-all (seeded, reproducible)."""
    rules = []
    for i in range(rng.randint(0, 8)):
        when = {}
        if rng.random() < 0.5:
            n = rng.randint(-5, 40)
            when["a"] = rng.choice(
                [
                    f"> {n}",
                    f">= {n}",
                    f"< {n}",
                    f"<= {n}",
                    f"[{n}..{n + rng.randint(0, 20)}]",
                    f"({n}..{n + rng.randint(1, 20)})",
                    f"{n}, {n + 2}",
                ]
            )
        if rng.random() < 0.5:
            bound = Decimal(rng.randint(0, 100_000)).scaleb(-2)
            when["b"] = f"{rng.choice(['>', '>=', '<', '<='])} {bound}"
        if rng.random() < 0.5:
            when["c"] = ", ".join(f'"{x}"' for x in rng.sample("wxyz", rng.randint(1, 3)))
        if rng.random() < 0.5:
            when["d"] = rng.choice(["true", "false"])
        rules.append({"id": f"r{i}", "when": when, "then": {"action": f"act{i}", "priority": i}})
    rules.append({"id": "default", "when": {}, "then": {"action": "hold", "priority": 99}})
    return {
        "name": "random",
        "hit_policy": "first",
        "inputs": {"a": "int", "b": "decimal", "c": "string", "d": "bool"},
        "outputs": {"action": "string", "priority": "int"},
        "rules": rules,
    }


def test_jdm_tables_decide_as_zen_engine_does():
    rng = random.Random(20261122)
    compared = 0
    con = ibis.duckdb.connect()
    for _ in range(TABLES):
        data = random_table(rng)
        jdm = json.loads(json.dumps(table_to_jdm(table_from_dict(data))))  # through real JSON
        ours = table_from_jdm(jdm, types=TYPES)
        engine = zen.ZenEngine({"loader": {"type": "static", "content": {"t.json": jdm}}})
        rows = random_rows(data, rng.randint(0, 2**32))
        t = ibis.memtable(pa.Table.from_pylist(rows, schema=SCHEMA))
        duck = con.to_pyarrow(with_outputs(ours, t)).to_pylist()
        for row, from_duckdb in zip(rows, duck, strict=True):
            expected = engine.evaluate("t.json", row)["result"]
            got = evaluate(ours, row).outputs
            assert got == expected, (data["rules"], row, got, expected)
            assert (from_duckdb["action"], from_duckdb["priority"]) == (
                expected["action"],
                expected["priority"],
            )
            compared += 1
    print(f"JDM vs zen-engine vs DuckDB: {compared:,} rows over {TABLES} tables agree")
    assert compared >= 10_000
