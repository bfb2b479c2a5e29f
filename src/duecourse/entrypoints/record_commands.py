"""``duecourse record attempt|promise|payment|flag|arrangement``: one outcome into the store.

Every option is a column of the import file of the same table (``docs/data-model.md``) and is
checked by the same field parsers; a bad value is one bilingual message naming the field, and
nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from duecourse.domain.promises import DEFAULT_PROMISE_GRACE_DAYS
from duecourse.errors import BadUsage

if TYPE_CHECKING:
    from duecourse.service.record import Recorded

KINDS = {
    "attempt": "联系尝试 contact attempt",
    "promise": "还款承诺 promise to pay",
    "payment": "还款 payment",
    "flag": "账户标记 account flag",
}

record_app = typer.Typer(
    help="Record outcomes (attempts, promises, payments, flags) and accepted repayment plans; "
    "tomorrow's facts read them. 记录催收结果。",
    no_args_is_help=True,
)
_db: Callable[[], str] = lambda: ""  # noqa: E731 - set by register()

Today = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="The recording day, YYYY-MM-DD (default: the machine's); "
        "events may not lie after the next day.",
    ),
]
Grace = Annotated[
    int,
    typer.Option(
        "--promise-grace", min=0, help="Days after its due date a promise may still be kept."
    ),
]


def register(app: typer.Typer, db: Callable[[], str]) -> None:
    """Add ``record`` to ``app``; ``db`` gives the store URL chosen by ``--db``."""
    global _db
    _db = db
    app.add_typer(record_app, name="record")


def _day(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadUsage("--today 不是日期", "is not a date (YYYY-MM-DD)", repr(value)) from None


def _record(kind: str, fields: Mapping[str, str | None], today: str | None, grace: int) -> None:
    from duecourse.adapters.store import open_store
    from duecourse.service.record import record_fields
    from duecourse.service.record_store import StoreRecordPort

    day = _day(today)
    port = StoreRecordPort(open_store(_db()))
    done = record_fields(port, kind, fields, day, promise_grace_days=grace)
    _report(KINDS[kind], done)


def _report(what: str, done: Recorded) -> None:
    from duecourse.entrypoints.console import console

    tables = ", ".join(f"{t} {n}" for t, n in sorted(done.rows.items()))
    console.print(
        f"已记录 Recorded: {what} ({tables or '未变 unchanged'}); "
        f"重新过账 journals re-posted for {done.loans_reposted} 笔贷款 loan(s)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


@record_app.command("attempt")
def attempt(
    attempt_id: Annotated[str, typer.Option("--id", help="Unique id of the attempt.")],
    borrower_id: Annotated[str, typer.Option("--borrower", help="The debtor concerned.")],
    at: Annotated[str, typer.Option(help="When: YYYY-MM-DD HH:MM[:SS], local time.")],
    channel: Annotated[str, typer.Option(help="call, ai_call, sms, email, im, letter, visit.")],
    outcome: Annotated[
        str,
        typer.Option(
            help="conversation, unanswered, voicemail, busy, not_connected, invalid_number, "
            "delivered, undelivered, visited, not_home."
        ),
    ],
    loan_id: Annotated[str | None, typer.Option("--loan", help="The account.")] = None,
    target: Annotated[str, typer.Option(help="debtor, guarantor, third_party, attorney.")] = (
        "debtor"
    ),
    number: Annotated[str | None, typer.Option(help="Number dialled or messaged.")] = None,
    by: Annotated[str, typer.Option(help="inhouse, agency, ai.")] = "inhouse",
    agent_id: Annotated[str | None, typer.Option("--agent", help="Agent or agency id.")] = None,
    today: Today = None,
) -> None:
    """Record a contact attempt (call, SMS, visit ...). 记录一次联系。"""
    fields = {
        "attempt_id": attempt_id,
        "borrower_id": borrower_id,
        "loan_id": loan_id,
        "at": at,
        "channel": channel,
        "target": target,
        "number": number,
        "outcome": outcome,
        "by": by,
        "agent_id": agent_id,
    }
    _record("attempt", fields, today, DEFAULT_PROMISE_GRACE_DAYS)


@record_app.command("promise")
def promise(
    promise_id: Annotated[str, typer.Option("--id", help="Unique id of the promise.")],
    loan_id: Annotated[str, typer.Option("--loan", help="The loan.")],
    made_at: Annotated[str, typer.Option(help="When it was made: YYYY-MM-DD HH:MM[:SS].")],
    due: Annotated[str, typer.Option(help="Pay by the end of this day, YYYY-MM-DD.")],
    amount: Annotated[str, typer.Option(help="Amount promised, yuan (e.g. 2000.00).")],
    today: Today = None,
    grace: Grace = DEFAULT_PROMISE_GRACE_DAYS,
) -> None:
    """Record a promise to pay. 记录还款承诺。"""
    fields = {
        "promise_id": promise_id,
        "loan_id": loan_id,
        "made_at": made_at,
        "due_date": due,
        "amount": amount,
    }
    _record("promise", fields, today, grace)


@record_app.command("payment")
def payment(
    payment_id: Annotated[str, typer.Option("--id", help="Unique id of the payment.")],
    loan_id: Annotated[str, typer.Option("--loan", help="The loan paid.")],
    paid_at: Annotated[str, typer.Option(help="Value time: YYYY-MM-DD HH:MM[:SS], local.")],
    amount: Annotated[str, typer.Option(help="Amount received, yuan (e.g. 1966.67).")],
    channel: Annotated[
        str, typer.Option(help="app, bank_transfer, auto_debit, counter, agency, other.")
    ] = "other",
    recorded_at: Annotated[
        str | None, typer.Option(help="When the entry was recorded, if later.")
    ] = None,
    today: Today = None,
    grace: Grace = DEFAULT_PROMISE_GRACE_DAYS,
) -> None:
    """Record a payment; the loan's journal is re-posted. 记录还款。"""
    fields = {
        "payment_id": payment_id,
        "loan_id": loan_id,
        "paid_at": paid_at,
        "amount": amount,
        "channel": channel,
        "recorded_at": recorded_at,
    }
    _record("payment", fields, today, grace)


