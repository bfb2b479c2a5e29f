"""Which store to open: a URL from ``--db``, ``$DUECOURSE_DB`` or the default file.

Kept apart from :mod:`duecourse.adapters.store` so that the command line can name the store
without importing SQLAlchemy (about 1.4 s here) for commands that never open it.
"""

from __future__ import annotations

import os

DEFAULT_URL = "sqlite:///duecourse.db"
ENV_VAR = "DUECOURSE_DB"


def store_url(explicit: str | None = None) -> str:
    """``--db`` wins, then ``$DUECOURSE_DB``, then ``duecourse.db`` in the current directory."""
    return explicit or os.environ.get(ENV_VAR) or DEFAULT_URL
