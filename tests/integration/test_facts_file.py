"""Facts and plan files come in row groups a reader can share out between its threads."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from duecourse.service.facts import ROW_GROUP_ROWS, write_facts


def test_a_large_file_is_written_in_several_row_groups(tmp_path):
    rows = 2 * ROW_GROUP_ROWS + 5
    data = pa.table({"account_id": [f"L{n:07d}" for n in range(rows)], "n": list(range(rows))})
    path = tmp_path / "facts.parquet"
    write_facts(data, path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    assert pq.read_table(path).equals(data)
    assert list(tmp_path.iterdir()) == [path]  # nothing left aside
