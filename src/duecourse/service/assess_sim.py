"""The forward simulation behind ``assess``: one borrower's account, many possible futures.

Each simulated day, on every path:

1. the account's facts (``domain.assess.case_facts``) go through the reference strategy of the
   lender's type (``strategy.pipeline.run_reference``): one action, with its cadence;
2. an action repeated within its cadence waits (as in the daily run);
3. an action that contacts someone goes through the rule pack's per-request check
   (``compliance.packs.evaluate``): a field visit needs a verified address, remote contact
   exhausted, two collectors with ID and authorisation, daytime, and prior written notice. A
   lender whose visit is lawful but for the notice sends the notice that day and may visit once
   the notice period is over;
4. the borrower answers through the behaviour model: pays the arrears, is reached, promises,
   keeps or breaks a promise, stays as reachable as before.

The paths are vectorised with numpy; the strategy and the guard are pure functions of a few
facts, so each distinct state is decided once (memoised) and shared by every path in it. The
random numbers are drawn once per (path, day, purpose) from the seed, so two cases simulated
with the same seed use the same draws (common random numbers): differences between cases come
from the cases, not from noise.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from duecourse.compliance.packs import Pack, evaluate
from duecourse.compliance.request import Contact, ContactRequest, Debtor, Visit
from duecourse.compliance.verdict import Verdict
from duecourse.domain.assess import (
    CONTACTS,
    BorrowerCase,
    case_facts,
    contact_counts,
    strategy_row,
)
from duecourse.domain.facts import Buckets
from duecourse.strategy.actions import ACTIONS
from duecourse.strategy.cells import CellKind
from duecourse.strategy.pipeline import Strategy, run_reference

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

ZONE = ZoneInfo("Asia/Shanghai")
#: Local time at which the simulated lender acts each day (inside every pack's hours).
DISPATCH_TIME = time(10, 0)
#: The pseudo-action for the written notice that precedes a visit (DC-VIS-PRE).
VISIT_NOTICE = "visit_notice"
VISIT = "field_visit"
#: Random draws per path and day, one per purpose (common random numbers).
PURPOSES = ("pay", "reach", "promise", "keep", "contact", "visit")
NOT_YET = -1
#: Entries an engine's memo holds before it starts again (bounds a long-running server).
MEMO_LIMIT = 100_000
#: Every action a path may take, with its code in the simulation's arrays.
NAMES = (*ACTIONS, VISIT_NOTICE)
CODES = {name: code for code, name in enumerate(NAMES)}


class Behaviour(Protocol):
    """How a simulated borrower answers, day by day (the simulation lab's behaviour model).

    Every method is vectorised over paths; probabilities are per day unless said otherwise."""

    def pay_hazard(
        self, case: BorrowerCase, days_past_due: IntArray, contact: IntArray
    ) -> FloatArray:
        """P(the arrears are paid in full today) without a promise, per path."""
        ...

    def reach_rate(self, action: str, contact: IntArray) -> FloatArray:
        """P(the action reaches the borrower in person), per path (contact codes index
        ``CONTACTS``)."""
        ...

    def promise_rate(self, case: BorrowerCase, action: str) -> float:
        """P(a promise to pay | the borrower was reached by ``action``)."""
        ...

    def keep_rate(self, case: BorrowerCase) -> float:
        """P(a promise is kept | it falls due)."""
        ...

    def promise_days(self) -> int:
        """Days from a promise to its due date."""
        ...

    def contact_change(self, action: str, contact: IntArray) -> tuple[FloatArray, IntArray]:
        """P(the borrower's contactability changes today) and the code it changes to."""
        ...

    def visit_rate(self) -> float:
        """P(a lawful planned visit is made on a given day): the field teams' capacity (the
        lender's, not the borrower's, but a parameter of the same lab file)."""
        ...


@dataclass(frozen=True, slots=True)
class Paths:
    """What happened on the simulated paths.

    Attributes:
        first_day: per action (and ``visit_notice``), the day each path first took it, or -1.
        cured: the path's arrears were paid within the horizon.
        blocked: per rule id, the path-days on which the pack blocked a planned contact.
    """

    n: int
    horizon_days: int
    first_day: dict[str, IntArray]
    cured: BoolArray
    blocked: dict[str, int]

    def visited(self) -> BoolArray:
        return self.first_day.get(VISIT, np.full(self.n, NOT_YET)) >= 0

    def probability(self) -> float:
        return float(self.visited().mean())


def dpd_breaks(strategy: Strategy, buckets: Buckets | None = None) -> tuple[int, ...]:
    """The days past due at which the strategy's decision may change: every bound of a
    ``days_past_due`` cell and every bucket edge. Between two breaks, the days past due
    decide nothing (the decisions are memoised per stretch, not per day)."""
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
    """The lender's side of the simulation for one case: strategy and pack, memoised."""

    strategy: Strategy
    pack: Pack
    breaks: tuple[int, ...] = ()
    _decisions: dict[tuple[Any, ...], tuple[str, int, str]] = field(default_factory=dict)
    _verdicts: dict[tuple[Any, ...], tuple[Verdict, tuple[str, ...]]] = field(default_factory=dict)

    def decide(
        self, case: BorrowerCase, dpd: int, contact: int, negotiating: bool, broken: int
    ) -> tuple[str, int, str]:
        """``(action, cadence_days, why)`` of the strategy on these facts."""
        if not self.breaks:
            self.breaks = dpd_breaks(self.strategy)
        stretch = bisect.bisect_right(self.breaks, dpd)
        key = (_lender_view(case), stretch, contact, negotiating, min(broken, 3))
        found = self._decisions.get(key)
        if found is None:
            if len(self._decisions) > MEMO_LIMIT:
                self._decisions.clear()
            facts = case_facts(
                case,
                _as_of(case),
                days_past_due=dpd,
                contact=CONTACTS[contact],
                negotiating=negotiating,
                broken_promises=broken,
            )
            decision = run_reference(self.strategy, strategy_row(facts))
            table, made = decision.steps[-2] if len(decision.steps) > 1 else decision.steps[0]
            why = "; ".join(
                f"{self.strategy.name}/{table.name}/{rule.id}: {rule.why}" for rule in made.rules
            )
            found = (
                str(decision.outputs["action"]),
                int(decision.outputs["cadence_days"]),
                why,
            )
            self._decisions[key] = found
        return found

    def visit_rows(self) -> list[str]:
        """The strategy's rows that lead to a field visit, as written: when, and why."""
        out = []
        for table in self.strategy.tables:
            for rule in table.rules:
                if rule.then.get("treatment") == "visit" or rule.then.get("action") == VISIT:
                    when = ", ".join(f"{c} {cell.text}" for c, cell in rule.when.items())
                    out.append(f"{self.strategy.name}/{table.name}/{rule.id}: {when} — {rule.why}")
        return out[:1] if out else []

    def verdict(
        self, case: BorrowerCase, action: str, dpd: int, contact: int, notice_age: int | None
    ) -> tuple[Verdict, tuple[str, ...]]:
        """The pack's verdict on the contact ``action`` makes, and the rules that objected,
        with the written notice sent ``notice_age`` days before (``None``: no notice)."""
        key = (_lender_view(case), action, dpd, contact, notice_age)
        found = self._verdicts.get(key)
        if found is None:
            if len(self._verdicts) > MEMO_LIMIT:
                self._verdicts.clear()
            outcome = evaluate(_request(case, action, dpd, contact, notice_age), self.pack)
            found = (outcome.verdict, outcome.rules)
            self._verdicts[key] = found
        return found


def _lender_view(case: BorrowerCase) -> tuple[Any, ...]:
    """What, besides the day's state, the strategy and the pack can see of a case."""
    return (case.amount_overdue, case.address_verified, case.prior_overdues)


def _as_of(case: BorrowerCase) -> date:
    return case.as_of or date(2026, 1, 1)


def _request(
    case: BorrowerCase, action: str, dpd: int, contact: int, notice_age: int | None
) -> ContactRequest:
    """The contact the lender would make: its own collectors, a team of two with ID and the
    authorisation letter for a visit, at the dispatch time (facts relative to that day)."""
    reach = ACTIONS[action].reach
    assert reach is not None
    at = datetime.combine(_as_of(case), DISPATCH_TIME, ZONE)
    failed, days, invalid = _counts(contact)
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
            days_past_due=dpd,
            balance_overdue=case.amount_overdue,
            limitation_from=at.date() - timedelta(days=dpd),
        ),
    )


