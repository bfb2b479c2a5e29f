"""The run's dates inside its expressions: literals, or offsets from one backend variable.

A run's dates (the as-of day, the windows before it, the dispatch times) all derive from its
day. Built normally, each is a literal, so a run of another day is another query. Inside
:func:`day_variable`, each is written as an offset from the variable ``duecourse_day`` the
backend holds (DuckDB's ``getvariable``): runs of different days then build the same
expressions, so a backend that caches compiled SQL by expression (``compiled.CompiledBackend``,
the simulator's) compiles the run once and re-executes it every day. The values are the same
either way; only how they enter the query differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

#: The DuckDB variable holding the run's day, inside :func:`day_variable`.
DAY_VARIABLE = "duecourse_day"
_today: ContextVar[date | None] = ContextVar("duecourse_day", default=None)


@ibis.udf.scalar.builtin(name="getvariable")  # type: ignore[untyped-decorator]
def _day_variable(variable: str) -> dt.Date:  # type: ignore[empty-body]
    """DuckDB's ``getvariable`` (the run's day)."""


@contextmanager
def day_variable(day: date) -> Iterator[None]:
    """Within: the dates built by this module are offsets from ``duecourse_day`` (``day``)."""
    token = _today.set(day)
    try:
        yield
    finally:
        _today.reset(token)


def date_value(day: date) -> ir.DateValue:
    """``day`` as a date expression."""
    today = _today.get()
    if today is None:
        return ibis.literal(day, type="date")
    shift = (day - today).days
    base = _day_variable(ibis.literal(DAY_VARIABLE))
    return base if shift == 0 else (base + ibis.interval(days=shift)).cast("timestamp").date()


def wall_value(at: datetime) -> ir.TimestampValue:
    """``at`` (naive, a wall-clock time) as a timestamp expression."""
    today = _today.get()
    if today is None:
        return ibis.literal(at, type="timestamp")
    seconds = int((at - datetime.combine(today, time())).total_seconds())
    base = _day_variable(ibis.literal(DAY_VARIABLE)).cast("timestamp")
    return base + ibis.interval(seconds=seconds)


def utc_value(at: datetime) -> ir.TimestampValue:
    """``at`` (aware) as a UTC timestamp expression (the backend's session zone is UTC)."""
    today = _today.get()
    utc = dt.Timestamp(timezone="UTC")
    if today is None:
        return ibis.literal(at, type=utc)
    naive = at.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return wall_value(naive).cast(utc)
