"""Import: atomic, every error listed by file, row and column; idempotent; CSV and Parquet."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from duecourse.adapters.records import load_portfolio
from duecourse.adapters.schema import ALLOCATIONS, STORE_TABLES, TABLES_BY_NAME
from duecourse.adapters.store import open_store
from duecourse.domain.facts import reference_facts
from duecourse.entrypoints.cli import app
from duecourse.service.facts import compute_facts
from duecourse.service.importer import ImportFailed, import_paths
from duecourse.service.sample import write_sample
from tests.facts_oracle import assert_same_facts
from tests.import_rows import BORROWER, LOAN

AS_OF = date(2025, 6, 30)


def write(path: Path, table: str, rows: list[dict[str, str]], header: list[str] | None = None):
    header = header or [c.name for c in TABLES_BY_NAME[table].columns]
    with (path / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        tables = [*STORE_TABLES.values(), ALLOCATIONS]
        return {t.name: c.execute(select(func.count()).select_from(t)).scalar_one() for t in tables}


@pytest.fixture
def store(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    return url, open_store(url)


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, accounts=120, seed=3, as_of=AS_OF)
    return out


def test_a_file_with_many_kinds_of_error_lists_them_all_and_writes_nothing(store, tmp_path):
    _, engine = store
    data = tmp_path / "bad"
    data.mkdir()
    write(data, "borrowers", [BORROWER, {**BORROWER, "borrower_id": "B2", "timezone": "Mars/Base"}])
    write(
        data,
        "loans",
        [
            LOAN,
            {**LOAN, "loan_id": "L2", "lender_type": "loan_shark"},
            {**LOAN, "loan_id": "L3", "principal": "-5"},
            {**LOAN, "loan_id": "L4", "borrower_id": "B9"},
            {**LOAN, "loan_id": "L1"},
            {**LOAN, "loan_id": "L5", "principal": "12.345", "start_date": "2025-13-01"},
        ],
    )
    write(
        data,
        "payments",
        [
            {
                "payment_id": "P1",
                "loan_id": "L1",
                "paid_at": "2025-02-01 10:00",
                "amount": "abc",
                "channel": "app",
                "recorded_at": "",
            },
            {
                "payment_id": "P2",
                "loan_id": "L1",
                "paid_at": "2025-02-01T10:00+08:00",
                "amount": "10",
                "channel": "app",
                "recorded_at": "",
            },
        ],
    )
    write(
        data,
        "instalments",
        [{"loan_id": "L1", "seq": "1", "due_date": "2025-02-01"}],
        header=["loan_id", "seq", "due_date"],
    )
    with pytest.raises(ImportFailed) as failed:
        import_paths(engine, [data])
    got = {(e.file, e.row, e.column) for e in failed.value.errors}
    assert got == {
        ("borrowers.csv", 2, "timezone"),
        ("loans.csv", 2, "lender_type"),
        ("loans.csv", 3, "principal"),
        ("loans.csv", 4, "borrower_id"),
        ("loans.csv", 5, "loan_id"),
        ("loans.csv", 6, "principal"),
        ("loans.csv", 6, "start_date"),
        ("payments.csv", 1, "amount"),
        ("payments.csv", 2, "paid_at"),
        ("instalments.csv", 0, "principal"),
        ("instalments.csv", 0, "interest"),
    }
    reasons = {(e.file, e.row, e.column): e.reason for e in failed.value.errors}
    assert "loan_shark" in reasons[("loans.csv", 2, "lender_type")]
    assert "more than 2 decimal places" in reasons[("loans.csv", 6, "principal")]
    assert reasons[("loans.csv", 4, "borrower_id")] == "'B9' is not in borrowers"
    assert all(n == 0 for n in counts(engine).values())


def test_the_cli_prints_every_error_and_exits_non_zero(store, tmp_path):
    url, _ = store
    data = tmp_path / "bad"
    data.mkdir()
    write(data, "borrowers", [{**BORROWER, "phones": "not-a-phone"}])
    result = CliRunner().invoke(app, ["--db", url, "import", str(data)])
    assert result.exit_code == 1
    assert "borrowers.csv 第 1 行 row 1, 列 column 'phones'" in result.output
    assert "nothing was written" in result.output


def test_a_file_that_names_no_table_is_rejected(store, tmp_path):
    _, engine = store
    (tmp_path / "customers.csv").write_text("id\n1\n")
    with pytest.raises(ImportFailed) as failed:
        import_paths(engine, [tmp_path / "customers.csv"])
    assert "names no table" in failed.value.errors[0].reason


def test_reimporting_the_same_files_is_idempotent(store, sample_dir):
    url, engine = store
    first = import_paths(engine, [sample_dir])
    before = counts(engine)
    facts_before = compute_facts(url, AS_OF)
    second = import_paths(engine, [sample_dir])
    assert first.rows == second.rows
    assert counts(engine) == before
    assert compute_facts(url, AS_OF).equals(facts_before)


def test_parquet_files_import_to_the_same_store_as_csv(store, sample_dir, tmp_path):
    url, engine = store
    import_paths(engine, [sample_dir])
    pq_dir = tmp_path / "parquet"
    pq_dir.mkdir()
    for path in sample_dir.glob("*.csv"):
        text_columns = {c.name: "string" for c in TABLES_BY_NAME[path.stem].columns}
        options = pacsv.ConvertOptions(column_types={k: pa.string() for k in text_columns})
        pq.write_table(
            pacsv.read_csv(path, convert_options=options), pq_dir / f"{path.stem}.parquet"
        )
    other_url = f"sqlite:///{tmp_path / 'other.db'}"
    import_paths(open_store(other_url), [pq_dir])
    assert compute_facts(other_url, AS_OF).equals(compute_facts(url, AS_OF))


def test_sqlite_store_facts_on_duckdb_agree_with_the_reference(store, sample_dir):
    url, engine = store
    import_paths(engine, [sample_dir])
    with engine.connect() as connection:
        portfolio = load_portfolio(connection)
    for as_of in (AS_OF, date(2025, 3, 15)):
        assert_same_facts(compute_facts(url, as_of), reference_facts(portfolio, as_of))


def test_the_sample_is_reproducible(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_sample(a, 30, 5, AS_OF)
    write_sample(b, 30, 5, AS_OF)
    write_sample(c, 30, 6, AS_OF)
    for name in ("loans.csv", "payments.csv", "contact_attempts.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (a / "loans.csv").read_bytes() != (c / "loans.csv").read_bytes()
