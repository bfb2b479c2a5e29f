"""The lender's side of ``assess``: the reference strategy and the rule pack, for one account.

Both are pure functions of a few facts, so a simulation asks each question once per distinct
state (memoised here) and shares the answer among every path in that state.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from duecourse.compliance.packs import Pack, evaluate
from duecourse.compliance.request import Contact, ContactRequest, Debtor, ThirdParty, Visit
from duecourse.compliance.verdict import Verdict
from duecourse.domain.assess import CONTACTS, BorrowerCase, case_facts, contact_counts, strategy_row
from duecourse.domain.facts import Buckets
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.cells import CellKind
from duecourse.strategy.pipeline import Strategy, run_reference

ZONE = ZoneInfo("Asia/Shanghai")
#: Local time at which the simulated lender acts each day (inside every pack's hours).
DISPATCH_TIME = time(10, 0)
VISIT = "field_visit"
#: Entries a memo holds before it starts again (bounds a long-running server).
MEMO_LIMIT = 100_000
#: The day decisions are computed for when the case names none (nothing in the strategies or
#: the pack depends on the calendar day itself).
DEFAULT_DAY = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class Day:
    """An account's state on one simulated day, as the lender sees it.

    Attributes:
        dpd: days past due; ``amount``: the overdue amount that day (yuan).
        contact: code of ``CONTACTS``; ``negotiating``: an open promise; ``broken``: promises
            broken so far.
    """

    dpd: int
    amount: Decimal
    contact: int
    negotiating: bool
    broken: int


def dpd_breaks(strategy: Strategy, buckets: Buckets | None = None) -> tuple[int, ...]:
    """The days past due at which the strategy's decision may change: every bound of a
    ``days_past_due`` cell and every bucket edge. Between two breaks the days past due decide
    nothing, so decisions are memoised per stretch, not per day."""
    breaks = {1, *((b + 1) for b in (buckets or Buckets()).bounds)}
    for table in strategy.tables:
        for rule in table.rules:
            cell = rule.when.get("days_past_due")
            if cell is None or cell.kind is CellKind.ANY:
                continue
            if cell.kind is CellKind.INTERVAL:
                if cell.low is not None:
                    breaks.add(math.ceil(cell.low) + (0 if cell.low_closed or cell.low % 1 else 1))
                if cell.high is not None:
                    high = math.floor(cell.high)
                    breaks.add(high + (1 if cell.high_closed or cell.high % 1 else 0))
            else:
                for value in cell.values:
                    whole = int(Decimal(str(value)))
                    breaks |= {whole, whole + 1}
    return tuple(sorted(breaks))


@dataclass(slots=True)
class Engine:
    """One lender type's reference strategy with the rule pack, memoised."""

    strategy: Strategy
    pack: Pack
    breaks: tuple[int, ...] = ()
    _decisions: dict[tuple[Any, ...], tuple[str, int, str]] = field(default_factory=dict)
    _verdicts: dict[tuple[Any, ...], tuple[Verdict, tuple[str, ...]]] = field(default_factory=dict)

    def decide(self, case: BorrowerCase, day: Day) -> tuple[str, int, str]:
        """``(action, cadence_days, why)``: the strategy on the account's facts that day."""
        if not self.breaks:
            self.breaks = dpd_breaks(self.strategy)
        stretch = bisect.bisect_right(self.breaks, day.dpd)
        key = (_view(case), stretch, day.amount, day.contact, day.negotiating, min(day.broken, 3))
        found = self._decisions.get(key)
        if found is None:
            if len(self._decisions) > MEMO_LIMIT:
                self._decisions.clear()
            facts = case_facts(
                case,
                case.as_of or DEFAULT_DAY,
                days_past_due=day.dpd,
                amount_overdue=day.amount,
                contact=CONTACTS[day.contact],
                negotiating=day.negotiating,
                broken_promises=day.broken,
            )
            decision = run_reference(self.strategy, strategy_row(facts))
            table, made = decision.steps[-2] if len(decision.steps) > 1 else decision.steps[0]
            why = "; ".join(
                f"{self.strategy.name}/{table.name}/{rule.id}: {rule.why}" for rule in made.rules
            )
            found = (str(decision.outputs["action"]), int(decision.outputs["cadence_days"]), why)
            self._decisions[key] = found
        return found

    def verdict(
        self, case: BorrowerCase, action: str, day: Day, notice_age: int | None
    ) -> tuple[Verdict, tuple[str, ...]]:
        """The pack's verdict on the contact ``action`` makes that day, and the rules that
        objected, the written notice sent ``notice_age`` days before (``None``: none)."""
        key = (case.address_verified, action, day.dpd, day.amount, day.contact, notice_age)
        found = self._verdicts.get(key)
        if found is None:
            if len(self._verdicts) > MEMO_LIMIT:
                self._verdicts.clear()
            outcome = evaluate(contact_request(case, action, day, notice_age), self.pack)
            found = (outcome.verdict, outcome.rules)
            self._verdicts[key] = found
        return found

    def visit_rows(self) -> list[str]:
        """The strategy's first row that plans a field visit, as written: when, and why."""
        out = []
        for table in self.strategy.tables:
            for rule in table.rules:
                if rule.then.get("treatment") == "visit" or rule.then.get("action") == VISIT:
                    when = ", ".join(f"{c} {cell.text}" for c, cell in rule.when.items())
                    out.append(f"{self.strategy.name}/{table.name}/{rule.id}: {when} — {rule.why}")
        return out[:1]


def _view(case: BorrowerCase) -> tuple[Any, ...]:
    """What, besides the day's state, the strategy can see of a case."""
    return (case.address_verified, case.prior_overdues)


def contact_request(
    case: BorrowerCase, action: str, day: Day, notice_age: int | None
) -> ContactRequest:
    """The contact ``action`` makes: the lender's own collectors; for a visit, a team of two
    with staff ID and the authorisation letter, at the dispatch time."""
    reach = ACTIONS[action].reach
    assert reach is not None
    at = datetime.combine(case.as_of or DEFAULT_DAY, DISPATCH_TIME, ZONE)
    failed, days, invalid = contact_counts(CONTACTS[day.contact])
    visit = None
    if reach.channel == "visit":
        notice = None if notice_age is None else at - timedelta(days=notice_age)
        visit = Visit(case.address_verified, notice, id_and_authorisation=True)
    return ContactRequest(
        at=at,
        contact=Contact(
            channel=reach.channel,  # type: ignore[arg-type]
            to=reach.to,  # type: ignore[arg-type]
            purpose=reach.purpose,  # type: ignore[arg-type]
            by=reach.by,  # type: ignore[arg-type]
            legal_action=reach.legal_action,
            collectors=2 if reach.channel == "visit" else 1,
            third_party_id="c1" if reach.to == "third_party" else None,
            visit=visit,
        ),
        debtor=Debtor(
            number_invalid=invalid,
            consecutive_failed_calls=failed,
            days_unreachable=days,
            days_past_due=day.dpd,
            balance_overdue=day.amount,
            limitation_from=at.date() - timedelta(days=day.dpd),
        ),
        # a skip trace calls a contact person the borrower gave, who has not opted out
        third_parties=(ThirdParty("c1"),) if reach.to == "third_party" else (),
    )
