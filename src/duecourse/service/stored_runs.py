"""Which stored runs a day's run looks at: its catch-up day, the latest stored day, its own.

What-if runs are never stored, so nothing here can see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import ibis.expr.types as ir

from duecourse.batch.day_values import date_value


@dataclass(frozen=True, slots=True)
class StoredRuns:
    """The stored runs a day's run looks at (none are what-if runs: those are not stored).

    Attributes:
        catch_up: the latest stored day in ``[as_of - catch_up_days, as_of)``, whose plan
            ``bucket_jump`` compares with; ``None`` when there is none (the jump is then 0).
        latest: the latest stored day of all (after ``as_of`` for a backfill).
        replaces: the day itself is stored, and a real run replaces it.
    """

    catch_up: date | None
    latest: date | None
    replaces: bool

    def backfill(self, as_of: date) -> bool:
        """A run for ``as_of`` is a backfill: a later day is stored already."""
        return self.latest is not None and self.latest > as_of


def stored_runs(backend: Any, plans: ir.Table, day: date, catch_up_days: int) -> StoredRuns:
    """Which stored runs a run for ``day`` looks at (one small query over the plans' days)."""
    today = date_value(day)
    since = date_value(day - timedelta(days=catch_up_days))
    found = backend.to_pyarrow(
        plans.aggregate(
            catch_up=plans.as_of.max(where=(plans.as_of < today) & (plans.as_of >= since)),
            latest=plans.as_of.max(),
            replaces=(plans.as_of == today).any(),
        )
    ).to_pylist()
    row = found[0] if found else {}
    return StoredRuns(row.get("catch_up"), row.get("latest"), bool(row.get("replaces")))
