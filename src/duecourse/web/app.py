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
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from duecourse.web import api, pages
from duecourse.web.ports import Assess, engine_assess
from duecourse.web.render import STATIC

#: Largest request body accepted (413 above it): a message, a form or a contact request with
#: its history fits many times over; the message checker takes about 5 s per MB of text.
MAX_BODY = 1024 * 1024


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
        max_body_size=MAX_BODY,
    )
    port = assess or engine_assess
    app.include_router(api.router(port))
    app.include_router(pages.router(port, today))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(PrivateHeaders)
    return app


class PrivateHeaders:
    """Every response: no referrer sent on (a page's address reveals nothing typed, but links
    leave no trail either) and no content sniffing. Plain ASGI: no per-request task."""

    HEADERS = ((b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
