"""The batch guard (ibis on DuckDB) and the single-request guard agree on 10,000 random requests
per pack (``tests/random_requests.py``): the same verdict, the same rule ids in the same order,
the same ``next_allowed_at``, and every batch rule is reached.
"""

from __future__ import annotations

from collections import Counter

import ibis
import pytest

from duecourse.compliance.packs import evaluate, load_pack
from duecourse.compliance.rules.cn_ban import TEXT_RULE_IDS
from duecourse.service.guard import run_guard
from tests.random_requests import as_tables, draw_requests

N = 10_000
#: A lender's settings, so that parameters off their defaults are held to agreement too.
LENDER = {"cn": {"params": {"DC-VIS-PRE": {"min_dpd": 30, "min_balance": 5000}}}}


@pytest.mark.parametrize("pack_name", ["cn", "us"])
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
        got = batch[key]
        expected = (single.verdict.value, ",".join(single.rules), single.next_allowed_at)
        actual = (got["verdict"], got["rules"], got["next_allowed_at"])
        tally[single.verdict.value] += 1
        tally.update(f"rule {r}" for r in single.rules)
        if single.next_allowed_at is not None:
            tally["deferred"] += 1
        if expected != actual:
            disagreements.append((key, expected, actual))
    with capsys.disabled():
        print(f"\n{pack_name}: {N} requests, batch = single; {dict(sorted(tally.items()))}")
    assert not disagreements, disagreements[:5]
    assert min(tally["allow"], tally["block"], tally["deferred"]) > 100
    silent = [r for r in _batch_rule_ids(pack) if tally[f"rule {r}"] < 5]
    assert not silent, f"rules the random requests hardly reach: {silent}"


def _batch_rule_ids(pack) -> list[str]:
    ids = [r.id for r in pack.active() if r.batch is not None]
    return [i for i in ids if i != "CN-BAN"] + (list(TEXT_RULE_IDS) if "CN-BAN" in ids else [])
