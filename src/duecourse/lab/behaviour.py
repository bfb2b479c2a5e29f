"""The behaviour model: how simulated borrowers pay, answer, promise, complain and drift out
of contact, day by day. Pure (numpy, no I/O); the parameters come from one documented file,
``lab/behaviour.yaml`` (read by ``adapters/behaviour_file.py``, checked here).

**Roll rates by construction** (``docs/simulation.md``). An account's *cycle* runs from the
day after one due date to the next due date. At its start the account has ``m`` instalments
past due (state ``min(m, 4)`` of ``calibration.STATES``). In the cycle it either pays nothing
(it rolls to ``m + 1``) or makes one qualifying payment covering ``k`` instalments, after
which it is in state ``m + 1 - k`` at the next due date. The calibrated row gives those
chances directly: ``P(k = 0) = p[s][s+1]`` and ``P(k = s + 1 - j) = p[s][j]`` for ``j <= s``
(in ``4+``, ``stay_unpaid_share`` of ``p[4+][4+]`` is "paid nothing", the rest "paid one").
The cycle's payment chance ``P(k > 0)`` is spread over its days by a constant daily hazard,
``1 - (1 - h)^L = P(k > 0)``. Under the baseline strategy every action's relative lift is 1,
so the simulated months roll exactly as the matrix says, in expectation.

**Actions** act through lifts relative to the baseline: on each day the hazard is multiplied
by ``lift(arm's action in effect) / lift(baseline's action in effect)``, where an action's
lift lasts ``effect_days``. Contact, promises, complaints and skip traces are drawn for the
action executed; they become records (attempts, promises, flags) the facts read.

Single-account use (``assess``): :func:`simulate_account`, or :func:`day_step` on arrays of
length one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from duecourse.lab.calibration import STATES, Matrix

CONTACT_STATUSES = ("reachable", "unresponsive", "lost")
CONFIDENCE = ("high", "medium", "low")
KINDS = ("fact", "assumption")
LAST = len(STATES) - 1
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class ModelError(ValueError):
    """The parameter file is wrong; the message names the parameter's path."""


@dataclass(frozen=True, slots=True)
class Parameter:
    """One documented parameter: its value, where it comes from, how sure it is, whether it
    is a fact (measured, published) or an assumption, and whether the lender should set it."""

    value: Any
    source: str
    confidence: str
    kind: str
    lender: bool


@dataclass(frozen=True, slots=True)
class ActionEffect:
    """What one action does (see ``behaviour.yaml``): right-party contact by contact status,
    a promise given contact, the payment hazard lift and how many days it lasts, a complaint
    given contact, the chance it restores lost contact, its cost in yuan (the action
    catalogue's) and its daily capacity (``None``: unlimited)."""

    name: str
    rpc: Mapping[str, float]
    promise: float
    lift: float
    effect_days: int
    complaint: float
    restores_contact: float
    cost: Decimal
    capacity: int | None


NO_ACTION = ActionEffect(
    "hold", dict.fromkeys(CONTACT_STATUSES, 0.0), 0, 1.0, 0, 0, 0, Decimal(0), None
)


