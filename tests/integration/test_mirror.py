"""The store mirror: refreshed with what changed, it always equals a fresh copy of the store."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date, timedelta

import ibis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duecourse.adapters.store import open_store
from duecourse.batch.backend import ALL_TABLES, copy_store, stream_tables
from duecourse.batch.mirror import mirror_folder
from duecourse.service.importer import import_paths
from duecourse.service.sample import write_sample

AS_OF = date(2025, 6, 30)
NAMES = ("loans", "payments", "allocations", "flags")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror")
    write_sample(root / "data", accounts=60, seed=5, as_of=AS_OF)
    engine = open_store(f"sqlite:///{root / 'store.db'}")
    import_paths(engine, [root / "data"])
    engine.dispose()
    return root / "store.db"


@pytest.fixture
def database(pristine, tmp_path):
    copy = tmp_path / "store.db"
    shutil.copy(pristine, copy)
    return copy


def mirrored(database, names=NAMES, wanted=None):
    duck = ibis.duckdb.connect()
    tables = copy_store(duck, database, names, wanted)
    return {n: _sorted(duck.to_pyarrow(tables[n])) for n in names}


def truth(database, names=NAMES, wanted=None):
    duck = ibis.duckdb.connect()
    tables = stream_tables(duck, database, names, wanted=wanted)
    return {n: _sorted(duck.to_pyarrow(tables[n])) for n in names}


def _sorted(table):
    return table.sort_by([(c, "ascending") for c in table.column_names])


def manifest(database):
    return json.loads((mirror_folder(database) / "manifest.json").read_text())["tables"]


def execute(database, *statements):
    with sqlite3.connect(database) as connection:
        for statement, *params in statements:
            connection.execute(statement, *params)
    connection.close()


def assert_equal(got, want):
    for name in want:
        assert got[name].schema == want[name].schema, name
        assert got[name].equals(want[name]), name


def test_a_warm_mirror_copies_nothing_then_only_new_rows(database):
    assert_equal(mirrored(database), truth(database))
    first = manifest(database)
    assert_equal(mirrored(database), truth(database))
    assert manifest(database) == first  # nothing changed: nothing copied
    execute(
        database,
        (
            "INSERT INTO payments (payment_id, loan_id, paid_at, amount_cents, channel) "
            "SELECT payment_id || '-new', loan_id, paid_at, amount_cents, channel FROM payments "
            "LIMIT 5",
        ),
    )
    assert_equal(mirrored(database), truth(database))
    after = manifest(database)
    assert len(after["payments"]["files"]) == 2  # the five rows in a file of their own
    assert after["payments"]["files"][0] == first["payments"]["files"][0]
    assert after["payments"]["rows"] == first["payments"]["rows"] + 5
    assert after["loans"] == first["loans"]


def test_new_rows_arrive_typed_booleans_times_and_nulls_alike(database):
    """New rows come through SQLite's own query, which hands every value back as text: each
    is cast to the column's type, as a whole copy casts it."""
    names = ("contacts", "payments")
    mirrored(database, names)
    execute(
        database,
        (
            "INSERT INTO contacts (contact_id, borrower_id, name, relation, phone, opted_out) "
            "SELECT contact_id || '-new', borrower_id, name, relation, phone, 1 - opted_out "
            "FROM contacts LIMIT 3",
        ),
        (
            "INSERT INTO payments (payment_id, loan_id, paid_at, amount_cents, channel, "
            "recorded_at) SELECT payment_id || '-new', loan_id, '2025-06-30 23:59:59.000250', "
            "amount_cents + 1, channel, NULL FROM payments LIMIT 3",
        ),
    )
    got = mirrored(database, names)
    assert [len(manifest(database)[n]["files"]) for n in names] == [2, 2]
    assert_equal(got, truth(database, names))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE loans SET product = 'changed' WHERE rowid = 3",
        "DELETE FROM loans WHERE rowid = (SELECT max(rowid) FROM loans)",
    ],
)
def test_an_update_or_a_delete_copies_that_table_again(database, statement):
    mirrored(database)
    first = manifest(database)
    execute(database, (statement,))
    assert_equal(mirrored(database), truth(database))
    after = manifest(database)
    assert after["loans"]["generation"] == first["loans"]["generation"] + 1
    assert after["loans"]["files"] != first["loans"]["files"]
    assert after["payments"] == first["payments"]


def test_rows_inserted_below_the_copied_rowid_are_caught_by_the_count(database):
    """A row can take a rowid the mirror has passed (a writer naming the rowid of a deleted
    row; SQLite's VACUUM may renumber rows too): no generation changes, only the count can
    tell, and the table is copied again."""
    execute(database, ("DELETE FROM payments WHERE rowid % 3 = 0",))
    mirrored(database)
    before = manifest(database)["payments"]
    execute(
        database,
        (
            "INSERT INTO payments (rowid, payment_id, loan_id, paid_at, amount_cents, channel) "
            "SELECT 3, 'P-GAP', loan_id, paid_at, amount_cents, channel FROM payments LIMIT 1",
        ),
        (
            "INSERT INTO payments (payment_id, loan_id, paid_at, amount_cents, channel) "
            "SELECT 'P-TOP', loan_id, paid_at, amount_cents, channel FROM payments LIMIT 1",
        ),
    )
    assert _generation(database, "payments") == before["generation"]
    assert_equal(mirrored(database), truth(database))
    after = manifest(database)["payments"]
    assert after["files"] != before["files"] and len(after["files"]) == 1
    assert after["rows"] == before["rows"] + 2


