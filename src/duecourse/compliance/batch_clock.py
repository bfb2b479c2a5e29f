"""The clock of :mod:`duecourse.compliance.clock`, as ibis expressions over many rows.

Instants are UTC timestamps; local wall times come from the backend's ``timezone(zone, ts)``
(DuckDB and PostgreSQL share its name and both directions), so every row can have its own zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeAlias

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from duecourse.compliance.clock import Window

UTC = dt.Timestamp(timezone="UTC")
Zone: TypeAlias = ir.StringValue | str
LOOKAHEAD_DAYS = 3


@ibis.udf.scalar.builtin(name="timezone")  # type: ignore[untyped-decorator]
def _to_local(zone: str, ts: UTC) -> dt.timestamp:  # type: ignore[valid-type]
    """The wall time in ``zone`` of a UTC instant."""


@ibis.udf.scalar.builtin(name="timezone")  # type: ignore[untyped-decorator]
def _from_local(zone: str, ts: dt.timestamp) -> UTC:  # type: ignore[valid-type]
    """The UTC instant of a wall time in ``zone``."""


_ROW_ZONE: ContextVar[str | None] = ContextVar("row_zone", default=None)


@contextmanager
def rows_in_zone(zone: str) -> Iterator[None]:
    """While building expressions for rows that all share ``zone``, convert the zone column as
    that constant (a per-row zone makes the backend build a calendar for every row, about 15×
    slower than a constant zone)."""
    token = _ROW_ZONE.set(zone)
    try:
        yield
    finally:
        _ROW_ZONE.reset(token)


def _per_zone(zone: Zone, convert: Callable[[Zone], ir.TimestampValue]) -> ir.TimestampValue:
    shared = _ROW_ZONE.get()
    return convert(shared if shared is not None and not isinstance(zone, str) else zone)


def _distinct(zones: Sequence[Zone]) -> list[Zone]:
    """The zones, with a zone column read as the rows' shared zone, each once."""
    shared = _ROW_ZONE.get()
    out: list[Zone] = []
    for zone in zones:
        resolved = shared if shared is not None and not isinstance(zone, str) else zone
        if not isinstance(resolved, str) or resolved not in [z for z in out if isinstance(z, str)]:
            out.append(resolved)
    return out


def local(at: ir.TimestampValue, zone: Zone) -> ir.TimestampValue:
    return _per_zone(zone, lambda z: _to_local(z, at))


def instant(wall: ir.TimestampValue, zone: Zone) -> ir.TimestampValue:
    return _per_zone(zone, lambda z: _from_local(z, wall))


def local_day(at: ir.TimestampValue, zone: Zone) -> ir.DateValue:
    return local(at, zone).date()


def _wall(day: ir.DateValue, moment: str, plus_days: int = 0) -> ir.TimestampValue:
    hours, minutes = (int(p) for p in moment.split(":"))
    start: ir.TimestampValue = day.cast("timestamp")
    return start + ibis.interval(days=plus_days, hours=hours, minutes=minutes)


def in_window(at: ir.TimestampValue, zone: Zone, window: Sequence[str]) -> ir.BooleanValue:
    """Whether the wall time of ``at`` in ``zone`` lies in ``[start, end)`` (may wrap midnight)."""
    start, end = (ibis.time(w) for w in window)
    moment = local(at, zone).time()
    if window[0] <= window[1]:
        return (moment >= start) & (moment < end)
    return (moment >= start) | (moment < end)


def next_local_midnight(at: ir.TimestampValue, zone: Zone) -> ir.TimestampValue:
    return instant(_wall(local_day(at, zone), "00:00", 1), zone)


def next_outside(
    at: ir.TimestampValue, zones: Sequence[Zone], window: Sequence[str]
) -> ir.TimestampValue:
    """The first instant at or after ``at`` outside ``window`` in every zone; NULL when none
    lies within the look-ahead (the zones' windows together cover the day).

    The first such instant is ``at`` itself or the end of a window in one of the zones. A zone's
    window ends come in order, so its first allowed end is the least of its allowed ends, and
    the answer is the least of the zones' first allowed ends. Written as ``CASE`` chains, the
    backend stops at the first allowed end of each zone.
    """

    zones = _distinct(zones)

    def allowed(c: ir.TimestampValue) -> ir.BooleanValue:
        ok = c >= at
        for zone in zones:
            ok &= ~in_window(c, zone, window)
        return ok

    firsts: list[ir.TimestampValue] = [ibis.ifelse(allowed(at), at, ibis.null(UTC))]
    for zone in zones:
        today = local_day(at, zone)
        ends = [instant(_wall(today, window[1], k), zone) for k in range(LOOKAHEAD_DAYS + 2)]
        firsts.append(ibis.cases(*((allowed(e), e) for e in ends), else_=ibis.null(UTC)))
    first = ibis.least(*firsts)
    too_far = first > at + ibis.interval(days=LOOKAHEAD_DAYS)
    return ibis.ifelse(too_far, ibis.null(UTC), first)


__all__ = ["Window", "in_window", "instant", "local", "local_day", "next_local_midnight"]
