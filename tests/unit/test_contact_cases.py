"""check-contact specification cases (tests/cases/contact.yaml), one test over every case,
through both paths: the single request's interpreter, and the batch guard (ibis on DuckDB)
over a table of every case — the same verdict, rule ids, lift and reasons. Seven cases carry
what one row of the batch cannot (several time zones, personal time windows, a validation
notice's end date, checked by a function with no batch face; debts grouped as one) and run the
single path only.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import ibis
import pyarrow as pa
import pytest
import yaml

from duecourse.adapters.contact_json import parse_request
from duecourse.batch.guard_requests import FULL_REQUEST_SCHEMA, HISTORY_SCHEMA
from duecourse.compliance.facts import batchable, history_rows, request_row
from duecourse.compliance.packs import evaluate, load_pack
from duecourse.service.guard import run_guard

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "contact.yaml").read_text("utf-8"))
#: Cases one batch row cannot carry, and why.
SINGLE_ONLY_CASES = 7


def merged(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = {**base[key], **value} if isinstance(value, dict) and key in base else value
    return out


def _request(case: dict):
    return parse_request(merged(CASES["base"], case.get("request", {})))


@pytest.fixture(scope="module")
def batch_answers() -> dict[str, dict]:
    """Every batchable case through the batch guard, one table per pack and overrides."""
    groups: dict[tuple[str, str], dict[str, object]] = defaultdict(dict)
    for case in CASES["cases"]:
        request = _request(case)
        if batchable(request, single_only=True) is None:
            key = (request.pack, json.dumps(case.get("overrides"), sort_keys=True))
            groups[key][case["name"]] = request
    backend = ibis.duckdb.connect()
    answers: dict[str, dict] = {}
    for n, ((pack, overrides), requests) in enumerate(groups.items()):
        rows = [request_row(k, r, single_only=True) for k, r in requests.items()]
        history = [h for k, r in requests.items() for h in history_rows(k, r)]
        table = backend.create_table(f"r{n}", pa.Table.from_pylist(rows, FULL_REQUEST_SCHEMA))
        past = backend.create_table(f"h{n}", pa.Table.from_pylist(history, HISTORY_SCHEMA))
        guarded = run_guard(backend, table, past, load_pack(pack, json.loads(overrides)))
        answers |= {row["request_id"]: row for row in guarded.to_pylist()}
    return answers


def test_all_but_the_single_only_cases_run_through_the_batch(batch_answers):
    assert len(CASES["cases"]) - len(batch_answers) == SINGLE_ONLY_CASES


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_contact_case(case, batch_answers):
    request = _request(case)
    outcome = evaluate(request, load_pack(request.pack, case.get("overrides")))
    expect = case["expect"]
    assert outcome.verdict.value == expect["verdict"], outcome.reasons
    if "rules" in expect:
        assert sorted(outcome.rules) == sorted(expect["rules"]), outcome.reasons
    if "next_allowed_at" in expect:
        assert outcome.next_allowed_at == datetime.fromisoformat(expect["next_allowed_at"])
    batch = batch_answers.get(case["name"])
    if batch is None:
        assert batchable(request, single_only=True) is not None
        return
    assert (batch["verdict"], batch["rules"], batch["next_allowed_at"], batch["reasons"]) == (
        outcome.verdict.value,
        ",".join(outcome.rules),
        outcome.next_allowed_at,
        "".join(f"{r}\n" for r in outcome.reasons),
    )