@record_app.command("flag")
def flag(
    loan_id: Annotated[str, typer.Option("--loan", help="The loan.")],
    flag: Annotated[
        str,
        typer.Option(
            help="dispute, complaint, hardship, deceased, attorney, cease_request, litigation, "
            "agency_placement."
        ),
    ],
    start: Annotated[str, typer.Option(help="First day it holds, YYYY-MM-DD.")],
    end: Annotated[
        str | None,
        typer.Option(help="Day it stops holding (exclusive); give it again to end a flag."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Free text, e.g. the agency.")] = None,
    today: Today = None,
) -> None:
    """Record an account flag (dispute, complaint ...), or end one. 记录账户标记。"""
    fields = {"loan_id": loan_id, "flag": flag, "start_date": start, "end_date": end, "note": note}
    _record("flag", fields, today, DEFAULT_PROMISE_GRACE_DAYS)


@record_app.command("arrangement")
def arrangement(
    accept: Annotated[
        Path, typer.Option("--accept", help="The proposal JSON (as for plan-repayment).")
    ],
    loan_id: Annotated[str, typer.Option("--loan", help="The loan.")],
    arrangement_id: Annotated[str, typer.Option("--id", help="Unique id of the arrangement.")],
    on: Annotated[
        str | None, typer.Option(help="Day accepted, YYYY-MM-DD (default: --today).")
    ] = None,
    guardrails: Annotated[
        Path | None, typer.Option(help="The lender's guardrails (YAML); default: documented.")
    ] = None,
    approved_by: Annotated[
        list[str] | None,
        typer.Option("--approved-by", help="A role that approved it (repeat for each)."),
    ] = None,
    today: Today = None,
) -> None:
    """Accept a repayment plan: it replaces the rest of the loan's schedule and the account is
    negotiating while the plan is kept. 接受还款方案。"""
    from duecourse.adapters.store import open_store
    from duecourse.service.record_plan import accept_arrangement
    from duecourse.service.record_store import StoreRecordPort

    day = _day(today)
    accepted_on = _day(on) if on else day
    done, acceptance = accept_arrangement(
        StoreRecordPort(open_store(_db())),
        loan_id,
        accept,
        guardrails,
        accepted_on,
        arrangement_id,
        tuple(approved_by or ()),
    )
    _report("还款方案 repayment plan", done)
    from duecourse.entrypoints.console import console

    last = acceptance.schedule[-1]
    console.print(
        f"新还款计划 New schedule: {len(acceptance.schedule)} 期 instalments, "
        f"末期 last due {last.due_date}; 协商中 negotiating "
        f"{acceptance.arrangement.start_date} – {acceptance.arrangement.end_date}",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
