"""check-contact specification cases (tests/cases/contact.yaml), one test over every case."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml

from duecourse.adapters.contact_json import parse_request
from duecourse.compliance.packs import evaluate, load_pack

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "contact.yaml").read_text("utf-8"))


def merged(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        out[key] = {**base[key], **value} if isinstance(value, dict) and key in base else value
    return out


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_contact_case(case):
    request = parse_request(merged(CASES["base"], case.get("request", {})))
    outcome = evaluate(request, load_pack(request.pack, case.get("overrides")))
    expect = case["expect"]
    assert outcome.verdict.value == expect["verdict"], outcome.reasons
    if "rules" in expect:
        assert sorted(outcome.rules) == sorted(expect["rules"]), outcome.reasons
    if "next_allowed_at" in expect:
        assert outcome.next_allowed_at == datetime.fromisoformat(expect["next_allowed_at"])
