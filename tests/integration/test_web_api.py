"""The JSON API answers exactly what the commands print (one adapter each), refuses bad input
in Chinese and English, and the pages store nothing: no cookies, ``Cache-Control: no-store``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from duecourse.web.app import create_app
from tests.fake_assess import fake_assess

ROOT = Path(__file__).resolve().parents[2]
CONTACT = {
    "pack": "cn",
    "at": "2025-06-05T21:30:00+08:00",
    "contact": {"channel": "call", "to": "debtor", "number": "13800000001", "debts": ["L1"]},
    "debtor": {"timezones": ["Asia/Shanghai"]},
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(fake_assess))


def _cli(*args: str, stdin: str | None = None) -> dict:
    exe = Path(sys.executable).with_name("duecourse")
    done = subprocess.run(
        [str(exe), *args],
        input=stdin.encode() if stdin else None,
        capture_output=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "100"},
        check=True,
    )
    return json.loads(done.stdout)


def test_the_api_answers_as_the_commands_do(client: TestClient):
    text = "再不还钱就去你家，通知你单位"
    assert client.post("/api/check-message", json={"text": text}).json() == _cli(
        "check-message", text, "--json"
    )
    request = json.dumps(CONTACT)
    assert client.post("/api/check-contact", content=request).json() == _cli(
        "check-contact", "-", "--json", stdin=request
    )
    proposal = (ROOT / "docs/examples/plan-proposal.json").read_text(encoding="utf-8")
    answer = client.post("/api/plan-repayment", content=proposal).json()
    assert answer == _cli("plan-repayment", "-", "--json", stdin=proposal)
    assert answer["plan"]["total_payable"] == "11324.12"  # docs/borrower.md, by hand


def test_bad_input_is_refused_in_both_languages(client: TestClient):
    r = client.post("/api/check-contact", content="{")
    assert r.status_code == 400 and r.json()["error"]["zh"] and r.json()["error"]["en"]
    r = client.post("/api/check-contact", content=json.dumps({**CONTACT, "pack": 3}))
    assert r.status_code == 422 and any(p.startswith("pack") for p in r.json()["problems"])
    r = client.post("/api/check-message", json={"text": "   "})
    assert r.status_code == 422 and "信息为空" in r.json()["error"]["zh"]
    r = client.post("/api/plan-repayment", content=json.dumps({"method": "x"}))
    assert r.status_code == 422 and len(r.json()["problems"]) >= 2
    r = client.post("/api/assess", json={"lender_type": "pawnshop", "contact": "lost"})
    assert r.status_code == 422


def test_an_oversized_body_is_refused(client: TestClient):
    r = client.post("/api/check-message", json={"text": "上门" * 600_000})
    assert r.status_code == 413


def test_assess_is_answered_through_the_port(client: TestClient):
    body = {
        "lender_type": "consumer_finance",
        "days_past_due": 60,
        "amount_overdue": 20000,
        "contact": "unresponsive",
        "negotiating": False,
        "address_verified": True,
        "prior_overdues": 1,
    }
    answer = client.post("/api/assess", json=body).json()
    assert set(answer) >= {"door_visit", "next_actions", "reasons", "rights", "advice"}
    assert answer["reasons"] == ["FAKE: days_past_due 60"]  # the fake's own words: it was called


def test_the_engine_answers_the_api_as_the_command_does():
    """The default port is the engine: the same JSON as ``duecourse.service.assess.assess``
    (which the command prints), and a bad field is refused with its name."""
    from duecourse.service.assess import assess

    body = {
        "lender_type": "small_loan",
        "days_past_due": 95,
        "amount_overdue": 20000,
        "contact": "lost",
        "negotiating": False,
        "address_verified": True,
        "prior_overdues": 2,
    }
    web = TestClient(create_app())
    answer = web.post("/api/assess", json=body)
    assert answer.status_code == 200
    assert answer.json() == json.loads(json.dumps(assess(body)))
    bad = web.post("/api/assess", json={**body, "contact": "hiding"})
    assert bad.status_code == 422 and "contact" in json.dumps(bad.json(), ensure_ascii=False)


def test_openapi_documents_the_json_commands(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/assess", "/api/check-message", "/api/check-contact"):
        body = paths[path]["post"]["requestBody"]["content"]["application/json"]
        assert "example" in body


def test_pages_store_nothing(client: TestClient):
    r = client.post("/check", data={"text": "明天上门"})
    assert r.status_code == 200 and "set-cookie" not in r.headers
    assert r.headers["cache-control"] == "no-store"
    r = client.post("/letters/complaint", data={"borrower": "王五", "format": "html"})
    assert r.status_code == 200 and "set-cookie" not in r.headers
    assert r.headers["referrer-policy"] == "no-referrer"


def test_pages_in_both_languages(client: TestClient):
    assert "你的权利" in client.get("/rights").text
    english = client.get("/rights?lang=en").text
    assert 'lang="en"' in english and "Where to complain" in english


def test_bad_form_values_are_named(client: TestClient):
    r = client.post("/plan", data={"principal": "abc"})
    assert r.status_code == 422 and "debt.principal" in r.text
    r = client.post("/assess", data={"days_past_due": "-3"})
    assert r.status_code == 422 and "days_past_due" in r.text
