"""``plan-repayment`` JSON and guardrails YAML ⇄ repayment records (pydantic, errors by field).

Numbers are read as ``Decimal`` (JSON floats are parsed as decimals, never as binary floats);
money may be given as a string or a number with at most two places.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from duecourse.domain.repayment.amortise import Method
from duecourse.domain.repayment.decide import Decision, measures
from duecourse.domain.repayment.plan import Plan
from duecourse.domain.repayment.terms import (
    Approval,
    Component,
    Debt,
    Discount,
    Guardrails,
    Measure,
    Proposal,
    Treatment,
)
from duecourse.domain.repayment.texts import Text

ROUNDING = (
    "ROUND_HALF_UP to the fen per instalment; the last instalment absorbs the residue "
    "(每期四舍五入到分，尾差计入最后一期)"
)
SHARE_PLACES = Decimal("0.000001")  # shares in the JSON output: 6 places, half up
MAX_MONEY = Decimal("1000000000000")  # 10^12 yuan: anything larger is a typo
Money = Field(ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2)
Rate = Field(ge=0, le=10, allow_inf_nan=False, decimal_places=6)  # a fraction; 10 = 1000% a year
Share = Field(ge=0, le=1, allow_inf_nan=False)


class BadInput(ValueError):
    """The input does not fit; ``problems`` names each field with a bilingual reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Debt(_Model):
    principal: Decimal = Money
    interest: Decimal = Field(
        Decimal("0.00"), ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2
    )
    penalty: Decimal = Field(
        Decimal("0.00"), ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2
    )
    fees: Decimal = Field(
        Decimal("0.00"), ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2
    )


class _Discount(_Model):
    share: Decimal | None = Field(None, ge=0, le=1, allow_inf_nan=False)
    amount: Decimal | None = Field(None, ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2)


class _Deferral(_Model):
    months: int = Field(0, ge=0, le=120)
    interest: Treatment = Treatment.WAIVE


class _Treatments(_Model):
    interest: Treatment = Treatment.CARRY
    penalty: Treatment = Treatment.WAIVE
    fees: Treatment = Treatment.WAIVE


class _Proposal(_Model):
    debt: _Debt
    method: Method
    annual_rate: Decimal = Rate
    term_months: int = Field(ge=1, le=600)
    start_date: date | None = None
    down_payment: Decimal = Field(
        Decimal("0.00"), ge=0, le=MAX_MONEY, allow_inf_nan=False, decimal_places=2
    )
    deferral: _Deferral = Field(default_factory=lambda: _Deferral(months=0))
    treatment: _Treatments = Field(default_factory=lambda: _Treatments(interest=Treatment.CARRY))
    discounts: dict[Component, _Discount] = Field(default_factory=dict)


class _Approval(_Model):
    role: str = Field(min_length=1)
    measure: Measure
    above: Decimal = Field(ge=0, allow_inf_nan=False)


class _Guardrails(_Model):
    cost_cap: Decimal = Field(Decimal("0.24"), ge=0, le=10, allow_inf_nan=False)
    on_cap: Literal["reject", "clip"] = "reject"
    max_term_months: int = Field(60, ge=1)
    max_deferral_months: int = Field(6, ge=0)
    min_down_payment_share: Decimal = Field(Decimal("0"), ge=0, le=1, allow_inf_nan=False)
    min_down_payment_amount: Decimal = Field(
        Decimal("0.00"), ge=0, le=MAX_MONEY, allow_inf_nan=False
    )
    max_discount_share: Decimal = Field(Decimal("0.5"), ge=0, le=1, allow_inf_nan=False)
    max_principal_discount_share: Decimal = Field(Decimal("0.2"), ge=0, le=1, allow_inf_nan=False)
    approvals: list[_Approval] | None = None


_ZH = {
    "missing": "缺少此项",
    "extra_forbidden": "未知字段",
    "decimal_parsing": "不是数字",
    "decimal_type": "不是数字",
    "finite_number": "须为有限数字",
    "decimal_max_places": "小数位数过多（金额最多两位，利率最多六位）",
    "int_parsing": "不是整数",
    "int_type": "不是整数",
    "int_from_float": "不是整数",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "enum": "取值不在允许范围内",
    "literal_error": "取值不在允许范围内",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "model_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "string_type": "应为文本",
    "string_too_short": "不能为空",
}


def _problems(exc: ValidationError, prefix: str = "") -> list[str]:
    out = []
    for error in exc.errors():
        where = prefix + (".".join(str(p) for p in error["loc"]) or "(top)")
        zh = _ZH.get(error["type"], "取值无效")
        out.append(f"{where}: {zh} · {error['msg']}")
    return out