def _counts(contact: int) -> tuple[int, int, bool]:
    return contact_counts(CONTACTS[contact])


def draws(seed: int, paths: int, days: int) -> FloatArray:
    """The uniform draws of a simulation: ``[path, day, purpose]`` (common random numbers)."""
    return np.random.Generator(np.random.PCG64(seed)).random((paths, days, len(PURPOSES)))


def simulate(case: BorrowerCase, engine: Engine, behaviour: Behaviour, u: FloatArray) -> Paths:
    """Simulate ``case`` over its horizon on ``len(u)`` paths with the draws ``u``."""
    n, horizon = u.shape[0], case.horizon_days
    s = _State(
        dpd=np.full(n, case.days_past_due, dtype=np.int64),
        contact=np.full(n, CONTACTS.index(case.contact), dtype=np.int64),
        negotiating=np.full(n, case.negotiating),
        # a promise the borrower already has falls due within the promise period
        promise_due=np.where(
            case.negotiating,
            (u[:, 0, PURPOSES.index("keep")] * behaviour.promise_days()).astype(np.int64),
            NOT_YET,
        ),
        broken=np.zeros(n, dtype=np.int64),
        cured=np.full(n, case.days_past_due <= 0),
        notice_day=np.full(n, NOT_YET, dtype=np.int64),
    )
    lead = _notice_lead(engine.pack)
    for day in range(horizon):
        capacity = u[:, day, PURPOSES.index("visit")] < behaviour.visit_rate()
        taken = _lender_day(case, engine, s, day, lead, capacity)
        _answer(case, behaviour, u[:, day], day, taken, s)
        s.dpd = np.where(s.cured, 0, s.dpd + 1)
    return Paths(n, horizon, s.first_day, s.cured, s.blocked)


