"""A port for reporting progress of long steps; the CLI plugs a progress bar into it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """Reports how far a long step has got."""

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        """Yield ``items`` while showing progress under ``description``."""
        ...


class Silent:
    """No progress display (library and test default)."""

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
        yield from items
