"""Local times, windows that may wrap midnight, and the next instant outside them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Window = tuple[time, time]  # [start, end); start > end wraps midnight


def parse_window(pair: Sequence[str]) -> Window:
    start, end = (time.fromisoformat(p) for p in pair)
    return start, end


def in_window(moment: time, window: Window) -> bool:
    start, end = window
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


def local(at: datetime, zone: str) -> datetime:
    return at.astimezone(ZoneInfo(zone))


def _window_end(at: datetime, zone: str, window: Window) -> datetime:
    """The instant the window containing ``at`` (in ``zone``) ends."""
    here = local(at, zone)
    start, end = window
    day = here.date()
    if start > end and here.time() >= start:
        day += timedelta(days=1)
    candidate = datetime.combine(day, end, tzinfo=ZoneInfo(zone))
    if candidate <= here:
        candidate += timedelta(days=1)
    return candidate


def next_outside(at: datetime, zones: Sequence[str], windows: Sequence[Window]) -> datetime | None:
    """The first instant at or after ``at`` outside every window in every zone; ``None`` when
    there is none (the windows of different zones together cover the whole day)."""
    candidate = at
    for _ in range(100):
        if candidate - at > timedelta(days=3):
            return None
        moved = False
        for zone in zones:
            for window in windows:
                if in_window(local(candidate, zone).time(), window):
                    end = _window_end(candidate, zone, window)
                    candidate = max(candidate + timedelta(microseconds=1), end)
                    moved = True
        if not moved:
            return candidate
    return None


def next_local_midnight(at: datetime, zone: str) -> datetime:
    here = local(at, zone)
    return datetime.combine(here.date() + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))


def local_date(at: datetime, zone: str) -> date:
    return local(at, zone).date()
