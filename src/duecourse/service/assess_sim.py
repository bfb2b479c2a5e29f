"""The forward simulation behind ``assess``: one borrower's account, many possible futures.

Each simulated day, on every path where the arrears are not paid:

1. the account's facts go through the reference strategy of the lender's type
   (``strategy.pipeline.run_reference``, via ``service.assess_engine``): one action and its
   cadence; an action repeated within its cadence waits, as in the daily run;
2. an action that contacts someone goes through the rule pack's per-request check
   (``compliance.packs.evaluate``): a field visit needs a verified address, remote contact
   exhausted, two collectors with ID and authorisation, daytime, and prior written notice. A
   lender whose visit is lawful but for the notice sends the notice that day and visits once
   the notice period (DC-VIS-PRE ``notice_lead_days``) is over;
3. the borrower answers through the simulation lab's behaviour model
   (``lab.behaviour.day_step``): pays whole instalments or not, is reached, promises, loses or
   regains a working number. The lender's reference strategy is its business as usual, so
   every action's relative lift is 1 (``docs/simulation.md``, the identification rule).

Instalments are monthly and the oldest fell due ``days_past_due`` days ago, so one more falls
due every 30 days unpaid; the overdue amount is the case's implied instalment times the
instalments past due (``domain.assess.instalment``).

The draws are made once per (path, day, purpose) from the seed, so cases simulated with the
same seed use the same draws (common random numbers): differences between two cases come from
the cases, not from noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

from duecourse.compliance.verdict import Verdict
from duecourse.domain.assess import CONTACTS, BorrowerCase, instalment, months_late
from duecourse.lab.behaviour import DRAWS, BehaviourModel, DayState, day_step
from duecourse.service.assess_engine import VISIT, Day, Engine
from duecourse.strategy.actions import ACTIONS

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]

#: The pseudo-action for the written notice that precedes a visit (DC-VIS-PRE).
VISIT_NOTICE = "visit_notice"
#: Every action a path may take, with its code in the simulation's arrays (-1: none).
NAMES = (*ACTIONS, VISIT_NOTICE)
CODES = {name: code for code, name in enumerate(NAMES)}
NOT_YET = -1
LOST = CONTACTS.index("lost")
UNRESPONSIVE = CONTACTS.index("unresponsive")
#: The draws of a path's day: the behaviour model's, then when a promise already open at the
#: start falls due.
PURPOSES = (*DRAWS, "open_promise_due")
CYCLE_DAYS = 30
#: What the behaviour model is told was executed, by code + 1: nothing for no action and for
#: the written notice (a letter the model does not list).
_EXECUTED: tuple[str | None, ...] = (None, *(None if n == VISIT_NOTICE else n for n in NAMES))
FEN = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Paths:
    """What happened on the simulated paths.

    Attributes:
        first_day: per action (and ``visit_notice``), the day each path first took it, or -1.
        cured: the path's arrears were paid within the horizon.
        blocked: per rule id, the path-days on which the pack blocked a planned contact.
    """

    n: int
    first_day: dict[str, IntArray]
    cured: BoolArray
    blocked: dict[str, int]

    def visited(self) -> BoolArray:
        return self.first_day.get(VISIT, np.full(self.n, NOT_YET)) >= 0

    def probability(self) -> float:
        return float(self.visited().mean())


def draws(seed: int, paths: int, days: int) -> FloatArray:
    """The uniform draws of a simulation, ``[day, purpose, path]`` (common random numbers)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    return rng.random((days, len(PURPOSES), paths))


@dataclass(slots=True)
class _State:
    """Every path's account on the current day (arrays over paths)."""

    dpd: IntArray
    contact: IntArray
    reachable: BoolArray
    negotiating: BoolArray
    promise_due: IntArray
    broken: IntArray
    cured: BoolArray
    notice_day: IntArray
    missed_at_start: IntArray  # instalments past due when the current cycle began
    covered: IntArray  # instalments paid in the current cycle
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


def simulate(case: BorrowerCase, engine: Engine, model: BehaviourModel, u: FloatArray) -> Paths:
    """Simulate ``case`` over its horizon on the paths of the draws ``u``."""
    n = u.shape[2]
    missed = months_late(case.days_past_due)
    open_due = u[0, PURPOSES.index("open_promise_due")] * model.promise_days
    s = _State(
        dpd=np.full(n, case.days_past_due, dtype=np.int64),
        contact=np.full(n, CONTACTS.index(case.contact), dtype=np.int64),
        reachable=np.full(n, case.contact != "lost"),
        negotiating=np.full(n, case.negotiating),
        # a promise already open falls due within the promise period
        promise_due=np.where(case.negotiating, open_due.astype(np.int64), NOT_YET),
        broken=np.zeros(n, dtype=np.int64),
        cured=np.full(n, missed == 0),
        notice_day=np.full(n, NOT_YET, dtype=np.int64),
        missed_at_start=np.full(n, missed, dtype=np.int64),
        covered=np.zeros(n, dtype=np.int64),
    )
    lead = _notice_lead(engine)
    # the next due date: the day the arrears would reach one more instalment
    next_due = CYCLE_DAYS * missed - case.days_past_due + 1
    # The first cycle is under way and nothing was paid in it so far, so its remaining days
    # get the cycle's daily hazard (spread over the whole cycle), not the whole cycle's chance.
    cycle, cycle_days = 0, CYCLE_DAYS
    for day in range(case.horizon_days):
        if day == next_due and missed:  # a due date passed: a new cycle
            s.missed_at_start += 1 - s.covered
            s.covered[:] = 0
            cycle, cycle_days, next_due = cycle + 1, CYCLE_DAYS, next_due + CYCLE_DAYS
        taken = _lender_day(case, engine, s, day, lead)
        _borrower_day(case, model, s, u[day], day, taken, cycle, cycle_days)
        s.dpd = np.where(s.cured, 0, s.dpd + 1)
    return Paths(n, s.first_day, s.cured, s.blocked)


