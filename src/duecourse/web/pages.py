"""The borrower's pages: assess, message checker, plan calculator, letters, rights guide.

Nothing typed into a form is stored: each answer is computed from the request and sent back
(``Cache-Control: no-store``); a letter leaves the server only as the download asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import pairwise
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from duecourse.errors import DuecourseError
from duecourse.web import forms
from duecourse.web.ports import Assess
from duecourse.web.render import Lang, language, pdf, render

NO_STORE = {"Cache-Control": "no-store"}


def _lang(request: Request, form: dict[str, str] | None = None) -> Lang:
    return language((form or {}).get("lang") or request.query_params.get("lang"))


async def _form(request: Request) -> dict[str, str]:
    data = await request.form()
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _page(name: str, lang: Lang, path: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = render(name, lang, path=path, **context)
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def router(assess: Assess, today: Callable[[], date]) -> APIRouter:
    """The page routes, with the assessment port and the clock (Beijing date)."""
    pages = APIRouter(include_in_schema=False)

    @pages.get("/")
    async def home(request: Request) -> HTMLResponse:
        return _page("home.html", _lang(request), "/")

    @pages.get("/rights")
    async def rights(request: Request) -> HTMLResponse:
        from duecourse.adapters.rights_file import guide

        return _page("rights.html", _lang(request), "/rights", guide=guide())

    @pages.get("/assess")
    async def assess_form(request: Request) -> HTMLResponse:
        fields = forms.assess_fields({"address_verified": "on"})
        return _page("assess.html", _lang(request), "/assess", fields=fields)

    @pages.post("/assess")
    async def assess_answer(request: Request) -> HTMLResponse:
        form = await _form(request)
        lang = _lang(request, form)
        fields = forms.assess_fields(form)
        try:
            answer = assess(forms.assess_request(fields))
        except forms.FormProblems as exc:
            return _page("assess.html", lang, "/assess", 422, fields=fields, problems=exc.problems)
        except DuecourseError as exc:
            problems = [f"{exc.zh} · {exc.en}", *exc.details]
            return _page("assess.html", lang, "/assess", 422, fields=fields, problems=problems)
        return _page("assess.html", lang, "/assess", fields=fields, answer=answer)

    @pages.get("/check")
    async def check_form(request: Request) -> HTMLResponse:
        return _page("check.html", _lang(request), "/check", text="")

    @pages.post("/check")
    async def check_answer(request: Request) -> HTMLResponse:
        from duecourse.compliance.message.checker import check_message

        form = await _form(request)
        lang = _lang(request, form)
        text = form.get("text", "")
        try:
            result = check_message(text)
        except DuecourseError as exc:
            return _page("check.html", lang, "/check", 422, text=text, problems=[exc.headline])
        marked = _marked(text, [f.span for f in result.findings])
        return _page("check.html", lang, "/check", text=text, result=result, marked=marked)

    @pages.get("/plan")
    async def plan_form(request: Request) -> HTMLResponse:
        fields = forms.plan_fields({})
        return _page("plan.html", _lang(request), "/plan", fields=fields)

    @pages.post("/plan")
    async def plan_answer(request: Request) -> HTMLResponse:
        form = await _form(request)
        lang = _lang(request, form)
        fields = forms.plan_fields(form)
        decision, problems = _decide(fields)
        status = 422 if problems else 200
        return _page(
            "plan.html", lang, "/plan", status, fields=fields, decision=decision, problems=problems
        )

    @pages.get("/letters")
    async def letters(request: Request) -> HTMLResponse:
        return _page(
            "letters.html",
            _lang(request),
            "/letters",
            fields=forms.plan_fields({}),
            incidents=range(1, forms.INCIDENTS + 1),
        )

    @pages.post("/letters/negotiation")
    async def negotiation(request: Request) -> Response:
        from duecourse.borrower.letters import (
            NeedsConfirmation,
            information_request,
            negotiation_letter,
        )

        form = await _form(request)
        lang = _lang(request, form)
        fields = forms.plan_fields(form)
        decision, problems = _decide(fields)
        try:
            last = forms.optional_date(form, "last_activity")
        except forms.FormProblems as exc:
            problems += exc.problems
        if decision is None or problems:
            return _page(
                "plan.html", lang, "/plan", 422, fields=fields, problems=problems, decision=None
            )
        who = forms.parties(form, today())
        if form.get("information_request"):
            letter = information_request(who)
        else:
            hardship = (form.get("hardship") or "").strip() or "＿＿＿＿"
            built = negotiation_letter(who, decision, hardship, last, bool(form.get("confirmed")))
            if isinstance(built, NeedsConfirmation):
                return _page("confirm.html", lang, "/letters", form=form, warning=built.warning)
            letter = built
        return await _letter(letter, lang, form.get("format", "html"))

    @pages.post("/letters/complaint")
    async def complaint(request: Request) -> Response:
        from duecourse.borrower.letters import complaint_letter

        form = await _form(request)
        lang = _lang(request, form)
        try:
            logged = forms.incidents(form)
        except forms.FormProblems as exc:
            return _page(
                "letters.html",
                lang,
                "/letters",
                422,
                fields=forms.plan_fields({}),
                incidents=range(1, forms.INCIDENTS + 1),
                problems=exc.problems,
            )
        request_text = (form.get("request") or "").strip() or (
            "立即停止上述违规催收行为，调查处理并书面答复。"
        )
        letter = complaint_letter(forms.parties(form, today()), logged, request_text)
        return await _letter(letter, lang, form.get("format", "html"))

    return pages


def _decide(fields: dict[str, str]) -> tuple[Any, list[str]]:
    """The plan form decided with the default guardrails: ``(decision, [])`` or
    ``(None, problems)``."""
    from duecourse.adapters.repayment_json import BadInput, parse_proposal
    from duecourse.domain.repayment.decide import decide
    from duecourse.domain.repayment.plan import ProposalError
    from duecourse.domain.repayment.terms import Guardrails

    try:
        return decide(parse_proposal(forms.proposal_json(fields)), Guardrails()), []
    except (forms.FormProblems, BadInput) as exc:
        return None, exc.problems
    except ProposalError as exc:
        return None, [f"{exc.field}: {exc.zh} · {exc.en}"]


async def _letter(letter: Any, lang: Lang, fmt: str) -> Response:
    html = render("letter.html", lang, path="/letters", letter=letter, printable=fmt == "pdf")
    if fmt != "pdf":
        return HTMLResponse(html, headers=NO_STORE)
    name = f"duecourse-{letter.kind}-{letter.parties.today.isoformat()}.pdf"
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
    # WeasyPrint takes about a second: in a worker thread, so other pages are served meanwhile.
    data = await run_in_threadpool(pdf, html)
    return Response(data, media_type="application/pdf", headers=headers)


def _marked(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each marked when a finding covers it."""
    cuts = sorted({0, len(text), *(p for s in spans for p in s)})
    return [
        (text[a:b], any(s <= a and b <= e for s, e in spans)) for a, b in pairwise(cuts) if a < b
    ]
