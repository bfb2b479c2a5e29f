"""``serve``: the borrower's pages and the JSON API (FastAPI under uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command()(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Worker processes (one per core serves the most).")
    ] = 1,
) -> None:
    """Serve the borrower's pages (assess, message checker, plan calculator, letters, rights)
    and the JSON API (/api/assess, /api/check-message, /api/check-contact; /openapi.json)."""
    import uvicorn

    typer.echo(f"打开 Open http://{host}:{port}/  (English: http://{host}:{port}/?lang=en)")
    uvicorn.run(
        "duecourse.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
