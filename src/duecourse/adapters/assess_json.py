"""``assess`` JSON → :class:`~duecourse.domain.assess.BorrowerCase` (pydantic, errors by field).

Every problem names its field, in Chinese with the English beside it. Amounts are read as
decimals (a JSON number or a plain decimal string), never as binary floats.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from duecourse.adapters.fields import FieldError, amount_units, field_path
from duecourse.domain.assess import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_SEED,
    BorrowerCase,
    ContactName,
    LenderTypeName,
)
from duecourse.errors import BadUsage

MAX_DAYS_PAST_DUE = 36_500
MAX_HORIZON_DAYS = 90
MAX_PRIOR_OVERDUES = 100
#: Overdue amounts above this many yuan are refused as implausible for a consumer loan.
MAX_AMOUNT = Decimal("100000000")

_ZH = {
    "missing": "缺少必填字段",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "literal_error": "不是允许的取值",
    "extra_forbidden": "未知字段",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "date_type": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD",
    "model_type": "应为 JSON 对象",
    "model_attributes_type": "应为 JSON 对象",
    "value_error": "取值无效",
}


class _Request(BaseModel):
    """The ``assess`` input (DESIGN.md §3); optional fields are duecourse's additions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lender_type: LenderTypeName
    days_past_due: Annotated[StrictInt, Field(ge=0, le=MAX_DAYS_PAST_DUE)]
    amount_overdue: Any
    contact: ContactName
    negotiating: StrictBool
    address_verified: StrictBool
    prior_overdues: Annotated[StrictInt, Field(ge=0, le=MAX_PRIOR_OVERDUES)] = 0
    horizon_days: Annotated[StrictInt, Field(ge=1, le=MAX_HORIZON_DAYS)] = DEFAULT_HORIZON_DAYS
    seed: Annotated[StrictInt, Field(ge=0, le=2**63 - 1)] = DEFAULT_SEED
    as_of: date | None = None


def _amount(value: Any) -> Decimal:
    """A yuan amount with at most 2 places: a JSON number or a plain decimal string."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise FieldError('应为数字（元） · must be a number of yuan, e.g. 20000 or "20000.50"')
    text = repr(value) if isinstance(value, float) else str(value)
    units = amount_units(text, 2, "amount_overdue")
    amount = Decimal(units).scaleb(-2)  # to the fen: 9000 -> 9000.00
    if amount > MAX_AMOUNT:
        raise FieldError(f"太大 · must be at most {MAX_AMOUNT:,} yuan, got {text}")
    return amount


def _problem(error: Mapping[str, Any]) -> str:
    path = field_path(error["loc"])
    zh = _ZH.get(str(error["type"]), "取值无效")
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{path}: {zh} · {message}"


def _refuse(problems: list[str]) -> BadUsage:
    first = problems[0]
    field = first.split(":", 1)[0]
    return BadUsage("评估请求有误", "bad assess request", field, problems)


def parse_case(data: Any) -> BorrowerCase:
    """Validate a decoded request; :class:`BadUsage` names every field that is wrong."""
    if not isinstance(data, Mapping):
        raise _refuse(["(top): 应为 JSON 对象 · the request must be a JSON object"])
    problems: list[str] = []
    try:
        request: _Request | None = _Request.model_validate(dict(data))
    except ValidationError as exc:
        request = None
        problems += [_problem(e) for e in exc.errors()]
    amount: Decimal | None = None
    if "amount_overdue" in data:
        try:
            amount = _amount(data["amount_overdue"])
        except FieldError as exc:
            problems.append(f"amount_overdue: {exc}")
    if problems:
        raise _refuse(problems)
    assert request is not None and amount is not None
    return BorrowerCase(
        lender_type=request.lender_type,
        days_past_due=request.days_past_due,
        amount_overdue=amount,
        contact=request.contact,
        negotiating=request.negotiating,
        address_verified=request.address_verified,
        prior_overdues=request.prior_overdues,
        horizon_days=request.horizon_days,
        seed=request.seed,
        as_of=request.as_of,
    )


def load_case(text: str, source: str = "(stdin)") -> BorrowerCase:
    """Decode and validate a request; :class:`BadUsage` for text that is not JSON or not a
    valid request."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise BadUsage(
            "请求不是有效的 JSON", "request is not valid JSON", source, [str(exc)]
        ) from None
    return parse_case(data)
