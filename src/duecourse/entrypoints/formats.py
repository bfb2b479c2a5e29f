"""``--format table|csv|json`` for ``facts``, ``run`` and ``explain``: the same summary data
the tables show, for scripts. With csv or json nothing but the data goes to stdout (progress
and notes go to stderr). JSON money is an exact decimal string in yuan; CSV has a header row.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

if TYPE_CHECKING:
    from duecourse.service.facts import FactsSummary


class OutputFormat(StrEnum):
    """How a command prints its result."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="table (for people), csv or json (for scripts: only the data on stdout).",
    ),
]

FACTS_FIELDS = ["section", "lender_type", "bucket", "contact", "accounts", "amount_overdue"]
PLAN_FIELDS = ["lender_type", "bucket", "action", "arm", "status", "rules", "accounts"]
EXPLAIN_FIELDS = ["section", "name", "label", "value", "shown"]


def emit(
    fmt: OutputFormat,
    document: Mapping[str, Any],
    records: Sequence[Mapping[str, Any]],
    fields: Sequence[str],
    out: TextIO | None = None,
) -> None:
    """Print ``document`` as JSON, or ``records`` as CSV with ``fields`` as its header."""
    out = out or sys.stdout
    if fmt is OutputFormat.JSON:
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
    out.flush()


def facts_data(summary: FactsSummary) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The facts summary: accounts by lender type × bucket (``section`` bucket), accounts past
    due and amount overdue by lender type (``overdue``), accounts by contact status
    (``contact``). JSON holds the three lists; CSV one row each, blank where it does not
    apply."""
    types = sorted({t for t, _ in summary.by_type_bucket})
    grid = [
        {"lender_type": t, "bucket": b, "accounts": summary.by_type_bucket.get((t, b), 0)}
        for t in types
        for b in summary.buckets
    ]
    overdue = []
    for t in types:
        n, amount = summary.overdue_by_type.get(t, (0, 0))
        overdue.append({"lender_type": t, "accounts": n, "amount_overdue": f"{amount:.2f}"})
    contact = [
        {"contact": s, "accounts": summary.contact.get(s, 0)}
        for s in ("reachable", "unresponsive", "lost")
    ]
    document = {
        "as_of": summary.as_of.isoformat(),
        "accounts": summary.accounts,
        "by_type_bucket": grid,
        "overdue_by_type": overdue,
        "contact": contact,
    }
    records = [
        {"section": section, **row}
        for section, rows in (("bucket", grid), ("overdue", overdue), ("contact", contact))
        for row in rows
    ]
    return document, records


def plan_data(
    groups: list[dict[str, Any]], as_of: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The plan counted by lender type, bucket, action, arm, status and the rules that spoke
    (comma-separated, blank for none): every table of the summary is a sum of these rows."""
    rows = sorted(
        (
            {
                **{k: g[k] for k in PLAN_FIELDS[:-1]},
                "rules": g["rules"] or "",
                "accounts": g["count_all"],
            }
            for g in groups
        ),
        key=lambda r: tuple(str(r[k]) for k in PLAN_FIELDS[:-1]),
    )
    total = sum(r["accounts"] for r in rows)
    return {"as_of": as_of, "accounts": total, "rows": rows}, rows


def explain_records(view: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The explanation as CSV rows: each fact, each table's row (``value`` its id, ``shown``
    condition → outcome · reason), the outcome, today's plan, the rule pack and
    ``next_allowed_at`` (``value`` UTC, ``shown`` the lender's zone)."""
    rows: list[dict[str, Any]] = [
        {
            "section": "fact",
            **{k: f[k] for k in ("name", "label", "shown")},
            "value": str(f["value"]).lower() if isinstance(f["value"], bool) else f["value"],
        }
        for f in view["facts"]
    ]
    for step in view["steps"]:
        shown = f"{step['when']} → {step['then_shown']} · {step['why']}"
        rows.append(
            {
                "section": "step",
                "name": step["table"],
                "label": step["table_label"],
                "value": step["row"],
                "shown": shown,
            }
        )
    outcome = view["outcome"]
    rows.append(
        {
            "section": "outcome",
            "name": "action",
            "label": "",
            "value": outcome["action"],
            "shown": outcome["action_label"],
        }
    )
    if view["in_plan"]:
        plan = view["in_plan"]
        for name in ("action", "status"):
            rows.append(
                {
                    "section": "in_plan",
                    "name": name,
                    "label": "",
                    "value": plan[name],
                    "shown": plan[f"{name}_label"],
                }
            )
    rows += [
        {
            "section": "guard",
            "name": g["rule"],
            "label": g["title"],
            "value": g["reason"],
            "shown": "",
        }
        for g in view["guard"]
    ]
    times = view["next_allowed_at"]
    if times:
        rows.append(
            {
                "section": "guard",
                "name": "next_allowed_at",
                "label": times["zone"],
                "value": times["utc"],
                "shown": times["local"],
            }
        )
    return rows
