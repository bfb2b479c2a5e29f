"""Import refuses values that break their field's rules: every message names the file, row,
column and reason; the CLI exits 1 and the store is unchanged (compared by a dump checksum)."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from duecourse.adapters.schema import STORE_TABLES, TABLES_BY_NAME
from duecourse.adapters.store import open_store
from duecourse.entrypoints.cli import app
from duecourse.service.importer import ImportFailed, import_paths
from tests.import_rows import BORROWER, LOAN
from tests.store_checksum import store_checksum

PAYMENT = {
    "payment_id": "P1",
    "loan_id": "L1",
    "paid_at": "2025-02-01 10:00",
    "amount": "100.00",
    "channel": "app",
    "recorded_at": "",
}
ACCEPTED = "accepted form: ASCII digits with an optional decimal point"


def write(folder: Path, table: str, rows: list[dict[str, str]]) -> None:
    folder.mkdir(exist_ok=True)
    header = [c.name for c in TABLES_BY_NAME[table].columns]
    with (folder / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def squash(text: str) -> str:
    """The text without whitespace: the console wraps long lines."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def imported(tmp_path) -> tuple[str, Path]:
    """A store holding one borrower, one loan and one payment."""
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    good = tmp_path / "good"
    write(good, "borrowers", [BORROWER])
    write(good, "loans", [LOAN])
    write(good, "payments", [PAYMENT])
    result = CliRunner().invoke(app, ["--db", url, "import", str(good)])
    assert result.exit_code == 0, result.output
    return url, path


def refused(imported, tmp_path, table: str, row: dict[str, str], column: str) -> str:
    """Import one bad ``row`` into the imported store: refused with exit 1, naming the file,
    row and column, and the store unchanged. The output, squashed."""
    url, path = imported
    before = store_checksum(path)
    bad = tmp_path / "bad"
    write(bad, table, [row])
    result = CliRunner().invoke(app, ["--db", url, "import", str(bad)])
    assert result.exit_code == 1
    out = squash(result.output)
    assert squash(f"{table}.csv 第 1 行 row 1, 列 column '{column}'") in out
    assert store_checksum(path) == before
    return out


@pytest.mark.parametrize(
    ("table", "row", "column", "reason"),
    [
        ("payments", {**PAYMENT, "amount": "1,234.00"}, "amount", "has a thousands separator"),
        ("payments", {**PAYMENT, "amount": "１２３"}, "amount", "has full-width characters"),
        ("payments", {**PAYMENT, "amount": "1e3"}, "amount", "is in exponent notation"),
        ("loans", {**LOAN, "principal": "3,000"}, "principal", "has a thousands separator"),
        ("loans", {**LOAN, "annual_rate": "1.8E-1"}, "annual_rate", "is in exponent notation"),
    ],
    ids=["thousands", "full-width", "exponent", "principal", "rate"],
)
def test_an_amount_in_another_form_is_refused_naming_the_accepted_form(
    imported, tmp_path, table, row, column, reason
):
    out = refused(imported, tmp_path, table, row, column)
    assert squash(reason) in out and squash(ACCEPTED) in out


@pytest.mark.parametrize(
    ("table", "row", "column", "reason"),
    [
        (
            "payments",
            {**PAYMENT, "paid_at": "2126-02-01 10:00"},
            "paid_at",
            "is after the import date",
        ),
        ("loans", {**LOAN, "start_date": "2126-01-01"}, "start_date", "is not within 50 years"),
        ("loans", {**LOAN, "start_date": "1900-01-01"}, "start_date", "is not within 50 years"),
        ("borrowers", {**BORROWER, "phones": "not-a-number"}, "phones", "not a valid phone"),
        (
            "borrowers",
            {**BORROWER, "phones": "13800000001;95588"},
            "phones",
            "'95588' 不是有效的电话号码",
        ),
        (
            "borrowers",
            {**BORROWER, "id_number": "420102199001011234"},
            "id_number",
            "the check digit does not match",
        ),
        (
            "borrowers",
            {**BORROWER, "id_number": "420102199002301231"},
            "id_number",
            "its birth date does not exist",
        ),
        ("borrowers", {**BORROWER, "timezone": "Asia/Beijing"}, "timezone", "IANA time zone"),
        ("loans", {**LOAN, "term_months": "-3"}, "term_months", "at least one month"),
    ],
    ids=[
        "payment-2126",
        "loan-2126",
        "loan-1900",
        "phone-words",
        "phone-short",
        "id-check-digit",
        "id-birth-date",
        "zone",
        "negative-term",
    ],
)
def test_a_value_outside_its_fields_rules_is_refused(
    imported, tmp_path, table, row, column, reason
):
    out = refused(imported, tmp_path, table, row, column)
    assert squash(reason) in out


def test_the_import_date_is_a_parameter_and_events_may_be_one_day_ahead(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    data = tmp_path / "data"
    write(data, "borrowers", [BORROWER])
    write(data, "loans", [LOAN])
    write(data, "payments", [{**PAYMENT, "paid_at": "2025-03-03 10:00"}])
    with pytest.raises(ImportFailed) as failed:
        import_paths(engine, [data], today=date(2025, 3, 1))
    assert [(e.file, e.row, e.column) for e in failed.value.errors] == [
        ("payments.csv", 1, "paid_at")
    ]
    import_paths(engine, [data], today=date(2025, 3, 2))  # the lender's day may be ahead


def test_phone_numbers_are_stored_in_e164_form(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    data = tmp_path / "data"
    write(data, "borrowers", [{**BORROWER, "phones": "138 0000 0001; (010) 6234-5678"}])
    write(
        data,
        "contacts",
        [
            {
                "contact_id": "C1",
                "borrower_id": "B1",
                "name": "李娜",
                "relation": "family",
                "phone": "+86 139 0000 0002",
                "opted_out": "",
            }
        ],
    )
    import_paths(engine, [data])
    with engine.connect() as connection:
        borrowers = STORE_TABLES["borrowers"]
        contacts = STORE_TABLES["contacts"]
        phones = connection.execute(select(borrowers.c.phones)).scalar_one()
        contact = connection.execute(select(contacts.c.phone)).scalar_one()
    assert phones == "+8613800000001;+861062345678"
    assert contact == "+8613900000002"


def test_every_bad_cell_of_a_file_is_listed_at_once(imported, tmp_path):
    url, path = imported
    before = store_checksum(path)
    bad = tmp_path / "bad"
    write(
        bad,
        "payments",
        [
            {**PAYMENT, "payment_id": "P2", "amount": "1,234.00"},
            {**PAYMENT, "payment_id": "P3", "amount": "１２３"},
            {**PAYMENT, "payment_id": "P4", "amount": "1e3", "paid_at": "2126-01-01 09:00"},
        ],
    )
    with pytest.raises(ImportFailed) as failed:
        import_paths(open_store(url), [bad])
    assert [(e.row, e.column) for e in failed.value.errors] == [
        (1, "amount"),
        (2, "amount"),
        (3, "amount"),
        (3, "paid_at"),
    ]
    assert store_checksum(path) == before
