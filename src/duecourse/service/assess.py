"""``assess``: will collectors come to my door? The engine's answer for one borrower.

The probability of a door visit within the horizon is the share of simulated futures of this
account (``service.assess_sim``) in which the lender's reference strategy plans a field visit
and the rule pack lets it happen. Each reason is measured by changing one fact at a time and
simulating again with the same random draws (common random numbers).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np

from duecourse.adapters.assess_json import parse_case
from duecourse.adapters.behaviour_file import read_behaviour
from duecourse.adapters.strategy_files import reference_strategy
from duecourse.compliance.packs import load_pack
from duecourse.domain.assess import BorrowerCase
from duecourse.domain.assess_texts import advice, rights
from duecourse.domain.model import LenderType
from duecourse.lab.behaviour import BehaviourModel
from duecourse.service.assess_engine import Engine
from duecourse.service.assess_sim import VISIT_NOTICE, FloatArray, Paths, draws, simulate
from duecourse.strategy.actions import ACTIONS

#: Simulated futures per case: the standard error of a probability is at most 0.5/sqrt(PATHS).
PATHS = 1000
#: Level thresholds on the probability (docs/borrower.md): below LOW is ``low``, from HIGH up
#: is ``high``, between is ``medium``.
LOW, HIGH = 0.10, 0.40
#: Actions shown in ``next_actions`` when at least this share of futures takes them.
MIN_ACTION_SHARE = 0.01
LEVEL_LABELS = {"low": "较低 low", "medium": "中等 medium", "high": "较高 high"}
NOTICE_LABEL = "上门前书面通知 written notice before a visit"


def level(probability: float) -> str:
    """``low`` below 0.10, ``high`` from 0.40, ``medium`` between."""
    if probability < LOW:
        return "low"
    return "high" if probability >= HIGH else "medium"


@lru_cache(maxsize=len(LenderType))
def engine(lender_type: str) -> Engine:
    """The reference strategy of a lender type with the ``cn`` pack, its memo kept between
    requests (the decisions depend only on the facts)."""
    return Engine(reference_strategy(LenderType(lender_type)), load_pack("cn"))


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact a reason is measured for: its name, how to say it, the value compared with."""

    name: str
    zh: str
    en: str


FACTS = (
    Fact("days_past_due", "逾期天数", "days past due"),
    Fact("amount_overdue", "逾期金额", "amount overdue"),
    Fact("contact", "联系状态", "contact"),
    Fact("negotiating", "正在协商", "negotiating"),
    Fact("address_verified", "地址已核实", "address verified"),
    Fact("prior_overdues", "以往逾期次数", "prior overdues"),
    Fact("lender_type", "机构类型", "lender type"),
)


def compared_with(case: BorrowerCase, fact: str) -> Any:
    """The value a fact is compared with: the mild end of its range, or the other value of a
    yes/no fact (so a borrower also sees what a change on their side would do)."""
    value = getattr(case, fact)
    if fact == "days_past_due":
        return 1
    if fact == "amount_overdue":
        return Decimal("1000")
    if fact == "contact":
        return "unresponsive" if value == "reachable" else "reachable"
    if fact in ("negotiating", "address_verified"):
        return not value
    if fact == "prior_overdues":
        return 2 if value == 0 else 0
    return "small_loan" if value == "bank" else "bank"


@lru_cache(maxsize=1)
def packaged_model() -> BehaviourModel:
    """The simulation lab's behaviour model with its packaged parameters."""
    return read_behaviour()


def run(case: BorrowerCase, model: BehaviourModel, u: FloatArray) -> Paths:
    """Simulate one case on the draws ``u`` (``draws(seed, paths, horizon_days)``)."""
    return simulate(case, engine(case.lender_type), model, u)


