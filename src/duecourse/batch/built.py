"""Expressions built once per scope, by what they are built from.

The simulator runs the same daily run every simulated day on a compiling backend
(``compiled.CompiledBackend``): inside its day scope every step reads equally named tables, so
a builder that reads nothing but its key's parts gives an equal expression every day. Such
builders ask :func:`built`, which keeps what they built while a memo is in scope
(:func:`keeping`) and builds anew outside one (any other run). Only builders whose result
depends on nothing but the key may use it: not on the day (a date in Python), nor on data.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")
_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("duecourse_built", default=None)


@contextmanager
def keeping(memo: dict[Hashable, Any]) -> Iterator[None]:
    """Within: :func:`built` keeps its results in ``memo``."""
    token = _memo.set(memo)
    try:
        yield
    finally:
        _memo.reset(token)


def built(key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, kept by ``key`` while a memo is in scope; built anew otherwise."""
    memo = _memo.get()
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    found: T = memo[key]
    return found
