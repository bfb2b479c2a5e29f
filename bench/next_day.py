"""A day of new business for the run benchmark: payments and contact attempts, imported.

The second day's run then finds what a lender's store holds the morning after: yesterday's
plans, new payments (re-posted to the journal by the importer) and new contact attempts.
"""

from __future__ import annotations

import csv
import random
import sqlite3
from datetime import date
from pathlib import Path

from duecourse.adapters.store import open_store
from duecourse.service.importer import import_paths


def write_day(db: Path, folder: Path, day: date, payers: int, contacted: int) -> int:
    """CSV files of ``payers`` payments and ``contacted`` SMS attempts on ``day``, for
    accounts drawn at random (seeded); returns the number of rows written."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    loans = con.execute("SELECT loan_id, borrower_id FROM loans ORDER BY loan_id").fetchall()
    con.close()
    rng = random.Random(day.toordinal())
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "payments.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(["payment_id", "loan_id", "paid_at", "amount", "channel", "recorded_at"])
        for n, (loan_id, _) in enumerate(rng.sample(loans, payers)):
            w.writerow(
                [f"PD{day:%Y%m%d}-{n}", loan_id, f"{day} 10:00:00", "300.00", "bank_transfer", ""]
            )
    with open(folder / "contact_attempts.csv", "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(
            [
                "attempt_id",
                "borrower_id",
                "loan_id",
                "at",
                "channel",
                "target",
                "number",
                "outcome",
                "by",
                "agent_id",
            ]
        )
        for n, (loan_id, borrower_id) in enumerate(rng.sample(loans, contacted)):
            w.writerow(
                [
                    f"TD{day:%Y%m%d}-{n}",
                    borrower_id,
                    loan_id,
                    f"{day} 11:00:00",
                    "sms",
                    "debtor",
                    "13800000000",
                    "delivered",
                    "inhouse",
                    "",
                ]
            )
    return payers + contacted


def import_day(url: str, folder: Path) -> None:
    """Import the day's files as a lender would (validation, store, journal)."""
    import_paths(open_store(url), [folder])
