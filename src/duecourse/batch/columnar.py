"""A first-hit table's outputs as Arrow columns, from the position of each row's deciding rule.

Under ``first`` every output of a row is the value its deciding rule gives, so one column of
positions (from :func:`duecourse.strategy.compile.first_positions`) holds the whole decision.
A string output becomes a dictionary array over that column: the rules' values once, and the
positions as indices, with no string copied per row. Other outputs are taken by position.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from duecourse.strategy.compile import MATCHED
from duecourse.strategy.table import ColumnType, DecisionTable, Rule

ARROW_TYPES = {
    ColumnType.INT: pa.int64(),
    ColumnType.DECIMAL: pa.decimal128(18, 2),
    ColumnType.FLOAT: pa.float64(),
    ColumnType.STRING: pa.string(),
    ColumnType.BOOL: pa.bool_(),
}


def outputs_at(
    table: DecisionTable,
    rules: Sequence[Rule],
    positions: pa.Array,
    matched: bool = False,
) -> dict[str, pa.Array]:
    """Every output of ``table`` (and ``matched_row`` if ``matched``) for rows whose deciding
    rule is ``rules[position]``; a null position gives null outputs."""
    kinds = {**table.outputs, MATCHED: ColumnType.STRING} if matched else dict(table.outputs)
    indices = positions.cast(pa.int16()) if positions.type != pa.int16() else positions
    out: dict[str, pa.Array] = {}
    for name, kind in kinds.items():
        values = pa.array(
            [rule.id if name == MATCHED else rule.then.get(name) for rule in rules],
            ARROW_TYPES[kind],
        )
        if not rules:
            out[name] = pa.nulls(len(indices), ARROW_TYPES[kind])
        elif kind is ColumnType.STRING:
            out[name] = pa.DictionaryArray.from_arrays(indices, values)
        else:
            out[name] = pc.take(values, indices)
    return out