@dataclass(slots=True)
class _State:
    """Every path's account on the current simulated day (arrays over paths)."""

    dpd: IntArray
    contact: IntArray
    negotiating: BoolArray
    promise_due: IntArray
    broken: IntArray
    cured: BoolArray
    notice_day: IntArray
    last_done: dict[str, IntArray] = field(default_factory=dict)
    first_day: dict[str, IntArray] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)

    def take(self, action: str, on: BoolArray, day: int, taken: IntArray) -> None:
        n = len(on)
        taken[on] = CODES[action]
        self.last_done.setdefault(action, np.full(n, NOT_YET, dtype=np.int64))[on] = day
        first = self.first_day.setdefault(action, np.full(n, NOT_YET, dtype=np.int64))
        first[on & (first < 0)] = day

    def block(self, rules: tuple[str, ...], on: BoolArray) -> None:
        for rule in rules:
            self.blocked[rule] = self.blocked.get(rule, 0) + int(on.sum())

    def due(self, action: str, day: int, cadence: int) -> BoolArray:
        """Paths where ``action`` was not taken within its cadence."""
        done = self.last_done.get(action)
        if done is None or cadence <= 0:
            return np.ones(len(self.dpd), dtype=bool)
        return (done < 0) | (day - done >= cadence)


def _lender_day(
    case: BorrowerCase, engine: Engine, s: _State, day: int, lead: int, capacity: BoolArray
) -> IntArray:
    """The lender's action today on every live path, as a code of ``NAMES`` (-1: none); a
    lawful visit is made where the field team has ``capacity`` today."""
    n = len(s.dpd)
    live = ~s.cured
    taken = np.full(n, NOT_YET, dtype=np.int64)
    key = ((s.dpd * 3 + s.contact) * 2 + s.negotiating) * 4 + np.minimum(s.broken, 3)
    _, first_index, inverse = np.unique(key, return_index=True, return_inverse=True)
    for state, i in enumerate(first_index):
        dpd, contact = int(s.dpd[i]), int(s.contact[i])
        action, cadence, _ = engine.decide(
            case, dpd, contact, bool(s.negotiating[i]), int(s.broken[i])
        )
        on = live & (inverse == state) & s.due(action, day, cadence)
        if action == "hold" or not on.any():
            continue
        if ACTIONS[action].reach is None:  # an internal step: placement, review
            s.take(action, on, day, taken)
            continue
        if action != VISIT:
            verdict, rules = engine.verdict(case, action, dpd, contact, None)
            if verdict in (Verdict.ALLOW, Verdict.WARN):
                s.take(action, on, day, taken)
            else:
                s.block(rules, on)
            continue
        ages = np.where(s.notice_day >= 0, np.minimum(day - s.notice_day, lead), NOT_YET)
        for age in np.unique(ages[on]):
            group = on & (ages == age)
            notice_age = None if age < 0 else int(age)
            verdict, rules = engine.verdict(case, action, dpd, contact, notice_age)
            if verdict is Verdict.ALLOW:
                s.take(action, group & capacity, day, taken)
            elif notice_age is None and engine.verdict(case, action, dpd, contact, lead)[0] is (
                Verdict.ALLOW
            ):
                s.notice_day[group] = day  # lawful but for the notice: send it today
                s.take(VISIT_NOTICE, group, day, taken)
            elif notice_age is None or notice_age >= lead:
                s.block(rules, group)
    return taken