@dataclass(frozen=True, slots=True)
class BehaviourModel:
    """Every parameter of the model, checked. ``matrices``: one monthly matrix per simulated
    cycle (the last repeats; one matrix for a time-homogeneous model)."""

    matrices: tuple[Matrix, ...]
    stay_unpaid_share: float
    initial_mix: tuple[float, ...]
    lender_odds: Mapping[str, float]
    contact_odds: Mapping[str, float]
    broken_odds: float
    lost_share: float
    daily_loss: float
    promise_days: int
    negotiating_lift: float
    complaint_frequency: float
    actions: Mapping[str, ActionEffect]
    agency_commission: Decimal
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    prior_odds: float = 1.0  # per earlier overdue episode (``segments.prior_overdues``)

    def effect(self, action: str | None) -> ActionEffect:
        """The effect of ``action``; an action the file does not list (a review) and no
        action (``None`` or ``""``) act as ``hold``."""
        return self.actions.get(action or "hold") or self.actions.get("hold") or NO_ACTION

    def with_matrices(self, matrices: Sequence[Matrix]) -> BehaviourModel:
        """The same model with other monthly matrices (e.g. a fresh calibration)."""
        checked = tuple(_matrix(m, "roll.matrix") for m in matrices)
        if not checked:
            raise ModelError("roll.matrix: at least one matrix")
        return replace(self, matrices=checked)

    def with_initial_mix(self, mix: Sequence[float]) -> BehaviourModel:
        """The same model starting from another mix of states."""
        if len(mix) != len(STATES) or abs(sum(mix) - 1) > 1e-3:
            raise ModelError(f"roll.initial_mix: {len(STATES)} shares summing to 1")
        return replace(self, initial_mix=tuple(float(x) for x in mix))

    def lender_parameters(self) -> list[str]:
        """The paths of the parameters the lender should set."""
        return sorted(path for path, p in self.parameters.items() if p.lender)


# --- reading the file --------------------------------------------------------------------


def _parameter(doc: Any, path: str) -> Parameter:
    if not isinstance(doc, Mapping):
        raise ModelError(f"{path}: expected {{value, source, confidence, kind, lender}}")
    missing = {"value", "source", "confidence", "kind", "lender"} - set(doc)
    if missing:
        raise ModelError(f"{path}: missing {', '.join(sorted(missing))}")
    if doc["confidence"] not in CONFIDENCE:
        raise ModelError(f"{path}.confidence: one of {', '.join(CONFIDENCE)}")
    if doc["kind"] not in KINDS:
        raise ModelError(f"{path}.kind: one of {', '.join(KINDS)}")
    if not isinstance(doc["lender"], bool) or not str(doc["source"]).strip():
        raise ModelError(f"{path}: lender must be true/false and source non-empty")
    return Parameter(
        doc["value"], str(doc["source"]), doc["confidence"], doc["kind"], doc["lender"]
    )