def parse_json(text: str) -> Any:
    """Decode JSON with every number as ``Decimal`` (integers stay ``int``)."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise BadInput(
            [f"第 {exc.lineno} 行第 {exc.colno} 列不是有效的 JSON · not valid JSON: {exc.msg}"]
        ) from None


def parse_proposal(data: Any) -> Proposal:
    """Validate a decoded JSON object as a proposal."""
    try:
        p = _Proposal.model_validate(data)
    except ValidationError as exc:
        raise BadInput(_problems(exc)) from None
    return Proposal(
        debt=Debt(p.debt.principal, p.debt.interest, p.debt.penalty, p.debt.fees),
        method=p.method,
        annual_rate=p.annual_rate,
        term_months=p.term_months,
        down_payment=p.down_payment,
        deferral_months=p.deferral.months,
        deferral_interest=p.deferral.interest,
        interest=p.treatment.interest,
        penalty=p.treatment.penalty,
        fees=p.treatment.fees,
        discounts={c: Discount(d.share, d.amount) for c, d in p.discounts.items()},
        start=p.start_date,
    )


def parse_guardrails(data: Any) -> Guardrails:
    """Validate a mapping (from YAML) as guardrails; absent keys keep the defaults."""
    try:
        g = _Guardrails.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise BadInput(_problems(exc)) from None
    fields = g.model_dump(exclude={"approvals"})
    if g.approvals is not None:
        fields["approvals"] = tuple(Approval(a.role, a.measure, a.above) for a in g.approvals)
    return Guardrails(**fields)


def load_guardrails(path: Path) -> Guardrails:
    """Read guardrails from a YAML file; ``BadInput`` names the file and field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BadInput([f"{path}: 不是有效的 YAML · not valid YAML: {exc}"]) from None
    try:
        return parse_guardrails(data)
    except BadInput as exc:
        raise BadInput([f"{path}: {p}" for p in exc.problems]) from None


def _text(t: Text) -> dict[str, str]:
    return {"code": t.code, "zh": t.zh, "en": t.en}


def _amounts(values: dict[Component, Decimal]) -> dict[str, str]:
    return {c.value: str(v) for c, v in values.items()}


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def plan_json(plan: Plan) -> dict[str, Any]:
    """A plan as JSON: money as strings with two places, rates as fractions (strings)."""
    p = plan.proposal
    return {
        "method": p.method.value,
        "annual_rate": str(p.annual_rate),
        "term_months": p.term_months,
        "deferral_months": p.deferral_months,
        "deferral_interest_treatment": p.deferral_interest.value,
        "start_date": p.start.isoformat() if p.start else None,
        "debt_total": str(p.debt.total),
        "forgiven": _amounts(plan.forgiven),
        "carried": _amounts(plan.carried),
        "enforced": _amounts(plan.enforced),
        "total_forgiven": str(plan.total_forgiven),
        "amount_payable": str(plan.amount_payable),
        "down_payment": str(p.down_payment),
        "deferral_interest": str(plan.deferral_interest),
        "amount_financed": str(plan.amount_financed),
        "total_interest": str(plan.total_interest),
        "total_payable": str(plan.total_payable),
        "credit": str(plan.credit),
        "cost": {
            "nominal_annual": _rate(plan.cost.nominal),
            "effective_annual": _rate(plan.cost.effective),
            "basis": "IRR of the plan's cash flows; nominal = 12 × monthly",
        },
        "measures": {
            m.value: str(
                v.quantize(SHARE_PLACES, ROUND_HALF_UP) if m.value.endswith("share") else v
            )
            for m, v in measures(plan).items()
        },
        "rounding": ROUNDING,
        "instalments": [
            {
                "seq": i.seq,
                "month": i.month,
                "due_date": i.due_date.isoformat() if i.due_date else None,
                "principal": str(i.principal),
                "interest": str(i.interest),
                "separate": str(i.separate),
                "payment": str(i.payment),
                "balance": str(i.balance),
            }
            for i in plan.instalments
        ],
    }


def decision_json(decision: Decision, guardrails: Guardrails) -> dict[str, Any]:
    """The ``plan-repayment --json`` output: verdict first, then reasons, notes, the plan."""
    return {
        "verdict": decision.verdict.value,
        "reasons": [_text(r) for r in decision.reasons],
        "approvers": list(decision.approvers),
        "notes": [_text(n) for n in decision.notes],
        "cost_cap": str(guardrails.cost_cap),
        "plan": plan_json(decision.plan),
    }