def _notice_lead(pack: Pack) -> int:
    rule = next((r for r in pack.active() if r.id == "DC-VIS-PRE"), None)
    return int(rule.params["notice_lead_days"]) if rule is not None else 0


def _answer(
    case: BorrowerCase,
    behaviour: Behaviour,
    u: FloatArray,
    day: int,
    taken: IntArray,
    s: _State,
) -> None:
    """The borrower's day on every live path (the state's arrays are updated in place)."""
    pay, reach, promise, keep, change, _ = range(len(PURPOSES))
    live = ~s.cured
    # promises falling due today are kept (the arrears are paid) or broken
    due = live & s.negotiating & (s.promise_due == day)
    kept = due & (u[:, keep] < behaviour.keep_rate(case))
    s.cured |= kept
    s.broken += due & ~kept
    s.negotiating[due] = False
    # the borrower pays without a promise
    s.cured |= live & ~s.negotiating & (u[:, pay] < behaviour.pay_hazard(case, s.dpd, s.contact))
    # today's actions: the borrower reached in person, perhaps a promise; contactability moves
    for code in np.unique(taken[live]).tolist():
        on = live & ~s.cured & (taken == code)
        action = NAMES[code] if code >= 0 else ""
        if action:
            reached = on & (u[:, reach] < behaviour.reach_rate(action, s.contact))
            promised = reached & ~s.negotiating
            promised &= u[:, promise] < behaviour.promise_rate(case, action)
            s.negotiating[promised] = True
            s.promise_due[promised] = day + behaviour.promise_days()
        p, to = behaviour.contact_change(action, s.contact)
        moved = on & (u[:, change] < p)
        s.contact[moved] = to[moved]


def counterfactual(case: BorrowerCase, **changes: Any) -> BorrowerCase:
    """The same case with some facts changed (for the one-fact-at-a-time reasons)."""
    return replace(case, **changes)