def test_commands_reading_other_columns_share_one_mirror(database):
    few = {"loans": ["loan_id", "lender_type"]}
    more = {"loans": ["loan_id", "product"]}
    assert_equal(mirrored(database, ["loans"], few), truth(database, ["loans"], few))
    assert_equal(mirrored(database, ["loans"], more), truth(database, ["loans"], more))
    held = manifest(database)["loans"]
    assert [c for c, _ in held["columns"]] == ["loan_id", "lender_type", "product"]
    assert_equal(mirrored(database, ["loans"], few), truth(database, ["loans"], few))
    assert manifest(database)["loans"] == held  # both now served without a copy


def test_another_store_at_the_same_path_is_never_served_from_the_mirror(database, tmp_path):
    mirrored(database)
    other = tmp_path / "other"
    write_sample(other / "data", accounts=30, seed=9, as_of=AS_OF)
    database.unlink()
    engine = open_store(f"sqlite:///{database}")
    import_paths(engine, [other / "data"])
    engine.dispose()
    assert_equal(mirrored(database), truth(database))
    assert truth(database)["loans"].num_rows == 30


def test_a_later_payment_adds_allocations_without_changing_the_journal(database, tmp_path):
    """The journal writes only the difference, so a day's payments keep the allocations'
    generation (and their mirror); a backdated one changes earlier rows, and the generation."""
    mirrored(database)
    first = manifest(database)["allocations"]
    with sqlite3.connect(database) as connection:
        loan_id, last = connection.execute(
            "SELECT loan_id, max(paid_at) FROM payments GROUP BY loan_id LIMIT 1"
        ).fetchone()
        (generation,) = connection.execute(
            "SELECT generation FROM store_changes WHERE table_name = 'allocations'"
        ).fetchone()
    connection.close()
    later = (date.fromisoformat(last[:10]) + timedelta(days=1)).isoformat()
    engine = open_store(f"sqlite:///{database}")
    folder = tmp_path / "later"
    folder.mkdir()
    (folder / "payments.csv").write_text(
        "payment_id,loan_id,paid_at,amount,channel\n"
        f"P-LATER,{loan_id},{later} 10:00:00,100.00,bank_transfer\n",
        encoding="utf-8",
    )
    import_paths(engine, [folder])
    assert _generation(database) == generation
    assert_equal(mirrored(database), truth(database))
    assert manifest(database)["allocations"]["files"][0] == first["files"][0]
    (folder / "payments.csv").write_text(
        "payment_id,loan_id,paid_at,amount,channel\n"
        f"P-EARLY,{loan_id},2024-01-02 10:00:00,100.00,bank_transfer\n",
        encoding="utf-8",
    )
    import_paths(engine, [folder])
    engine.dispose()
    assert _generation(database) > generation
    assert_equal(mirrored(database), truth(database))


def test_importing_the_same_files_again_changes_nothing(database, pristine):
    """Lenders often send whole files every day: rows that come again unchanged are not
    rewritten, so no generation moves and the mirror copies nothing."""
    mirrored(database)
    first = manifest(database)
    with sqlite3.connect(database) as connection:
        before = connection.execute("SELECT * FROM store_changes ORDER BY 1").fetchall()
    connection.close()
    engine = open_store(f"sqlite:///{database}")
    import_paths(engine, [pristine.parent / "data"])
    engine.dispose()
    with sqlite3.connect(database) as connection:
        after = connection.execute("SELECT * FROM store_changes ORDER BY 1").fetchall()
    connection.close()
    assert after == before
    assert_equal(mirrored(database), truth(database))
    assert manifest(database) == first


def _generation(database, table="allocations"):
    with sqlite3.connect(database) as connection:
        (generation,) = connection.execute(
            "SELECT generation FROM store_changes WHERE table_name = ?", (table,)
        ).fetchone()
    connection.close()
    return generation


FLAG_COLUMNS = [c.name for c in ALL_TABLES["flags"].columns]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(1, 4)),
        st.tuples(st.just("update"), st.integers(0, 50)),
        st.tuples(st.just("delete"), st.integers(0, 50)),
        st.tuples(st.just("delete_last"), st.just(0)),
        st.tuples(st.just("vacuum"), st.just(0)),
        st.tuples(st.just("refresh"), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=operations)
def test_after_any_changes_the_mirror_equals_the_store(steps, tmp_path_factory):
    """Inserts, updates, deletes (the last row too, so its rowid is reused) and VACUUM, in any
    order, with refreshes between: every refresh equals a fresh copy of the table."""
    root = tmp_path_factory.mktemp("ops")
    database = root / "store.db"
    open_store(f"sqlite:///{database}").dispose()
    made = 0
    for op, n in [*steps, ("refresh", 0)]:
        if op == "insert":
            rows = [(f"L{made + i}", "dispute", "2025-01-01", None, None) for i in range(n)]
            made += n
            with sqlite3.connect(database) as connection:
                connection.executemany("INSERT INTO flags VALUES (?, ?, ?, ?, ?)", rows)
            connection.close()
        elif op == "update":
            execute(database, (f"UPDATE flags SET note = 'x{n}' WHERE rowid % 7 = {n % 7}",))
        elif op == "delete":
            execute(database, (f"DELETE FROM flags WHERE rowid % 5 = {n % 5}",))
        elif op == "delete_last":
            execute(database, ("DELETE FROM flags WHERE rowid = (SELECT max(rowid) FROM flags)",))
        elif op == "vacuum":
            execute(database, ("VACUUM",))
        else:
            assert_equal(mirrored(database, ["flags"]), truth(database, ["flags"]))
