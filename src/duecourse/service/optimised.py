"""The optimiser arm of a daily run: candidates → rule pack → values → one action each.

For the accounts of an optimiser arm whose reference segment is collectable
(``OptimiserConfig.segments``), every configured action is a candidate unless its cadence
holds it back; each candidate goes through the rule pack as a contact request of its own, and
only the ones it allows (not blocked, deferred or for review) are valued and given to the
optimiser (``strategy/optimiser_day.py``). The other accounts keep the reference plan's row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from duecourse.batch.day_values import date_value
from duecourse.batch.guard_requests import Dispatch, guard_requests
from duecourse.compliance.packs import Pack
from duecourse.service.guard import guard_table
from duecourse.service.plan_rows import ArmSpec, RunSpec, plan_history
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.optimiser import Assignment
from duecourse.strategy.optimiser_day import NOTHING, OptimiserConfig, choose

#: The ``strategy`` of an optimised plan row.
OPTIMISER = "optimiser"
#: The facts the default estimator and the resources read.
VALUE_FACTS = ("amount_overdue", "contact", "lender", "region")


def action_menu(config: OptimiserConfig) -> ir.Table:
    """The configured actions and their cadences (``action``, ``every`` days)."""
    return ibis.memtable(
        pa.table(
            {
                "action": list(config.actions),
                "every": [p.cadence_days for p in config.actions.values()],
            }
        )
    )


def candidate_rows(
    plan: ir.Table,
    last_action: ir.Table,
    arm: str,
    config: OptimiserConfig,
    day: date,
    menu: ir.Table | None = None,
) -> ir.Table:
    """Per optimised account of ``arm``, each configured action its cadence allows today
    (``menu``: :func:`action_menu`, as a table of the backend)."""
    rows = plan.filter((plan.arm == arm) & plan.segment.isin(list(config.segments)))
    menu = action_menu(config) if menu is None else menu
    pairs = rows.select("account_id").cross_join(menu)
    pairs = pairs.left_join(last_action, ["account_id", "action"]).drop(
        "account_id_right", "action_right"
    )
    today = date_value(day)
    waiting = pairs.last_done.notnull() & (today.delta(pairs.last_done, unit="day") < pairs.every)
    return pairs.filter(~waiting).select("account_id", "action", status=ibis.literal("planned"))


def allowed_rows(
    backend: object,
    candidates: ir.Table,
    facts: ir.Table,
    tables: Mapping[str, ir.Table],
    dispatch: Dispatch,
    history: ir.Table,
    pack: Pack,
) -> ir.Table:
    """The candidates the rule pack allows (actions that reach nobody need no check)."""
    requests = guard_requests(candidates, facts, tables, dispatch, per_action=True)
    checked = guard_table(backend, requests, history, pack)
    key = candidates.account_id.concat("|", candidates.action)
    joined = candidates.mutate(request_id=key).left_join(checked, "request_id")
    verdict = joined.verdict.fill_null("allow")
    return joined.filter(verdict == "allow").select("account_id", "action")


def optimise_arm(
    plan: pa.Table,
    candidates: ir.Table,
    facts: ir.Table,
    arm: str,
    config: OptimiserConfig,
    fetch: Callable[[ir.Table], pa.Table],
    table_of: Callable[[pa.Table], ir.Table] = ibis.memtable,
) -> tuple[pa.Table, Assignment | None]:
    """``plan`` with the optimised accounts of ``arm`` given the optimiser's action, and the
    optimiser's result (None when the arm has no account to optimise). ``table_of`` makes
    rows from Python a table the backend can join."""
    optimised = plan.filter(
        pc.and_(pc.equal(plan["arm"], arm), pc.is_in(plan["segment"], pa.array(config.segments)))
    )
    ids = optimised["account_id"]
    if optimised.num_rows == 0:
        return plan, None
    keys = table_of(pa.table({"account_id": ids}))
    values = fetch(keys.inner_join(facts.select("account_id", *VALUE_FACTS), "account_id"))
    position = {a: i for i, a in enumerate(ids.to_pylist())}
    order = [position[a] for a in values["account_id"].to_pylist()]
    columns: dict[str, np.ndarray] = {}
    for name in VALUE_FACTS:
        column = np.empty(len(order), dtype=object)
        column[order] = values[name].to_numpy(zero_copy_only=False)
        columns[name] = column
    columns["amount_overdue"] = columns["amount_overdue"].astype(np.float64)
    allowed = fetch(candidates)
    account = np.array([position[a] for a in allowed["account_id"].to_pylist()], dtype=np.int64)
    action = allowed["action"].to_pylist()
    day = choose(columns, account, action, config)
    actions = day.action
    params = config.actions
    reasons = [
        f"{old} | {why}"
        for old, why in zip(optimised["reasons"].to_pylist(), day.reasons, strict=True)
    ]
    replaced = {
        "strategy": pa.array([OPTIMISER] * len(actions)),
        "action": pa.array(actions),
        "channel": pa.array([ACTIONS[a].channel for a in actions]),
        "priority": pa.array(
            [params[a].priority if a in params else 9 for a in actions], type=pa.int64()
        ),
        "cadence_days": pa.array(
            [params[a].cadence_days if a in params else 0 for a in actions], type=pa.int64()
        ),
        "status": pa.array(["planned"] * len(actions)),
        "reasons": pa.array(reasons),
        "rules": pa.array([""] * len(actions)),
    }
    new = pa.table(
        {
            name: replaced.get(name, optimised[name]).cast(optimised.schema.field(name).type)
            if name in replaced
            else optimised[name]
            for name in plan.column_names
        }
    )
    new = new.set_column(
        new.column_names.index("next_allowed_at"),
        "next_allowed_at",
        pa.nulls(new.num_rows, type=plan.schema.field("next_allowed_at").type),
    )
    kept = plan.filter(pc.invert(pc.is_in(plan["account_id"], ids)))
    merged = pa.concat_tables([kept, new.select(plan.column_names)])
    return merged.sort_by("account_id"), day.assignment


def optimise_step(
    backend: Any,
    plan: pa.Table,
    facts: ir.Table,
    tables: Mapping[str, ir.Table],
    spec: RunSpec,
    arm: ArmSpec,
    catch_up: date | None,
    history: ir.Table,
) -> tuple[pa.Table, Assignment | None]:
    """The run's guarded ``plan`` with ``arm``'s accounts in the optimiser's segments given
    the optimiser's action: candidates its cadence allows (after the stored plans since
    ``catch_up``), those the rule pack allows (over the contact ``history`` it looks back
    on), valued and chosen; and the optimiser's result."""
    assert arm.optimiser is not None
    _, last_action = plan_history(tables["plans"], spec.as_of, catch_up, spec.cadence_horizons())

    def keep(name: str, rows: ir.Table) -> ir.Table:
        kept: ir.Table = backend.create_table(name, rows, temp=True, overwrite=True)
        return kept

    reference = keep("plan_guarded", ibis.memtable(plan.select(["account_id", "arm", "segment"])))
    menu = keep("optimiser_menu", action_menu(arm.optimiser))
    pairs = candidate_rows(reference, last_action, arm.arm.name, arm.optimiser, spec.as_of, menu)
    pairs = keep("optimiser_pairs", pairs)
    allowed = allowed_rows(backend, pairs, facts, tables, spec.dispatch_plan(), history, spec.pack)
    return optimise_arm(
        plan,
        allowed,
        facts,
        arm.arm.name,
        arm.optimiser,
        backend.to_pyarrow,
        lambda rows: keep("optimiser_keys", ibis.memtable(rows)),
    )


__all__ = [
    "NOTHING",
    "OPTIMISER",
    "action_menu",
    "allowed_rows",
    "candidate_rows",
    "optimise_arm",
    "optimise_step",
]
