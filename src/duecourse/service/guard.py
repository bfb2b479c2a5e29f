"""The batch guard: every request checked by the pack at once, with ``next_allowed_at``.

As :func:`duecourse.compliance.packs.evaluate` does for one request, a block that lifts is
re-checked at its lift until the whole pack allows it; each round is one query over the rows
still waiting, materialised in the backend.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from duecourse.batch.built import built
from duecourse.compliance.batch import BatchRule, HitColumn, combine_hits, guard_hits
from duecourse.compliance.batch_clock import UTC, rows_in_zone
from duecourse.compliance.facts import SINGLE_ONLY
from duecourse.compliance.packs import Pack

OUTCOME_COLUMNS = ("request_id", "verdict", "rules", "reasons", "next_allowed_at")


def batch_rules(pack: Pack, given: frozenset[str] = frozenset()) -> list[BatchRule]:
    """The pack's active rules that can fire in the batch (``given``: the single-only facts the
    requests table has, as for ``check-contact`` files; the store has none)."""
    return [BatchRule(r.id, r.params, r) for r in pack.active() if r.in_batch(given)]


def _materialise(backend: Any, expr: ir.Table) -> ir.Table:
    """``expr`` in a temporary table named after it: an equal expression (the same round of
    another day's run, on a compiling backend) gets the same name, so its SQL is reused."""
    name = f"guard_{hash(expr.op()) & 0xFFFFFFFFFFFFFFFF:016x}"
    return backend.create_table(name, expr, temp=True, overwrite=True)  # type: ignore[no-any-return]


def _computed(backend: Any, expr: ir.Table) -> ir.Table:
    """``expr`` as a table of ``backend``: itself when it is one already, else materialised."""
    return expr if isinstance(expr.op(), ops.DatabaseTable) else _materialise(backend, expr)


def _hits(
    requests: ir.Table,
    history: ir.Table,
    rules: list[BatchRule],
    first: int = 0,
    zone: str | None = None,
) -> tuple[ir.Table, list[HitColumn]]:
    """:func:`guard_hits` of ``rules`` (in the debtor's ``zone`` when given), built once per
    simulation on the simulator's backend (``batch.built``: it reads only these)."""

    def build() -> tuple[ir.Table, list[HitColumn]]:
        with rows_in_zone(zone) if zone is not None else nullcontext():
            return guard_hits(requests, history, rules, first=first)

    key = ("hits", requests.op(), history.op(), tuple(id(r.face) for r in rules), first, zone)
    return built(key, build)


def _step(backend: Any, requests: ir.Table, history: ir.Table, rules: list[BatchRule]) -> ir.Table:
    """One evaluation, materialised in two stages (findings, then their combination).

    Rules that convert times in the debtor's own zone are built once per zone, over that
    zone's rows, so each conversion has a constant zone (a zone per row costs the backend a
    calendar per row); the others once over all rows.
    """
    plain = [r for r in rules if not r.face.zoned]
    zoned = [r for r in rules if r.face.zoned]
    hits, layout = _hits(requests, history, plain)
    stored = _materialise(backend, hits)
    if zoned:
        zones = backend.to_pyarrow(requests.select("zone").distinct())["zone"].to_pylist()
        parts: list[ir.Table] = []
        more: list[HitColumn] = []
        for zone in zones or [None]:
            subset = requests.filter(
                requests.zone.isnull() if zone is None else requests.zone == zone
            )
            part, more = _hits(subset, history, zoned, len(layout), zone)
            parts.append(part.drop("at"))
        extra = _materialise(backend, ibis.union(*parts) if len(parts) > 1 else parts[0])
        stored = stored.inner_join(extra, "request_id")
        layout = [*layout, *more]
    combined = built(("combine", stored.op(), tuple(layout)), lambda: combine_hits(stored, layout))
    return _materialise(backend, combined)


def guard_table(
    backend: Any,
    requests: ir.Table,
    history: ir.Table,
    pack: Pack,
    max_steps: int = 20,
) -> ir.Table:
    """One row per request, kept in the backend: ``verdict``, ``rules`` ('A,B'), ``reasons``
    and ``next_allowed_at`` (UTC; the first instant the whole pack allows a block that lifts by
    itself, NULL otherwise)."""
    rules = batch_rules(pack, frozenset(requests.columns) & SINGLE_ONLY)
    # Both are read by every step and every zone's part: computed once, into tables.
    requests, history = _computed(backend, requests), _computed(backend, history)
    first = _step(backend, requests, history, rules)
    waiting = first.filter((first.verdict == "block") & first.lift.notnull()).select(
        "request_id", later=first.lift
    )
    settled: list[ir.Table] = []
    for _ in range(max_steps):
        waiting = _materialise(backend, waiting)
        if backend.to_pyarrow(waiting.count()).as_py() == 0:
            break
        moved = requests.inner_join(waiting, "request_id").mutate(at=ibis._.later)
        step = _step(backend, moved.drop("later"), history, rules)
        again = _materialise(
            backend,
            step.inner_join(waiting, "request_id").select("request_id", "verdict", "lift", "later"),
        )
        done = again.filter((again.verdict != "block") | again.lift.isnull())
        settled.append(
            done.select(
                "request_id",
                next_allowed_at=ibis.ifelse(done.verdict != "block", done.later, None),
            )
        )
        waiting = again.filter((again.verdict == "block") & again.lift.notnull()).select(
            "request_id", later=again.lift
        )
    outcome = first.select("request_id", "verdict", "rules", "reasons")
    if not settled:
        return _materialise(backend, outcome.mutate(next_allowed_at=ibis.null(UTC)))
    lifts = ibis.union(*settled) if len(settled) > 1 else settled[0]
    joined = outcome.left_join(lifts, "request_id").drop("request_id_right")
    return _materialise(backend, joined.select(*OUTCOME_COLUMNS))


def run_guard(
    backend: Any,
    requests: ir.Table,
    history: ir.Table,
    pack: Pack,
    max_steps: int = 20,
) -> pa.Table:
    """:func:`guard_table`, fetched as Arrow, in request order."""
    table = guard_table(backend, requests, history, pack, max_steps)
    result: pa.Table = backend.to_pyarrow(table.order_by("request_id"))
    return result