def _notice_lead(engine: Engine) -> int:
    rule = next((r for r in engine.pack.active() if r.id == "DC-VIS-PRE"), None)
    return int(rule.params["notice_lead_days"]) if rule is not None else 0


def _amount(case: BorrowerCase, dpd: int) -> Decimal:
    return (instalment(case) * months_late(dpd)).quantize(FEN, ROUND_HALF_UP)


def _lender_day(case: BorrowerCase, engine: Engine, s: _State, day: int, lead: int) -> IntArray:
    """The lender's action today on every live path, as a code of ``NAMES`` (-1: none)."""
    n = len(s.dpd)
    live = ~s.cured
    taken = np.full(n, NOT_YET, dtype=np.int64)
    key = ((s.dpd * 3 + s.contact) * 2 + s.negotiating) * 4 + np.minimum(s.broken, 3)
    key = np.where(live, key, -1)
    values, first_index, inverse = np.unique(key, return_index=True, return_inverse=True)
    for state, i in enumerate(first_index):
        if values[state] < 0:
            continue
        dpd = int(s.dpd[i])
        amount, contact = _amount(case, dpd), int(s.contact[i])
        today = Day(dpd, amount, contact, bool(s.negotiating[i]), int(s.broken[i]))
        action, cadence, _ = engine.decide(case, today)
        on = (inverse == state) & s.due(action, day, cadence)
        if action == "hold" or not on.any():
            continue
        if ACTIONS[action].reach is None:  # an internal step: an agency placement, a review
            s.take(action, on, day, taken)
        elif action != VISIT:
            verdict, rules = engine.verdict(case, action, today, None)
            if verdict in (Verdict.ALLOW, Verdict.WARN):
                s.take(action, on, day, taken)
            else:
                s.block(rules, on)
        else:
            _visit(case, engine, s, today, on, day, lead, taken)
    return taken


def _visit(
    case: BorrowerCase,
    engine: Engine,
    s: _State,
    today: Day,
    on: BoolArray,
    day: int,
    lead: int,
    taken: IntArray,
) -> None:
    """A planned visit: made where the pack allows it; where it would allow it but for the
    notice, the notice goes out today; elsewhere it is blocked (the rules are counted)."""
    ages = np.where(s.notice_day >= 0, np.minimum(day - s.notice_day, lead), NOT_YET)
    for age in np.unique(ages[on]).tolist():
        group = on & (ages == age)
        notice_age = None if age < 0 else int(age)
        verdict, rules = engine.verdict(case, VISIT, today, notice_age)
        if verdict is Verdict.ALLOW:
            s.take(VISIT, group, day, taken)
        elif notice_age is None and engine.verdict(case, VISIT, today, lead)[0] is Verdict.ALLOW:
            s.notice_day[group] = day
            s.take(VISIT_NOTICE, group, day, taken)
        elif notice_age is None or notice_age >= lead:
            s.block(rules, group)


def _borrower_day(
    case: BorrowerCase,
    model: BehaviourModel,
    s: _State,
    u: FloatArray,
    day: int,
    taken: IntArray,
    cycle: int,
    cycle_days: int,
) -> None:
    """The borrower's day on every live path, through the lab's ``day_step``."""
    live = np.flatnonzero(~s.cured)
    if not len(live):
        return
    actions = list(map(_EXECUTED.__getitem__, (taken[live] + 1).tolist()))
    state = DayState(
        missed=s.missed_at_start[live],
        cycle=np.full(len(live), cycle, dtype=np.int64),
        cycle_days=np.full(len(live), cycle_days, dtype=np.int64),
        paid=s.covered[live] > 0,
        lender_type=[case.lender_type] * len(live),
        contact=list(map(CONTACTS.__getitem__, s.contact[live].tolist())),
        reachable=s.reachable[live],
        broken=s.broken[live] > 0,
        # A borrower keeping a plan or a promise pays sooner (the lab's negotiating lift).
        lift_ratio=np.where(s.negotiating[live], model.negotiating_lift, 1.0),
        contacts_7d=np.zeros(len(live), dtype=np.int64),
        prior_overdues=np.full(len(live), case.prior_overdues, dtype=np.int64),
    )
    out = day_step(model, state, actions, u[: len(DRAWS), live])
    # payments: whole instalments, oldest first
    k = out.instalments
    s.covered[live] += k
    s.dpd[live] -= CYCLE_DAYS * k
    paid_all = s.covered[live] >= s.missed_at_start[live]
    s.cured[live] |= paid_all
    # promises: a payment keeps an open one; one falling due unpaid is broken
    promising = s.negotiating[live]
    kept = promising & (k > 0)
    lapsed = promising & ~kept & (s.promise_due[live] <= day)
    s.broken[live] += lapsed
    s.negotiating[live] = promising & ~kept & ~lapsed
    fresh = out.promised & ~s.negotiating[live] & ~paid_all
    s.negotiating[live] |= fresh
    s.promise_due[live] = np.where(fresh, day + model.promise_days, s.promise_due[live])
    # contactability: a number stops working, or a trace or visit finds a working one (the
    # borrower's reluctance is as before: a lost borrower comes back as unresponsive)
    before = s.contact[live]
    given = CONTACTS.index(case.contact)
    restored_to = UNRESPONSIVE if given == LOST else given
    s.reachable[live] = (s.reachable[live] & ~out.lost) | out.restored
    s.contact[live] = np.where(out.lost, LOST, np.where(out.restored, restored_to, before))
