"""Random contact requests for the batch-vs-single guard agreement (and its benchmark).

Drawn with a seeded ``random.Random`` and pushed onto the boundaries that matter: instants a
second either side of quiet-hour edges, histories at and around every cap, visit notices at the
lead time, limitation periods that end a day either side, third parties that opted out or are
unknown.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import yaml
from dateutil.relativedelta import relativedelta

from duecourse.batch.guard_requests import HISTORY_SCHEMA, REQUEST_SCHEMA
from duecourse.compliance.facts import history_rows, request_row
from duecourse.compliance.request import (
    Contact,
    ContactRequest,
    Debtor,
    PastContact,
    ThirdParty,
    Visit,
)
from tests.message_corpus import CORPUS

ZONES = [
    "Asia/Shanghai",
    "Asia/Shanghai",
    "Asia/Urumqi",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",
]
EDGES = [time(8), time(22), time(21), time(0)]
OUTCOMES = [
    "conversation",
    "unanswered",
    "voicemail",
    "busy",
    "not_connected",
    "delivered",
    "visited",
]
CASES = Path(__file__).resolve().parent / "cases"
#: The first corpus: small, and written so that every finding code (so every CN-BAN rule) is
#: drawn often enough for the agreement test to see each rule.
MESSAGES = [m["text"] for m in yaml.safe_load((CORPUS / "original.yaml").read_text("utf-8"))]


@dataclass
class Draw:
    rng: random.Random

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, *options):
        return self.rng.choice(options)


def _instant(d: Draw, zone: str) -> datetime:
    day = datetime(2025, 1, 1) + timedelta(days=d.rng.randrange(365))
    if d.chance(0.5):
        edge = d.rng.choice(EDGES)
        here = d.pick(zone, "Asia/Shanghai")
        wall = datetime.combine(day.date(), edge) + timedelta(seconds=d.pick(-1, 0, 0, 1))
        return wall.replace(tzinfo=ZoneInfo(here)).astimezone(UTC)
    return (day + timedelta(seconds=d.rng.randrange(86_400))).replace(tzinfo=UTC)


def _history(d: Draw, at: datetime) -> tuple[PastContact, ...]:
    out = []
    span = d.pick(8 * 86_400, 8 * 86_400, 12 * 3_600, 3_600)  # a week, a busy day, a burst
    for _ in range(d.rng.choice([0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 12])):
        back = timedelta(seconds=d.rng.randrange(-600, span))
        to = d.pick("debtor", "debtor", "debtor", "third_party")
        out.append(
            PastContact(
                at=at - back,
                channel=d.pick("call", "call", "call", "sms", "visit"),
                to=to,
                outcome=d.pick(*OUTCOMES),
                number=d.pick("n1", "n1", "n2", None),
                debts=d.pick((), ("L1",), ("L1", "L2"), ("L2",)),
                consented=d.chance(0.1),
                third_party_id=d.pick("c1", "c2") if to == "third_party" else None,
            )
        )
    if d.chance(0.3):  # a dialling campaign on one number, around the caps
        for _ in range(d.rng.randrange(5, 10)):
            out.append(
                PastContact(
                    at=at - timedelta(seconds=d.rng.randrange(60, span)),
                    channel="call",
                    to="debtor",
                    outcome=d.pick("unanswered", "voicemail", "busy", "conversation"),
                    number="n1",
                    debts=d.pick(("L1",), ("L1", "L2")),
                )
            )
    return tuple(out)


def _visit(d: Draw, at: datetime) -> Visit | None:
    if d.chance(0.2):
        return None
    sent = at - timedelta(days=d.rng.randrange(0, 6), seconds=d.pick(-1, 0, 1, 3_600))
    return Visit(
        address_verified=d.pick(True, True, False, None),
        notice_sent_at=d.pick(sent, sent, None),
        id_and_authorisation=d.pick(True, True, False, None),
        enters_premises=d.chance(0.2),
        consent_to_enter=d.chance(0.5),
    )


def _limitation_start(d: Draw, at: datetime, years: int) -> date | None:
    """None, or a start ``years`` (give or take a day) before the request's local day."""
    if d.chance(0.5):
        return None
    here = at.astimezone(ZoneInfo(d.pick("Asia/Shanghai", "America/New_York"))).date()
    return here - relativedelta(years=years) + timedelta(days=d.pick(-400, -1, 0, 1, 30))


def random_request(d: Draw, pack: str) -> ContactRequest:
    zone = d.rng.choice(ZONES)
    at = _instant(d, zone)
    channel = d.pick("call", "call", "call", "sms", "email", "im", "visit", "letter")
    to = d.pick("debtor", "debtor", "debtor", "debtor", "third_party", "guarantor", "attorney")
    contact = Contact(
        channel=channel,
        to=to,
        third_party_id=d.pick("c1", "c2", "c9", None) if to == "third_party" else None,
        number=d.pick("n1", "n2", None),
        debts=d.pick((), ("L1",), ("L2",)),
        purpose=d.pick("collect", "collect", "locate", "relay", "termination", "remedy_notice"),
        discloses_debt=d.chance(0.1),
        collectors=d.pick(1, 2, 2, 3),
        text=d.rng.choice(MESSAGES) if d.chance(0.15) else None,
        by=d.pick("inhouse", "agency", "ai"),
        consented=d.chance(0.1),
        visit=_visit(d, at) if channel == "visit" else None,
        recipients=d.pick(1, 1, 1, 5),
        legal_action=d.chance(0.2),
    )
    debtor = Debtor(
        timezones=(zone,),
        number_invalid=d.chance(0.1),
        consecutive_failed_calls=d.rng.randrange(5),
        days_unreachable=d.rng.randrange(5),
        deceased=d.chance(0.03),
        attorney_on_file=d.chance(0.1),
        cease_requested=d.chance(0.1),
        dispute_open=d.chance(0.1),
        opted_out_channels=d.pick((), (), ("sms",), ("call", "email")),
        limitation_from=_limitation_start(d, at, 6 if pack == "uk" else 3),
        annual_cost_rate=d.pick(None, Decimal("0.18"), Decimal("0.36"), Decimal("0.360001")),
        days_past_due=d.pick(None, 29, 30, 31, 120),
        balance_overdue=d.pick(None, Decimal("4999.99"), Decimal("5000.00"), Decimal("20000")),
    )
    people = (ThirdParty("c1", opted_out=d.chance(0.3)), ThirdParty("c2"))
    return ContactRequest(at, contact, debtor, pack, people, _history(d, at))  # type: ignore[arg-type]


def _table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)


def draw_requests(pack: str, n: int, seed: str | None = None) -> dict[str, ContactRequest]:
    d = Draw(random.Random(seed or f"guard-{pack}"))
    return {f"R{i:05d}": random_request(d, pack) for i in range(n)}


def as_tables(requests: dict[str, ContactRequest]) -> tuple[pa.Table, pa.Table]:
    """The requests and their histories as the batch guard's two tables."""
    rows = [request_row(k, r) for k, r in requests.items()]
    history = [h for k, r in requests.items() for h in history_rows(k, r)]
    return _table(rows, REQUEST_SCHEMA), _table(history, HISTORY_SCHEMA)
