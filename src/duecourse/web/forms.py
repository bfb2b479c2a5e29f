"""HTML form fields → the JSON the commands take (so the commands' adapters validate them once)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from duecourse.borrower.letters import CHANNELS, Incident, Parties

#: The plan form's fields, with their defaults (the example of docs/borrower.md).
PLAN_DEFAULTS = {
    "principal": "10000.00",
    "interest": "500.00",
    "penalty": "1000.00",
    "fees": "200.00",
    "method": "equal_instalment",
    "annual_rate_pct": "12",
    "term_months": "12",
    "down_payment": "0",
    "deferral_months": "0",
    "interest_treatment": "carry",
    "penalty_treatment": "waive",
    "fees_treatment": "waive",
    "start_date": "",
}
ASSESS_DEFAULTS = {
    "lender_type": "consumer_finance",
    "days_past_due": "60",
    "amount_overdue": "20000",
    "contact": "unresponsive",
    "prior_overdues": "1",
}
INCIDENTS = 3  # evidence-log rows on the complaint form


class FormProblems(ValueError):
    """Fields that cannot be read; ``problems`` lists ``field: 中文 · English``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def plan_fields(form: Mapping[str, str]) -> dict[str, str]:
    """The plan form's values, defaults filled in."""
    return {k: (form.get(k) or "").strip() or v for k, v in PLAN_DEFAULTS.items()}


def proposal_json(fields: Mapping[str, str]) -> dict[str, Any]:
    """The plan form as a ``plan-repayment`` proposal (the rate is given in percent)."""
    try:
        rate = Decimal(fields["annual_rate_pct"]) / 100
    except InvalidOperation:
        raise FormProblems(["annual_rate: 应为数字 · must be a number"]) from None
    out: dict[str, Any] = {
        "debt": {k: fields[k] for k in ("principal", "interest", "penalty", "fees")},
        "method": fields["method"],
        "annual_rate": str(rate),
        "term_months": _int(fields, "term_months"),
        "down_payment": fields["down_payment"],
        "deferral": {"months": _int(fields, "deferral_months"), "interest": "waive"},
        "treatment": {
            "interest": fields["interest_treatment"],
            "penalty": fields["penalty_treatment"],
            "fees": fields["fees_treatment"],
        },
    }
    if fields.get("start_date"):
        out["start_date"] = fields["start_date"]
    return out


def _int(fields: Mapping[str, str], name: str) -> int:
    try:
        return int(fields[name])
    except ValueError:
        raise FormProblems([f"{name}: 应为整数 · must be a whole number"]) from None


def _number(fields: Mapping[str, str], name: str) -> int | float:
    try:
        value = Decimal(fields[name])
    except InvalidOperation:
        raise FormProblems([f"{name}: 应为数字 · must be a number"]) from None
    if not value.is_finite() or value < 0:
        raise FormProblems([f"{name}: 应为非负数 · must be zero or more"])
    return int(value) if value == value.to_integral_value() else float(value)


def assess_fields(form: Mapping[str, str]) -> dict[str, str]:
    """The assess form's values (checkboxes as ``on`` or absent), defaults filled in."""
    out = {k: (form.get(k) or "").strip() or v for k, v in ASSESS_DEFAULTS.items()}
    for box in ("negotiating", "address_verified"):
        if form.get(box):
            out[box] = "on"
    return out


def assess_request(fields: Mapping[str, str]) -> dict[str, Any]:
    """The assess form as the DESIGN.md §3 request."""
    problems: list[str] = []
    numbers: dict[str, int | float] = {}
    for name in ("days_past_due", "amount_overdue", "prior_overdues"):
        try:
            numbers[name] = _number(fields, name)
        except FormProblems as exc:
            problems += exc.problems
    if problems:
        raise FormProblems(problems)
    return {
        "lender_type": fields["lender_type"],
        "days_past_due": int(numbers["days_past_due"]),
        "amount_overdue": numbers["amount_overdue"],
        "contact": fields["contact"],
        "negotiating": fields.get("negotiating") == "on",
        "address_verified": fields.get("address_verified") == "on",
        "prior_overdues": int(numbers["prior_overdues"]),
    }


def parties(form: Mapping[str, str], today: date) -> Parties:
    """The letter's parties; blanks become a line to fill in by hand."""
    blank = "＿＿＿＿"
    return Parties(
        borrower=(form.get("borrower") or "").strip() or blank,
        contact=(form.get("contact") or "").strip() or blank,
        lender=(form.get("lender") or "").strip() or blank,
        account=(form.get("account") or "").strip() or blank,
        today=today,
    )


def optional_date(form: Mapping[str, str], name: str) -> date | None:
    value = (form.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormProblems([f"{name}: 应为日期 YYYY-MM-DD · must be a date"]) from None


def incidents(form: Mapping[str, str]) -> list[Incident]:
    """The evidence log's filled rows (``at_N``, ``channel_N``, ... for N = 1..INCIDENTS)."""
    out: list[Incident] = []
    problems: list[str] = []
    for n in range(1, INCIDENTS + 1):
        at = (form.get(f"at_{n}") or "").strip()
        text = (form.get(f"text_{n}") or "").strip()
        if not at and not text:
            continue
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            problems.append(f"at_{n}: 应为日期时间 · must be a date and time")
            continue
        channel = form.get(f"channel_{n}") or "other"
        out.append(
            Incident(
                at=when.replace(tzinfo=None),
                channel=channel if channel in CHANNELS else "other",
                number=(form.get(f"number_{n}") or "").strip(),
                identity=(form.get(f"identity_{n}") or "").strip(),
                text=text,
                entered_home=bool(form.get(f"entered_home_{n}")),
                third_party=bool(form.get(f"third_party_{n}")),
            )
        )
    if problems:
        raise FormProblems(problems)
    return out
