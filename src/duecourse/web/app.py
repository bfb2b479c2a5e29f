"""The FastAPI application: the borrower's pages, the JSON API and its OpenAPI document.

``create_app`` is the composition root of the web layer: the assessment port defaults to the
engine (``duecourse.service.assess``), the clock to today's date in Beijing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import Response

from duecourse.web import api, pages
from duecourse.web.ports import Assess, engine_assess
from duecourse.web.render import STATIC


def beijing_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def create_app(assess: Assess | None = None, today: Callable[[], date] = beijing_today) -> FastAPI:
    """The app; ``assess`` replaces the engine (tests), ``today`` the clock."""
    app = FastAPI(
        title="duecourse",
        summary="借款人工具与合规检查 · Borrower tools and compliance checks",
        version="0.1.0",
        docs_url="/api/docs",
        redoc_url=None,
    )
    port = assess or engine_assess
    app.include_router(api.router(port))
    app.include_router(pages.router(port, today))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def private(request: Request, call_next: Callable[[Request], object]) -> Response:
        response: Response = await call_next(request)  # type: ignore[misc]
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app
