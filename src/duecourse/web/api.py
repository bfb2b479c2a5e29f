"""The JSON commands as API endpoints: the same JSON in and out as the command line, through the
commands' own adapters (one definition each)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from duecourse.errors import DuecourseError
from duecourse.web.ports import Assess, AssessUnavailable

ASSESS_EXAMPLE = {
    "lender_type": "consumer_finance",
    "days_past_due": 60,
    "amount_overdue": 20000,
    "contact": "unresponsive",
    "negotiating": False,
    "address_verified": True,
    "prior_overdues": 1,
}
ASSESS_SCHEMA = {
    "type": "object",
    "required": list(ASSESS_EXAMPLE),
    "properties": {
        "lender_type": {
            "type": "string",
            "enum": ["bank", "consumer_finance", "small_loan", "online_platform"],
        },
        "days_past_due": {"type": "integer", "minimum": 0},
        "amount_overdue": {"type": "number", "minimum": 0, "description": "CNY"},
        "contact": {"type": "string", "enum": ["reachable", "unresponsive", "lost"]},
        "negotiating": {"type": "boolean"},
        "address_verified": {"type": "boolean"},
        "prior_overdues": {"type": "integer", "minimum": 0},
    },
}
MESSAGE_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string", "description": "the message, Chinese or English"}},
}
CONTACT_EXAMPLE = {
    "pack": "cn",
    "at": "2025-06-05T21:30:00+08:00",
    "contact": {"channel": "call", "to": "debtor", "number": "13800000001", "debts": ["L1"]},
    "debtor": {"timezones": ["Asia/Shanghai"]},
}
PROPOSAL_EXAMPLE = {
    "debt": {"principal": "10000.00", "interest": "500.00", "penalty": "1000.00", "fees": "200"},
    "method": "equal_instalment",
    "annual_rate": "0.12",
    "term_months": 12,
    "start_date": "2026-12-15",
}


def _body(schema: dict[str, Any], example: dict[str, Any], doc: str) -> dict[str, Any]:
    content = {"application/json": {"schema": schema, "example": example}}
    return {"requestBody": {"required": True, "description": doc, "content": content}}


def problem(status: int, zh: str, en: str, problems: list[str] | None = None) -> JSONResponse:
    """An error answer: ``{"error": {"zh", "en"}, "problems": [...]}``."""
    body = {"error": {"zh": zh, "en": en}, "problems": problems or []}
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _answer(payload: dict[str, Any]) -> JSONResponse:
    return JSONResponse(payload, headers={"Cache-Control": "no-store"})


async def _text(request: Request) -> str | JSONResponse:
    raw = await request.body()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, "请求不是 UTF-8 文本", "the request body is not UTF-8 text")


async def _object(request: Request) -> dict[str, Any] | JSONResponse:
    """The request body as a JSON object, or the problem answer saying why it is not one."""
    text = await _text(request)
    if isinstance(text, JSONResponse):
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return problem(400, "请求不是有效的 JSON", f"the request is not valid JSON: {exc}")
    if not isinstance(data, dict):
        return problem(422, "请求应为 JSON 对象", "the request must be a JSON object")
    return data


def router(assess: Assess) -> APIRouter:
    """The API routes, with ``assess`` as the assessment port."""
    api = APIRouter(prefix="/api", tags=["api"])

    @api.post(
        "/assess",
        summary="Will they come to my door? (duecourse assess --json)",
        openapi_extra=_body(ASSESS_SCHEMA, ASSESS_EXAMPLE, "DESIGN.md §3 assess input"),
    )
    async def assess_endpoint(request: Request) -> JSONResponse:
        data = await _object(request)
        if isinstance(data, JSONResponse):
            return data
        try:
            return _answer(assess(data))
        except AssessUnavailable as exc:
            return problem(503, exc.zh, exc.en)
        except DuecourseError as exc:
            return problem(422, exc.zh, exc.en, exc.details)

    @api.post(
        "/check-message",
        summary="Is this message lawful, pressure, a violation or a scam? (check-message --json)",
        openapi_extra=_body(MESSAGE_SCHEMA, {"text": "明天上门"}, "the message to check"),
    )
    async def check_message_endpoint(request: Request) -> JSONResponse:
        from duecourse.adapters.message_json import message_json
        from duecourse.compliance.message.checker import check_message

        data = await _object(request)
        if isinstance(data, JSONResponse):
            return data
        if not isinstance(data.get("text"), str):
            return problem(422, '请求应为 {"text": "..."}', 'the request must be {"text": "..."}')
        try:
            return _answer(message_json(check_message(data["text"])))
        except DuecourseError as exc:
            return problem(422, exc.zh, exc.en)

    @api.post(
        "/check-contact",
        summary="May we make this contact now? (check-contact --json)",
        openapi_extra=_body({"type": "object"}, CONTACT_EXAMPLE, "DESIGN.md §3 check-contact"),
    )
    async def check_contact_endpoint(request: Request) -> JSONResponse:
        from duecourse.adapters.contact_json import BadRequest, load_request, outcome_json
        from duecourse.compliance.packs import evaluate, load_pack

        text = await _text(request)
        if isinstance(text, JSONResponse):
            return text
        try:
            contact = load_request(text)
        except json.JSONDecodeError as exc:
            return problem(400, "请求不是有效的 JSON", f"the request is not valid JSON: {exc}")
        except BadRequest as exc:
            return problem(422, "请求有误", "bad request", exc.problems)
        pack = load_pack(contact.pack)
        return _answer(outcome_json(evaluate(contact, pack), pack.name))

    @api.post(
        "/plan-repayment",
        summary="A repayment plan to the fen, decided (plan-repayment --json)",
        openapi_extra=_body({"type": "object"}, PROPOSAL_EXAMPLE, "docs/borrower.md proposal"),
    )
    async def plan_endpoint(request: Request) -> JSONResponse:
        from duecourse.adapters.repayment_json import (
            BadInput,
            decision_json,
            parse_json,
            parse_proposal,
        )
        from duecourse.domain.repayment.decide import decide
        from duecourse.domain.repayment.plan import ProposalError
        from duecourse.domain.repayment.terms import Guardrails

        text = await _text(request)
        if isinstance(text, JSONResponse):
            return text
        limits = Guardrails()
        try:
            decision = decide(parse_proposal(parse_json(text)), limits)
        except BadInput as exc:
            return problem(422, "方案有误", "bad proposal", exc.problems)
        except ProposalError as exc:
            return problem(422, "方案有误", "bad proposal", [f"{exc.field}: {exc.zh} · {exc.en}"])
        return _answer(decision_json(decision, limits))

    return api
