"""Helpers that compare engine facts with the reference computation."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from duecourse.domain.facts import AccountFacts

MONEY = ("amount_overdue", "outstanding_principal", "accrued_penalty")


def reference_rows(facts: list[AccountFacts]) -> list[dict[str, Any]]:
    rows = []
    for f in facts:
        row = asdict(f)
        row.update(row.pop("flags"))
        rows.append(row)
    return rows


def engine_rows(table: pa.Table) -> list[dict[str, Any]]:
    rows = []
    for row in table.to_pylist():
        for name in MONEY:
            row[name] = Decimal(str(row[name])).quantize(Decimal("0.01"))
        if not isinstance(row["as_of"], date):
            row["as_of"] = date.fromisoformat(str(row["as_of"])[:10])
        rows.append(row)
    return rows


def assert_same_facts(engine: pa.Table, reference: list[AccountFacts]) -> None:
    got, want = engine_rows(engine), reference_rows(reference)
    assert [r["account_id"] for r in got] == [r["account_id"] for r in want]
    for g, w in zip(got, want, strict=True):
        diff = {k: (g.get(k), v) for k, v in w.items() if g.get(k) != v}
        assert not diff, f"{w['account_id']}: engine vs reference {diff}"