def _share(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ModelError(f"{path}: a number from 0 to 1, not {value!r}")
    return float(value)


def _positive(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ModelError(f"{path}: a number >= 0, not {value!r}")
    return float(value)


def _count(value: Any, path: str, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ModelError(f"{path}: a whole number >= 0, not {value!r}")
    return value


def _matrix(value: Any, path: str) -> Matrix:
    size = len(STATES)
    if not isinstance(value, Sequence) or len(value) != size:
        raise ModelError(f"{path}: {size} rows (states {', '.join(STATES)})")
    rows = []
    for i, row in enumerate(value):
        if not isinstance(row, Sequence) or len(row) != size:
            raise ModelError(f"{path}[{i}]: {size} entries")
        cells = tuple(_share(x, f"{path}[{i}]") for x in row)
        if abs(sum(cells) - 1) > 1e-3:
            raise ModelError(f"{path}[{i}]: sums to {sum(cells):.4f}, not 1")
        if any(cells[j] > 0 for j in range(i + 2, size)):
            raise ModelError(f"{path}[{i}]: a month cannot roll more than one state")
        rows.append(cells)
    return tuple(rows)


def _mapping(value: Any, keys: Sequence[str], path: str) -> dict[str, float]:
    if not isinstance(value, Mapping) or set(value) != set(keys):
        raise ModelError(f"{path}: one value for each of {', '.join(keys)}")
    return {k: _positive(value[k], f"{path}.{k}") for k in keys}


def _cost(costs: Mapping[str, Decimal], name: str, path: str) -> Decimal:
    if name not in costs:
        raise ModelError(f"{path}: not in the action catalogue, so it has no cost")
    if costs[name] < 0:
        raise ModelError(f"{path}: a negative cost")
    return costs[name]


def load_model(
    doc: Mapping[str, Any], lender_types: Sequence[str], costs: Mapping[str, Decimal]
) -> BehaviourModel:
    """Check the parsed parameter file and build the model (``ModelError`` names the path).
    ``costs``: each action's cost in yuan, from the action catalogue (the file has none)."""
    params: dict[str, Parameter] = {}

    def get(*path: str) -> Any:
        node: Any = doc
        for part in path:
            if not isinstance(node, Mapping) or part not in node:
                raise ModelError(f"{'.'.join(path)}: missing")
            node = node[part]
        name = ".".join(path)
        params[name] = _parameter(node, name)
        return params[name].value

    actions = {}
    listed = doc.get("actions")
    if not isinstance(listed, Mapping) or "hold" not in listed:
        raise ModelError("actions: a mapping of action names, with hold")
    for name in listed:
        p = f"actions.{name}"
        actions[name] = ActionEffect(
            name=name,
            rpc=_mapping(get("actions", name, "rpc"), CONTACT_STATUSES, f"{p}.rpc"),
            promise=_share(get("actions", name, "promise"), f"{p}.promise"),
            lift=_positive(get("actions", name, "lift"), f"{p}.lift") or 1e-9,
            effect_days=_count(get("actions", name, "effect_days"), f"{p}.effect_days") or 0,
            complaint=_share(get("actions", name, "complaint"), f"{p}.complaint"),
            restores_contact=_share(
                get("actions", name, "restores_contact"), f"{p}.restores_contact"
            ),
            cost=_cost(costs, name, p),
            capacity=_count(get("actions", name, "capacity"), f"{p}.capacity", True),
        )
    mix = get("roll", "initial_mix")
    if not isinstance(mix, Sequence) or len(mix) != len(STATES):
        raise ModelError(f"roll.initial_mix: {len(STATES)} shares")
    initial = tuple(_share(x, "roll.initial_mix") for x in mix)
    if abs(sum(initial) - 1) > 1e-3:
        raise ModelError("roll.initial_mix: the shares must sum to 1")
    return BehaviourModel(
        matrices=(_matrix(get("roll", "matrix"), "roll.matrix"),),
        stay_unpaid_share=_share(get("roll", "stay_unpaid_share"), "roll.stay_unpaid_share"),
        initial_mix=initial,
        lender_odds=_mapping(get("segments", "lender_type"), lender_types, "segments.lender_type"),
        contact_odds=_mapping(get("segments", "contact"), CONTACT_STATUSES, "segments.contact"),
        broken_odds=_positive(get("segments", "broken_promises"), "segments.broken_promises"),
        lost_share=_share(get("contactability", "lost_share"), "contactability.lost_share"),
        daily_loss=_share(get("contactability", "daily_loss"), "contactability.daily_loss"),
        promise_days=max(1, _count(get("promise", "days_to_due"), "promise.days_to_due") or 1),
        negotiating_lift=_positive(get("promise", "negotiating_lift"), "promise.negotiating_lift"),
        complaint_frequency=_positive(
            get("complaint", "frequency_factor"), "complaint.frequency_factor"
        ),
        actions=actions,
        agency_commission=Decimal(str(_share(get("agency_commission"), "agency_commission"))),
        parameters=params,
        prior_odds=(
            _positive(get("segments", "prior_overdues"), "segments.prior_overdues")
            if "prior_overdues" in (doc.get("segments") or {})
            else 1.0
        ),
    )


# --- the cycle: how many instalments a payment covers --------------------------------------


def instalment_chances(model: BehaviourModel | _Rows, missed: int, cycle: int) -> FloatArray:
    """``P(k)`` for ``k = 0 .. missed + 1`` instalments paid in a cycle that starts with
    ``missed`` instalments past due (cycle ``cycle`` of the simulation, from 0)."""
    matrix = model.matrices[min(cycle, len(model.matrices) - 1)]
    s = min(missed, LAST)
    row = matrix[s]
    chances = np.zeros(missed + 2)
    if s < LAST:
        chances[0] = row[s + 1]
        for j in range(s + 1):
            chances[s + 1 - j] += row[j]
    else:
        q = model.stay_unpaid_share
        chances[0] = q * row[LAST]
        chances[1] += (1 - q) * row[LAST]
        for j in range(LAST):
            chances[missed + 1 - j] += row[j]
    return chances


@lru_cache(maxsize=64)
def _chance_table(matrices: tuple[Matrix, ...], stay_unpaid: float, most: int) -> FloatArray:
    """``[cycle, missed, k]`` for every matrix and ``missed`` up to ``most`` (k padded)."""
    model = _Rows(matrices, stay_unpaid)
    table = np.zeros((len(matrices), most + 1, most + 2))
    for c in range(len(matrices)):
        for m in range(most + 1):
            table[c, m, : m + 2] = instalment_chances(model, m, c)
    return table


@dataclass(frozen=True, slots=True)
class _Rows:
    matrices: tuple[Matrix, ...]
    stay_unpaid_share: float


def _chances(model: BehaviourModel, missed: IntArray, cycle: IntArray) -> FloatArray:
    """Per account, ``P(k)`` (padded to the largest ``missed``)."""
    most = int(missed.max()) if len(missed) else 0
    table = _chance_table(model.matrices, model.stay_unpaid_share, max(most, LAST + 2))
    index = np.minimum(cycle, len(model.matrices) - 1)
    return np.asarray(table[index, missed], dtype=np.float64)


def pay_chance(model: BehaviourModel, missed: IntArray, cycle: IntArray) -> FloatArray:
    """Per account, the cycle's chance of a qualifying payment, ``P(k > 0)``, at baseline."""
    return np.asarray(1 - _chances(model, missed, cycle)[:, 0], dtype=np.float64)


def instalments_paid(
    model: BehaviourModel, missed: IntArray, cycle: IntArray, draw: FloatArray
) -> IntArray:
    """Given a payment, how many instalments it covers (``k >= 1``), drawn with ``draw``
    (uniform on [0, 1)) from ``P(k | k > 0)``."""
    paying = _chances(model, missed, cycle)[:, 1:]
    total = paying.sum(axis=1)
    cumulative = np.cumsum(paying, axis=1) / np.where(total > 0, total, 1)[:, None]
    k = 1 + (cumulative <= draw[:, None]).sum(axis=1)
    return np.asarray(np.minimum(k, missed + 1), dtype=np.int64)


def odds(p: FloatArray, multiplier: FloatArray) -> FloatArray:
    """``p`` with its odds multiplied by ``multiplier`` (1 leaves it as it is)."""
    return np.where(p >= 1, 1.0, multiplier * p / (1 - p + multiplier * p))


def daily_hazard(cycle_chance: FloatArray, days: IntArray) -> FloatArray:
    """The constant daily hazard that gives ``cycle_chance`` over ``days`` days."""
    days = np.maximum(days, 1)
    return np.asarray(1 - np.power(1 - np.clip(cycle_chance, 0, 1), 1 / days), dtype=np.float64)


# --- one day, for many accounts ------------------------------------------------------------

#: The uniform draws a day needs per account, in this order (common random numbers: the same
#: draw serves the same purpose for the same account and day in every arm).
DRAWS = ("pay", "instalments", "contact", "promise", "complaint", "restore", "loss")


@dataclass(frozen=True, slots=True)
class DayState:
    """What the model needs per account on one day (arrays of equal length).

    Attributes:
        missed: instalments past due at the start of the account's current cycle.
        cycle: the cycle's number in the simulation (0 for the first), for ``matrices``.
        cycle_days: the days the cycle's payment chance is spread over: the cycle's length
            (for a first cycle already under way, the days left of it on the first day).
        paid: a qualifying payment was made in this cycle already.
        lender_type, contact: as in the facts.
        reachable: the borrower has a working number (the model's latent contactability).
        broken: the account has broken a promise before.
        lift_ratio: the arm's lift in effect divided by the baseline's (1 under baseline).
        contacts_7d: the debtor's contacts in the previous 7 days (complaints rise with them).
        prior_overdues: earlier overdue episodes (``None``: not known, odds 1).
    """

    missed: IntArray
    cycle: IntArray
    cycle_days: IntArray
    paid: BoolArray
    lender_type: Sequence[str]
    contact: Sequence[str]
    reachable: BoolArray
    broken: BoolArray
    lift_ratio: FloatArray
    contacts_7d: IntArray
    prior_overdues: IntArray | None = None


@dataclass(frozen=True, slots=True)
class DayOutcome:
    """What happened per account on one day.

    Attributes:
        paid: a qualifying payment today; ``instalments`` it covers (0 when none).
        contacted: right-party contact by today's action; ``promised`` a promise to pay.
        complained: a complaint; ``restored`` contact restored (skip trace, visit, agency);
        ``lost`` the number stopped working today.
    """

    paid: BoolArray
    instalments: IntArray
    contacted: BoolArray
    promised: BoolArray
    complained: BoolArray
    restored: BoolArray
    lost: BoolArray


def day_step(
    model: BehaviourModel, state: DayState, actions: Sequence[str | None], draws: FloatArray
) -> DayOutcome:
    """One day for every account: ``actions`` are those executed today (``None``: nothing),
    ``draws`` a ``(len(DRAWS), n)`` array of uniforms."""
    n = len(state.missed)
    # Per-account parameters are looked up once per distinct value (an account's action,
    # contact status, lender type), then spread over the accounts.
    names, which = _distinct(actions, n)
    effects = [model.effect(a) for a in names]
    statuses, status_of = _distinct(state.contact, n)
    types, type_of = _distinct(state.lender_type, n)
    u = {name: draws[i] for i, name in enumerate(DRAWS)}
    # Payment: the baseline hazard of the account's segment, times the arm's relative lift.
    # A promise's effect is inside its action's lift (an open promise multiplying the hazard
    # of itself would move the baseline off the calibrated matrix).
    base = pay_chance(model, state.missed, state.cycle)
    multiplier = np.array([model.lender_odds.get(t, 1.0) for t in types])[type_of]
    multiplier *= np.array([model.contact_odds.get(c, 1.0) for c in statuses])[status_of]
    multiplier *= np.where(state.broken, model.broken_odds, 1.0)
    if state.prior_overdues is not None:
        multiplier *= model.prior_odds**state.prior_overdues
    hazard = daily_hazard(odds(base, multiplier), state.cycle_days)
    hazard *= state.lift_ratio
    paid = ~state.paid & (u["pay"] < np.minimum(hazard, 1.0))
    k = np.where(paid, instalments_paid(model, state.missed, state.cycle, u["instalments"]), 0)
    # Contact: only a reachable borrower can be reached by phone or message; letters and
    # visits reach an address (their ``lost`` chance applies to the unreachable).
    rpc = np.array([[e.rpc[c] for c in statuses] for e in effects]).reshape(len(names), -1)
    lost_rpc = np.array([e.rpc["lost"] for e in effects])
    level = np.where(state.reachable, rpc[which, status_of], lost_rpc[which]) if n else np.zeros(0)
    contacted = u["contact"] < level
    promised = contacted & (u["promise"] < np.array([e.promise for e in effects])[which])
    complaint = np.array([e.complaint for e in effects])[which] * (
        1 + model.complaint_frequency * state.contacts_7d
    )
    complained = contacted & (u["complaint"] < complaint)
    restores = np.array([e.restores_contact for e in effects])[which]
    restored = ~state.reachable & (u["restore"] < restores)
    lost = state.reachable & (u["loss"] < model.daily_loss)
    return DayOutcome(paid, k.astype(np.int64), contacted, promised, complained, restored, lost)


def _distinct(values: Sequence[Any], n: int) -> tuple[list[Any], IntArray]:
    """The distinct values, and for each account the index of its value among them."""
    found = list(dict.fromkeys(values))
    position = {v: i for i, v in enumerate(found)}
    return found, np.fromiter(map(position.__getitem__, values), np.int64, n)


# --- one account, for a borrower's forward look ---------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountDay:
    """One simulated day of one account, as :func:`simulate_account` reports it."""

    day: date
    missed: int  # instalments past due today
    action: str | None
    paid_instalments: int
    contacted: bool
    promised: bool
    complained: bool
    reachable: bool


@dataclass(frozen=True, slots=True)
class AccountStart:
    """One account on the first day: its past-due instalments, its due dates from the first
    simulated one on (monthly, ascending), lender type, contact status and reachability."""

    missed: int
    due_dates: tuple[date, ...]
    lender_type: str
    contact: str = "reachable"
    reachable: bool = True
    broken: bool = False


def simulate_account(
    model: BehaviourModel,
    start: AccountStart,
    first_day: date,
    days: int,
    choose: Callable[[date, int, bool], str | None],
    rng: np.random.Generator,
    baseline: Callable[[date, int, bool], str | None] | None = None,
) -> list[AccountDay]:
    """One account forward ``days`` days from ``first_day``.

    ``choose(day, missed, reachable)`` gives the action executed that day (after the
    strategy and the guard; ``None`` for nothing). ``baseline`` gives what the baseline
    strategy would execute; without it the chosen actions are the baseline (relative lift 1).
    The account pays in whole instalments; a due date passing unpaid adds one past due.
    """
    at_start, cycle, covered = start.missed, 0, 0  # covered: instalments paid this cycle
    reachable = start.reachable
    dues = [d for d in start.due_dates if d >= first_day]
    arm_lift: tuple[float, date] = (1.0, first_day)
    base_lift: tuple[float, date] = (1.0, first_day)
    out: list[AccountDay] = []
    recent: list[date] = []
    length = (dues[0] - first_day).days + 1 if dues else 1
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        while dues and dues[0] < day:  # a due date has passed: a new cycle
            at_start, cycle, covered = at_start + 1 - covered, cycle + 1, 0
            ended = dues.pop(0)
            length = (dues[0] - ended).days if dues else 1
        missed = max(at_start - covered, 0)
        action = choose(day, missed, reachable)
        bau = baseline(day, missed, reachable) if baseline else action
        arm_lift = _in_effect(model, action, day, arm_lift)
        base_lift = _in_effect(model, bau, day, base_lift)
        ratio = (arm_lift[0] if day < arm_lift[1] else 1.0) / (
            base_lift[0] if day < base_lift[1] else 1.0
        )
        recent = [d for d in recent if (day - d).days <= 7]
        state = DayState(
            missed=np.array([at_start]),
            cycle=np.array([cycle]),
            cycle_days=np.array([length]),
            paid=np.array([covered > 0]),
            lender_type=[start.lender_type],
            contact=[start.contact if reachable else "lost"],
            reachable=np.array([reachable]),
            broken=np.array([start.broken]),
            lift_ratio=np.array([ratio]),
            contacts_7d=np.array([len(recent)]),
        )
        result = day_step(model, state, [action], rng.random((len(DRAWS), 1)))
        k = int(result.instalments[0])
        # Whole instalments, oldest first; the last may be the one due at the cycle's end.
        covered += k
        if result.contacted[0]:
            recent.append(day)
        reachable = bool((reachable and not result.lost[0]) or result.restored[0])
        out.append(
            AccountDay(
                day,
                max(at_start - covered, 0),
                action,
                k,
                bool(result.contacted[0]),
                bool(result.promised[0]),
                bool(result.complained[0]),
                reachable,
            )
        )
    return out


def _in_effect(
    model: BehaviourModel, action: str | None, day: date, current: tuple[float, date]
) -> tuple[float, date]:
    """The lift in effect after ``action`` today: the stronger of the running one and the
    action's own for its ``effect_days``."""
    effect = model.effect(action)
    running = current if day < current[1] else (1.0, day)
    if effect.effect_days <= 0 or effect.lift <= running[0]:
        return running
    return effect.lift, day + timedelta(days=effect.effect_days)
