"""The import file schema and the store tables, from one declaration.

Each table is a tuple of :class:`Column` rows: name, kind, whether it is required, its meaning and
an example. ``docs/data-model.md`` documents exactly these (a test keeps them in step), the
validator parses CSV and Parquet cells by ``kind``, and the SQLAlchemy tables are built from them.
Money is stored as integer fen (``<name>_cents``), penalty rates as parts per million
(``<name>_ppm``) and caps as basis points (``<name>_bp``), so every backend computes exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
)
from sqlalchemy import (
    Column as SAColumn,
)
from sqlalchemy import (
    Table as SATable,
)

from duecourse.domain.ledger import Component
from duecourse.domain.model import (
    Actor,
    ArrangementKind,
    Channel,
    FlagKind,
    LenderType,
    Outcome,
    Target,
)


class Kind(StrEnum):
    """How a file cell is parsed and stored."""

    TEXT = "text"
    INT = "int"
    MONEY = "money"  # yuan, at most 2 places, >= 0; stored as fen
    RATE = "rate"  # fraction, at most 6 places, >= 0; stored as parts per million
    RATIO = "ratio"  # fraction, at most 4 places, >= 0; stored as basis points
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # YYYY-MM-DD HH:MM[:SS], local time of the lender
    BOOL = "bool"  # true/false, 1/0, yes/no
    ENUM = "enum"
    PHONES = "phones"  # semicolon-separated list of numbers; stored in E.164 form
    PHONE = "phone"  # one number; stored in E.164 form
    ID_NUMBER = "id_number"  # 18-character resident identity number (GB 11643)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of an import file."""

    name: str
    kind: Kind
    meaning: str
    example: str
    required: bool = True
    choices: tuple[str, ...] = ()
    default: str | None = None

    @property
    def store_name(self) -> str:
        suffix = {Kind.MONEY: "_cents", Kind.RATE: "_ppm", Kind.RATIO: "_bp"}.get(self.kind, "")
        return self.name + suffix


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One import file (``<name>.csv`` or ``<name>.parquet``) and its store table."""

    name: str
    meaning: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _enum(*values: StrEnum | str) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


C = Column
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "borrowers",
        "People who owe money.",
        ("borrower_id",),
        (
            C("borrower_id", Kind.TEXT, "Unique id of the borrower.", "B000001"),
            C("name", Kind.TEXT, "Full name (masked for roles that do not need it).", "张伟"),
            C(
                "id_number",
                Kind.ID_NUMBER,
                "Resident identity number (居民身份证号码), 18 characters with the check digit.",
                "420102199001011236",
            ),
            C(
                "phones",
                Kind.PHONES,
                "The borrower's own numbers, most recent first.",
                "13800000001;13900000002",
            ),
            C("region", Kind.TEXT, "Province or municipality.", "湖北"),
            C(
                "timezone",
                Kind.TEXT,
                "IANA time zone for quiet hours.",
                "Asia/Shanghai",
                required=False,
                default="Asia/Shanghai",
            ),
        ),
    ),
    TableSpec(
        "addresses",
        "Postal addresses of borrowers; only verified ones allow a field visit.",
        ("address_id",),
        (
            C("address_id", Kind.TEXT, "Unique id of the address.", "A000001"),
            C("borrower_id", Kind.TEXT, "The borrower living or working there.", "B000001"),
            C(
                "kind",
                Kind.ENUM,
                "home, work or registered (户籍地).",
                "home",
                choices=("home", "work", "registered"),
            ),
            C("address", Kind.TEXT, "The address as written.", "武汉市江汉区某路1号"),
            C("verified", Kind.BOOL, "Confirmed that the borrower can be found there.", "true"),
        ),
    ),
    TableSpec(
        "contacts",
        "Emergency contacts, relatives, colleagues and guarantors named by borrowers.",
        ("contact_id",),
        (
            C("contact_id", Kind.TEXT, "Unique id of the contact person.", "C000001"),
            C("borrower_id", Kind.TEXT, "The borrower who named them.", "B000001"),
            C("name", Kind.TEXT, "Their name.", "李娜"),
            C(
                "relation",
                Kind.ENUM,
                "Relation to the borrower.",
                "emergency",
                choices=("emergency", "family", "colleague", "friend", "guarantor"),
            ),
            C("phone", Kind.PHONE, "Their number.", "13700000003"),
            C(
                "opted_out",
                Kind.BOOL,
                "Asked not to be contacted again (CN-TGT-04).",
                "false",
                required=False,
                default="false",
            ),
        ),
    ),
    TableSpec(
        "loans",
        "Credit agreements; one loan is one account.",
        ("loan_id",),
        (
            C("loan_id", Kind.TEXT, "Unique id of the loan (the account id).", "L000001"),
            C("borrower_id", Kind.TEXT, "The borrower.", "B000001"),
            C("lender", Kind.TEXT, "Name of the lending institution.", "湖北某消费金融"),
            C(
                "lender_type",
                Kind.ENUM,
                "Kind of lender.",
                "consumer_finance",
                choices=_enum(*LenderType),
            ),
            C("product", Kind.TEXT, "Product name or code.", "cash_loan"),
            C("principal", Kind.MONEY, "Amount lent, yuan.", "20000.00"),
            C("annual_rate", Kind.RATE, "Contractual annual interest rate, fraction.", "0.18"),
            C("term_months", Kind.INT, "Number of monthly instalments.", "12"),
            C("start_date", Kind.DATE, "Day the money was lent.", "2025-01-15"),
            C(
                "penalty_daily_rate",
                Kind.RATE,
                "Penalty interest per day on overdue principal.",
                "0.0005",
                required=False,
                default="0.0005",
            ),
            C(
                "penalty_cap_ratio",
                Kind.RATIO,
                "Total penalty cap as a fraction of principal.",
                "0.24",
                required=False,
                default="0.24",
            ),
        ),
    ),
    TableSpec(
        "instalments",
        "The repayment schedule: one row per instalment.",
        ("loan_id", "seq"),
        (
            C("loan_id", Kind.TEXT, "The loan.", "L000001"),
            C("seq", Kind.INT, "Position in the schedule, from 1.", "1"),
            C("due_date", Kind.DATE, "Due at the end of this day.", "2025-02-15"),
            C("principal", Kind.MONEY, "Principal due, yuan.", "1666.67"),
            C("interest", Kind.MONEY, "Interest due, yuan.", "300.00"),
            C("fee", Kind.MONEY, "Fees due, yuan.", "0.00", required=False, default="0"),
        ),
    ),
    TableSpec(
        "payments",
        "Money received. Backdated entries carry their true value time in paid_at.",
        ("payment_id",),
        (
            C("payment_id", Kind.TEXT, "Unique id of the payment.", "P000001"),
            C("loan_id", Kind.TEXT, "The loan paid.", "L000001"),
            C("paid_at", Kind.DATETIME, "Value time, lender's local time.", "2025-02-15 10:30"),
            C("amount", Kind.MONEY, "Amount received, yuan, > 0.", "1966.67"),
            C(
                "channel",
                Kind.ENUM,
                "How it was paid.",
                "app",
                choices=("app", "bank_transfer", "auto_debit", "counter", "agency", "other"),
            ),
            C(
                "recorded_at",
                Kind.DATETIME,
                "When the entry was recorded, if later.",
                "2025-02-18 09:00",
                required=False,
            ),
        ),
    ),
    TableSpec(
        "contact_attempts",
        "Every collection contact attempt: calls, messages, letters, visits.",
        ("attempt_id",),
        (
            C("attempt_id", Kind.TEXT, "Unique id of the attempt.", "T000001"),
            C("borrower_id", Kind.TEXT, "The debtor concerned.", "B000001"),
            C("loan_id", Kind.TEXT, "The account collected on, if one.", "L000001", required=False),
            C("at", Kind.DATETIME, "When, lender's local time.", "2025-03-01 10:00"),
            C("channel", Kind.ENUM, "Channel used.", "call", choices=_enum(*Channel)),
            C("target", Kind.ENUM, "Whom it addressed.", "debtor", choices=_enum(*Target)),
            C(
                "number",
                Kind.PHONE,
                "Number dialled or messaged.",
                "13800000001",
                required=False,
            ),
            C("outcome", Kind.ENUM, "Result.", "unanswered", choices=_enum(*Outcome)),
            C("by", Kind.ENUM, "Who made it.", "inhouse", choices=_enum(*Actor)),
            C("agent_id", Kind.TEXT, "Agent or agency id.", "AG01", required=False),
        ),
    ),
    TableSpec(
        "promises",
        "Promises to pay (承诺还款).",
        ("promise_id",),
        (
            C("promise_id", Kind.TEXT, "Unique id of the promise.", "R000001"),
            C("loan_id", Kind.TEXT, "The loan.", "L000001"),
            C("made_at", Kind.DATETIME, "When it was made.", "2025-03-01 10:05"),
            C("due_date", Kind.DATE, "Pay by the end of this day.", "2025-03-05"),
            C("amount", Kind.MONEY, "Amount promised, yuan, > 0.", "2000.00"),
        ),
    ),
    TableSpec(
        "arrangements",
        "Negotiated repayment arrangements (分期还款, 延期, 重组).",
        ("arrangement_id",),
        (
            C("arrangement_id", Kind.TEXT, "Unique id.", "G000001"),
            C("loan_id", Kind.TEXT, "The loan.", "L000001"),
            C(
                "kind",
                Kind.ENUM,
                "Kind of arrangement.",
                "instalment_plan",
                choices=_enum(*ArrangementKind),
            ),
            C("start_date", Kind.DATE, "First day it applies.", "2025-03-10"),
            C("end_date", Kind.DATE, "Last day it applies.", "2025-09-10"),
            C(
                "cancelled_on",
                Kind.DATE,
                "Day it stopped applying early.",
                "2025-05-01",
                required=False,
            ),
        ),
    ),
    TableSpec(
        "flags",
        "Account conditions over time (dispute, complaint, hardship ...).",
        ("loan_id", "flag", "start_date"),
        (
            C("loan_id", Kind.TEXT, "The loan.", "L000001"),
            C("flag", Kind.ENUM, "The condition.", "complaint", choices=_enum(*FlagKind)),
            C("start_date", Kind.DATE, "First day it holds.", "2025-03-02"),
            C(
                "end_date",
                Kind.DATE,
                "Day it stops holding (exclusive).",
                "2025-04-01",
                required=False,
            ),
            C(
                "note",
                Kind.TEXT,
                "Free text, e.g. the agency of a placement.",
                "agency A",
                required=False,
            ),
        ),
    ),
)
del C

TABLES_BY_NAME = {t.name: t for t in TABLES}

_SA_TYPES = {
    Kind.TEXT: String,
    Kind.INT: Integer,
    Kind.MONEY: BigInteger,
    Kind.RATE: BigInteger,
    Kind.RATIO: BigInteger,
    Kind.DATE: Date,
    Kind.DATETIME: DateTime,
    Kind.BOOL: Boolean,
    Kind.ENUM: String,
    Kind.PHONES: String,
    Kind.PHONE: String,
    Kind.ID_NUMBER: String,
}

metadata = MetaData()


def _sa_table(spec: TableSpec) -> SATable:
    return SATable(
        spec.name,
        metadata,
        *(
            SAColumn(
                c.store_name,
                _SA_TYPES[c.kind](),
                primary_key=c.name in spec.key,
                nullable=not c.required and c.default is None,
                index=c.name in {"loan_id", "borrower_id"} and spec.key[0] != c.name,
            )
            for c in spec.columns
        ),
    )


STORE_TABLES: dict[str, SATable] = {spec.name: _sa_table(spec) for spec in TABLES}

#: The allocation journal: written by the ledger whenever a loan's schedule or payments change.
ALLOCATIONS = SATable(
    "allocations",
    metadata,
    SAColumn("loan_id", String, primary_key=True),
    SAColumn("payment_id", String, primary_key=True),
    SAColumn("seq", Integer, primary_key=True),
    SAColumn("component", String, primary_key=True),
    SAColumn("on_date", Date, nullable=False),
    SAColumn("amount_cents", BigInteger, nullable=False),
)
PENALTY_CHARGES = SATable(
    "penalty_charges",
    metadata,
    SAColumn("loan_id", String, primary_key=True),
    SAColumn("seq", Integer, primary_key=True),
    SAColumn("on_date", Date, primary_key=True),
    SAColumn("amount_cents", BigInteger, nullable=False),
)
COMPONENTS = _enum(*Component)

#: The promise journal: one row per promise, written by ``domain.promises`` whenever a loan's
#: promises or payments change (see ``domain.promises.PromiseTrack`` for the columns).
PROMISE_STATES = SATable(
    "promise_states",
    metadata,
    SAColumn("loan_id", String, nullable=False, index=True),
    SAColumn("promise_id", String, primary_key=True),
    SAColumn("made_on", Date, nullable=False),
    SAColumn("due_date", Date, nullable=False),
    SAColumn("judged_on", Date, nullable=False),
    SAColumn("amount_cents", BigInteger, nullable=False),
    SAColumn("matched_cents", BigInteger, nullable=False),
    SAColumn("kept_on", Date),
)

#: The daily plan: one row per account and day; a rerun of the same day replaces that day.
PLANS = SATable(
    "plans",
    metadata,
    SAColumn("as_of", Date, primary_key=True),
    SAColumn("account_id", String, primary_key=True),
    SAColumn("lender_type", String, nullable=False),
    SAColumn("bucket", String, nullable=False),
    SAColumn("strategy", String, nullable=False),
    SAColumn("arm", String, nullable=False),
    SAColumn("segment", String),
    SAColumn("treatment", String),
    SAColumn("action", String, nullable=False),
    SAColumn("channel", String, nullable=False),
    SAColumn("priority", Integer, nullable=False),
    SAColumn("cadence_days", Integer, nullable=False),
    SAColumn("status", String, nullable=False),
    SAColumn("reasons", String, nullable=False),
    SAColumn("rules", String, nullable=False, server_default=""),
    SAColumn("next_allowed_at", DateTime),
)

#: Change generations, for the batch engine's store mirror (``batch/mirror.py``). On SQLite,
#: triggers add one to a table's ``generation`` whenever a row of it is updated or deleted (an
#: insert leaves it alone: new rows are found by rowid). ``store_id`` names the store file's
#: lineage, so a mirror never takes one store's rows for another's.
STORE_CHANGES = SATable(
    "store_changes",
    metadata,
    SAColumn("table_name", String, primary_key=True),
    SAColumn("generation", BigInteger, nullable=False),
    SAColumn("store_id", String, nullable=False),
)
