"""The app the browser tests serve: the real engine at the assessment port when this build has
it (``duecourse.service.assess``), else the test-only fake (``tests/fake_assess.py``)."""

from __future__ import annotations

from importlib.util import find_spec

from fastapi import FastAPI

from duecourse.web.app import create_app
from tests.fake_assess import fake_assess

ENGINE = find_spec("duecourse.service.assess") is not None


def create() -> FastAPI:
    return create_app() if ENGINE else create_app(fake_assess)
