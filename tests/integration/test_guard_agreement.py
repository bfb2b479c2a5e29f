"""The batch guard (ibis on DuckDB) and the single-request guard agree on 10,000 random requests
per pack (``tests/random_requests.py``): the same verdict, the same rule ids in the same order,
the same ``next_allowed_at`` and the same reasons, word for word, and every batch rule is
reached.
"""

from __future__ import annotations

import os
from collections import Counter

import ibis
import pytest

from duecourse.compliance.packs import evaluate, load_pack
from duecourse.compliance.plugins import TEXT_RULE_IDS
from duecourse.service.guard import run_guard
from tests.random_requests import as_tables, draw_requests

N = int(os.environ.get("DUECOURSE_AGREEMENT_N", "10000"))
#: A lender's settings, so that parameters off their defaults are held to agreement too.
LENDER = {"cn": {"params": {"DC-VIS-PRE": {"min_dpd": 30, "min_balance": 5000}}}}


def single_answer(outcome) -> tuple:
    reasons = "".join(f"{r}\n" for r in outcome.reasons)
    return (outcome.verdict.value, ",".join(outcome.rules), outcome.next_allowed_at, reasons)


def batch_answer(row) -> tuple:
    return (row["verdict"], row["rules"], row["next_allowed_at"], row["reasons"])


@pytest.mark.parametrize("pack_name", ["cn", "us", "uk"])
def test_batch_and_single_guards_agree_on_10000_random_requests(pack_name, capsys):
    pack = load_pack(pack_name, LENDER.get(pack_name))
    requests = draw_requests(pack_name, N)
    backend = ibis.duckdb.connect()
    request_table, history_table = as_tables(requests)
    batch_requests = backend.create_table("requests", request_table)
    history = backend.create_table("history", history_table)
    batch = {
        row["request_id"]: row
        for row in run_guard(backend, batch_requests, history, pack).to_pylist()
    }
    tally: Counter[str] = Counter()
    disagreements = []
    for key, request in requests.items():
        single = evaluate(request, pack)
        expected, actual = single_answer(single), batch_answer(batch[key])
        tally[single.verdict.value] += 1
        tally.update(f"rule {r}" for r in single.rules)
        if single.next_allowed_at is not None:
            tally["deferred"] += 1
        if expected != actual:
            disagreements.append((key, expected, actual))
    with capsys.disabled():
        print(f"\n{pack_name}: {N} requests, batch = single; {dict(sorted(tally.items()))}")
    assert not disagreements, disagreements[:3]
    assert min(tally["allow"], tally["block"], tally["deferred"]) > N // 100
    silent = [r for r in _batch_rule_ids(pack) if tally[f"rule {r}"] < 5]
    assert not silent, f"rules the random requests hardly reach: {silent}"


def _batch_rule_ids(pack) -> list[str]:
    ids = [r.id for r in pack.active() if r.batch]
    return [i for i in ids if i != "CN-BAN"] + (list(TEXT_RULE_IDS) if "CN-BAN" in ids else [])