def assess_case(
    case: BorrowerCase,
    model: BehaviourModel | None = None,
    paths: int = PATHS,
    today: date | None = None,
) -> dict[str, Any]:
    """The ``assess`` answer for a validated case."""
    model = model or packaged_model()
    u = draws(case.seed, paths, case.horizon_days)
    base = run(case, model, u)
    probability = base.probability()
    details = []
    for fact in FACTS:
        other = compared_with(case, fact.name)
        if other == getattr(case, fact.name):
            continue
        p_other = run(replace(case, **{fact.name: other}), model, u).probability()
        details.append(_reason(case, fact, other, probability, p_other))
    details.sort(key=lambda d: -abs(d["delta"]))
    day = today or case.as_of or date.today()
    return {
        "door_visit": {
            "level": level(probability),
            "probability": round(probability, 3),
            "horizon_days": case.horizon_days,
            "label": LEVEL_LABELS[level(probability)],
        },
        "next_actions": next_actions(base),
        "reasons": [d["text"] for d in details] + _engine_reasons(case),
        "rights": rights(case),
        "advice": advice(case, day),
        "reason_details": details,
        "simulation": {
            "paths": paths,
            "seed": case.seed,
            "strategy": case.lender_type,
            "pack": "cn",
            "paid_within_horizon": round(float(base.cured.mean()), 3),
            "blocked_path_days": dict(sorted(base.blocked.items())),
        },
        "case": _case_json(case),
    }


def _engine_reasons(case: BorrowerCase) -> list[str]:
    """Where a visit comes from in the engine: the strategy row that plans it, the pack's
    preconditions."""
    rows = engine(case.lender_type).visit_rows()
    out = [f"策略中的上门规则 the strategy's visit row: {row}" for row in rows]
    out.append(
        "上门前规则包要求 before a visit the rule pack requires: 地址已核实 a verified address, "
        "远程联系已穷尽 remote contact exhausted, 两名人员持证 two collectors with ID and "
        "authorisation, 提前书面通知 written notice (DC-VIS-PRE, CN-VIS-01, CN-TIME-01)"
    )
    return out


def _reason(case: BorrowerCase, fact: Fact, other: Any, p: float, p_other: float) -> dict[str, Any]:
    delta = round(p - p_other, 3)
    direction = "raises" if delta > 0 else "lowers" if delta < 0 else "none"
    value = getattr(case, fact.name)
    text = (
        f"{fact.zh} {_say(value)}（对比 {_say(other)}）：上门概率 {delta:+.2f} · "
        f"{fact.en} {_say(value)} (against {_say(other)}): {delta:+.2f}"
    )
    return {
        "fact": fact.name,
        "value": _json_value(value),
        "compared_with": _json_value(other),
        "probability_compared": round(p_other, 3),
        "delta": delta,
        "direction": direction,
        "text": text,
    }


def _say(value: Any) -> str:
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, Decimal):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def _json_value(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def next_actions(paths: Paths) -> list[dict[str, Any]]:
    """What the lender does, in the order it first does it: per action the share of futures
    in which it happens within the horizon and the median first day (0 = today)."""
    out: list[dict[str, Any]] = []
    for action, first in paths.first_day.items():
        taken = first >= 0
        share = float(taken.mean())
        if share < MIN_ACTION_SHARE:
            continue
        label = NOTICE_LABEL if action == VISIT_NOTICE else ACTIONS[action].label
        out.append(
            {
                "action": action,
                "label": label,
                "probability": round(share, 3),
                "first_day_median": int(np.median(first[taken])),
            }
        )
    out.sort(key=lambda a: (a["first_day_median"], -a["probability"], a["action"]))
    return out


def _case_json(case: BorrowerCase) -> dict[str, Any]:
    return {
        "lender_type": case.lender_type,
        "days_past_due": case.days_past_due,
        "amount_overdue": str(case.amount_overdue),
        "contact": case.contact,
        "negotiating": case.negotiating,
        "address_verified": case.address_verified,
        "prior_overdues": case.prior_overdues,
        "horizon_days": case.horizon_days,
        "seed": case.seed,
    }


def assess(request: Mapping[str, Any]) -> dict[str, Any]:
    """The ``assess`` answer (DESIGN.md §3) for a decoded JSON request.

    Raises :class:`duecourse.errors.BadUsage` naming each field that is wrong."""
    return assess_case(parse_case(request))
