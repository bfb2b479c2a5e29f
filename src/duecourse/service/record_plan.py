"""Record an accepted repayment plan: decide it against the guardrails, then replace the rest of
the loan's schedule and record the arrangement through the record port (one change)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from duecourse.adapters import records
from duecourse.adapters.records import portfolio_rows
from duecourse.adapters.repayment_json import BadInput, load_guardrails, parse_json, parse_proposal
from duecourse.domain.model import Portfolio
from duecourse.domain.repayment.accept import Acceptance, accept_plan, dated
from duecourse.domain.repayment.decide import Verdict, decide
from duecourse.domain.repayment.plan import ProposalError
from duecourse.domain.repayment.terms import Guardrails
from duecourse.errors import BadData, FileMissing
from duecourse.service.record import RecordChange, Recorded, RecordPort, record_change

REFUSED = ("方案未被接受，未写入", "the plan cannot be recorded; nothing was written")


def accept_arrangement(
    port: RecordPort,
    loan_id: str,
    proposal_file: Path,
    guardrails_file: Path | None,
    accepted_on: date,
    arrangement_id: str,
    approved_by: Sequence[str] = (),
) -> tuple[Recorded, Acceptance]:
    """Record the plan of ``proposal_file`` as accepted on ``accepted_on``. Refused (``BadData``)
    when the guardrails reject it, when it needs an approval not given in ``approved_by``, or
    when it is not for this account's principal."""
    for path in (proposal_file, guardrails_file):
        if path is not None and not path.is_file():
            raise FileMissing(path)
    try:
        limits = load_guardrails(guardrails_file) if guardrails_file else Guardrails()
        text = proposal_file.read_text(encoding="utf-8")
        proposal = dated(parse_proposal(parse_json(text)), accepted_on)
        decision = decide(proposal, limits)
    except UnicodeDecodeError:
        raise BadData(*REFUSED, str(proposal_file), ["不是 UTF-8 文本 not UTF-8 text"]) from None
    except BadInput as exc:
        raise BadData(*REFUSED, str(proposal_file), exc.problems) from None
    except ProposalError as exc:
        raise BadData(*REFUSED, str(proposal_file), [f"{exc.field}: {exc.zh} · {exc.en}"]) from None
    if decision.verdict is Verdict.REJECTED:
        raise BadData(*REFUSED, "verdict: rejected", [str(r) for r in decision.reasons])
    missing = [role for role in decision.approvers if role not in approved_by]
    if decision.verdict is Verdict.APPROVAL and missing:
        raise BadData(
            *REFUSED,
            "--approved-by",
            [f"需要审批 needs approval by: {', '.join(missing)}", *map(str, decision.reasons)],
        )
    loans = port.rows_for("loans", loan_id)
    if not loans:
        raise BadData(*REFUSED, "--loan", [f"loan_id: {loan_id!r} 不存在 is not in loans"])
    loan = records.loan(loans[0])
    schedule = [records.instalment(r) for r in port.rows_for("instalments", loan_id)]
    paid = [records.payment(r) for r in port.rows_for("payments", loan_id)]
    try:
        acceptance = accept_plan(loan, schedule, paid, proposal, accepted_on, arrangement_id)
    except ProposalError as exc:
        raise BadData(*REFUSED, str(proposal_file), [f"{exc.field}: {exc.zh} · {exc.en}"]) from None
    rows = portfolio_rows(
        Portfolio(instalments=acceptance.schedule, arrangements=(acceptance.arrangement,))
    )
    change = RecordChange({"arrangements": rows["arrangements"]}, {loan_id: rows["instalments"]})
    return record_change(port, change), acceptance
