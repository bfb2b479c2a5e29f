"""``duecourse sample``: a reproducible synthetic portfolio across the four lender types.

The shapes follow the seeds: banks lend larger amounts over longer terms and see fewer and
milder delinquencies; online platforms lend small amounts at high rates, see more defaults and
more lost contact; small-loan companies sit in between and verify addresses less often than
banks. Every number below is a sampling parameter, not a calibration claim.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from pathlib import Path

from duecourse.adapters.files import write_csv
from duecourse.adapters.messages import text
from duecourse.adapters.schema import TABLES
from duecourse.domain.model import LenderType
from duecourse.domain.money import CENT
from duecourse.service.progress import Progress, Silent


@dataclass(frozen=True, slots=True)
class LenderProfile:
    """How one lender type's book looks."""

    share: float
    lenders: tuple[str, ...]
    median_principal: int
    terms: tuple[int, ...]
    rate: tuple[float, float]
    current_share: float  # share of accounts not past due
    mean_dpd: float  # mean days past due among delinquent accounts
    lost_share: float  # share of delinquent debtors who cannot be reached
    verified_share: float  # share with a verified address
    late_history: float  # chance that a paid instalment was paid late


PROFILES: dict[LenderType, LenderProfile] = {
    LenderType.BANK: LenderProfile(
        0.30,
        ("工商银行信用卡", "招商银行信用卡", "建设银行快贷"),
        30000,
        (12, 24, 36),
        (0.06, 0.15),
        0.82,
        55,
        0.10,
        0.75,
        0.04,
    ),
    LenderType.CONSUMER_FINANCE: LenderProfile(
        0.30,
        ("湖北消费金融", "招联消费金融", "马上消费金融"),
        15000,
        (6, 12, 24),
        (0.12, 0.24),
        0.74,
        70,
        0.18,
        0.60,
        0.06,
    ),
    LenderType.SMALL_LOAN: LenderProfile(
        0.20,
        ("某网络小额贷款", "某小额贷款公司"),
        8000,
        (3, 6, 12),
        (0.18, 0.24),
        0.66,
        85,
        0.25,
        0.50,
        0.08,
    ),
    LenderType.ONLINE_PLATFORM: LenderProfile(
        0.20,
        ("某借款平台", "某分期平台"),
        3000,
        (3, 6, 12),
        (0.24, 0.36),
        0.58,
        95,
        0.35,
        0.35,
        0.10,
    ),
}
PENALTY_RATE = Decimal("0.0005")
REGIONS = ("湖北", "广东", "河南", "四川", "江苏", "浙江", "山东", "湖南", "北京", "上海")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
PRODUCTS = {
    LenderType.BANK: ("credit_card", "instalment"),
    LenderType.CONSUMER_FINANCE: ("cash_loan", "goods_instalment"),
    LenderType.SMALL_LOAN: ("cash_loan",),
    LenderType.ONLINE_PLATFORM: ("cash_loan", "bnpl"),
}


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _schedule(principal: Decimal, rate: Decimal, term: int) -> list[tuple[Decimal, Decimal]]:
    """Equal monthly payments (等额本息): (principal, interest) per instalment, exact to the fen."""
    monthly = rate / 12
    factor = (1 + monthly) ** term
    payment = (principal * monthly * factor / (factor - 1)).quantize(CENT, ROUND_HALF_UP)
    left = principal
    out = []
    for k in range(term):
        interest = (left * monthly).quantize(CENT, ROUND_HALF_UP)
        part = left if k == term - 1 else min(left, payment - interest)
        out.append((part, interest))
        left -= part
    return out


def _id_number(rng: random.Random) -> str:
    body = f"{rng.randint(110000, 659000)}{rng.randint(1965, 2003)}{rng.randint(1, 12):02d}"
    body += f"{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


#: Mobile prefixes of the sample's range that are not assigned (libphonenumber refuses them).
UNASSIGNED = ("154", "174", "179")


def _phone(rng: random.Random) -> str:
    number = f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}"
    # the same draws as before, so the rest of the portfolio stays as it was
    return "13" + number[2:] if number.startswith(UNASSIGNED) else number


@dataclass
class _Writer:
    rows: dict[str, list[list[object]]]

    def add(self, table: str, *values: object) -> None:
        self.rows[table].append(["" if v is None else v for v in values])


def _at(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(8, 20), rng.randint(0, 59))


def _account(out: _Writer, n: int, as_of: date, rng: random.Random) -> None:
    kinds = list(PROFILES)
    kind = rng.choices(kinds, weights=[PROFILES[k].share for k in kinds])[0]
    prof = PROFILES[kind]
    bid, lid = f"B{n:07d}", f"L{n:07d}"
    phones = [_phone(rng) for _ in range(rng.choice((1, 1, 2)))]
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    region = rng.choice(REGIONS)
    # a second stream for what came later, so the first stream's accounts stay as they were
    side = random.Random(f"{bid}-{rng.random()}")
    region, zone = ("新疆", "Asia/Urumqi") if side.random() < 0.03 else (region, "Asia/Shanghai")
    out.add("borrowers", bid, name, _id_number(rng), ";".join(phones), region, zone)
    verified = rng.random() < prof.verified_share
    out.add(
        "addresses",
        f"A{n:07d}",
        bid,
        "home",
        f"{region}某市某区某路{rng.randint(1, 999)}号",
        str(verified).lower(),
    )
    for c in range(rng.randint(1, 3)):
        out.add(
            "contacts",
            f"C{n:07d}{c}",
            bid,
            rng.choice(SURNAMES) + rng.choice(GIVEN),
            rng.choice(("emergency", "family", "friend", "colleague")),
            _phone(rng),
            str(side.random() < 0.15).lower(),  # asked not to be called again
        )
    term = rng.choice(prof.terms)
    principal = Decimal(max(500, int(rng.lognormvariate(0, 0.6) * prof.median_principal)))
    principal = (principal / 100).quantize(Decimal(1)) * 100
    rate = Decimal(str(round(rng.uniform(*prof.rate), 4)))
    age = rng.randint(1, term + 8)  # months on book
    start = _add_months(as_of, -age) - timedelta(days=rng.randint(0, 27))
    out.add(
        "loans",
        lid,
        bid,
        rng.choice(prof.lenders),
        kind.value,
        rng.choice(PRODUCTS[kind]),
        principal,
        rate,
        term,
        start,
        PENALTY_RATE,
        "0.24",
    )
    due = [_add_months(start, k + 1) for k in range(term)]
    plan = _schedule(principal, rate, term)
    for k, (p, i) in enumerate(plan):
        out.add("instalments", lid, k + 1, due[k], p, i, "0.00")
    past = [k for k in range(term) if due[k] < as_of]
    delinquent = bool(past) and rng.random() > prof.current_share
    first_unpaid = len(past)
    if delinquent:
        dpd = max(1, int(rng.expovariate(1 / prof.mean_dpd)))
        first_unpaid = next((k for k in past if (as_of - due[k]).days <= dpd), past[-1])
    pay = 0
    for k in range(first_unpaid):
        late = rng.random() < prof.late_history
        day = due[k] + timedelta(days=rng.randint(1, 20) if late else -rng.randint(0, 5))
        day = min(day, as_of)
        days_late = max(0, (day - due[k]).days)
        # a late payer also pays the penalty they are shown (it is allocated before interest)
        penalty = (plan[k][0] * PENALTY_RATE * days_late).quantize(CENT, ROUND_UP)
        out.add(
            "payments",
            f"P{n:07d}{pay:03d}",
            lid,
            _at(day, rng),
            sum(plan[k]) + penalty,
            rng.choice(("app", "auto_debit", "bank_transfer")),
            None,
        )
        pay += 1
    if not delinquent:
        return
    since = due[first_unpaid]
    if rng.random() < 0.2 and (as_of - since).days > 3:  # a partial payment after falling behind
        day = since + timedelta(days=rng.randint(1, (as_of - since).days - 1))
        part = (sum(plan[first_unpaid]) * Decimal(rng.uniform(0.1, 0.6))).quantize(CENT)
        out.add("payments", f"P{n:07d}{pay:03d}", lid, _at(day, rng), part, "app", None)
    lost = rng.random() < prof.lost_share
    cooperative = not lost and rng.random() < 0.55
    _attempts(out, n, bid, lid, phones[0], since, as_of, lost, cooperative, rng)
    if (as_of - since).days > 45 and side.random() < 0.5:  # a letter announcing what comes next
        sent = as_of - timedelta(days=side.randint(0, 20))
        out.add(
            "contact_attempts",
            f"T{n:07d}N00",
            bid,
            lid,
            _at(sent, side),
            "letter",
            "debtor",
            None,
            "delivered",
            "inhouse",
            None,
        )
    if cooperative and rng.random() < 0.5:
        made = as_of - timedelta(days=rng.randint(0, 14))
        made = max(made, since + timedelta(days=1))
        if made <= as_of:
            amount = sum(plan[first_unpaid])
            out.add(
                "promises",
                f"R{n:07d}",
                lid,
                _at(made, rng),
                made + timedelta(days=rng.randint(1, 10)),
                amount,
            )
    if rng.random() < 0.03:
        out.add(
            "arrangements",
            f"G{n:07d}",
            lid,
            "instalment_plan",
            as_of - timedelta(days=5),
            as_of + timedelta(days=180),
            None,
        )
    dpd_now = (as_of - since).days
    flags = [
        ("complaint", 0.02),
        ("dispute", 0.01),
        ("hardship", 0.03),
        ("attorney", 0.005),
        ("cease_request", 0.005),
        ("deceased", 0.001),
    ]
    if dpd_now > 90:
        flags.append(("litigation", 0.12 if kind is LenderType.BANK else 0.04))
        outsourced = kind in (LenderType.SMALL_LOAN, LenderType.ONLINE_PLATFORM)
        flags.append(("agency_placement", 0.6 if outsourced else 0.25))
    for flag, chance in flags:
        if rng.random() < chance:
            out.add("flags", lid, flag, since + timedelta(days=rng.randint(1, dpd_now)), None, None)


def _attempts(
    out: _Writer,
    n: int,
    bid: str,
    lid: str,
    number: str,
    since: date,
    as_of: date,
    lost: bool,
    cooperative: bool,
    rng: random.Random,
) -> None:
    day = since + timedelta(days=1)
    k = 0
    invalid = lost and rng.random() < 0.4
    while day <= as_of and k < 60:
        channel = "sms" if k % 3 == 0 else rng.choice(("call", "call", "ai_call"))
        recent = (as_of - day).days < 7
        if channel == "sms":
            outcome = "undelivered" if invalid else "delivered"
        elif invalid:
            outcome = "invalid_number"
        elif lost:
            outcome = rng.choice(("unanswered", "not_connected", "busy"))
        elif cooperative:
            outcome = "conversation" if rng.random() < (0.8 if recent else 0.5) else "unanswered"
        else:
            outcome = "conversation" if rng.random() < (0.05 if recent else 0.3) else "unanswered"
        by = "ai" if channel == "ai_call" else rng.choice(("inhouse", "inhouse", "agency"))
        out.add(
            "contact_attempts",
            f"T{n:07d}{k:03d}",
            bid,
            lid,
            _at(day, rng),
            channel,
            "debtor",
            number,
            outcome,
            by,
            None,
        )
        k += 1
        day += timedelta(days=rng.randint(1, 6))


def generate(accounts: int, seed: int, as_of: date, progress: Progress | None = None) -> _Writer:
    """Generate ``accounts`` accounts; the same arguments give the same rows."""
    progress = progress or Silent()
    rng = random.Random(seed)
    out = _Writer({spec.name: [] for spec in TABLES})
    for n in progress.track(range(1, accounts + 1), text("generating accounts"), total=accounts):
        _account(out, n, as_of, rng)
    return out


def write_sample(
    target: Path, accounts: int, seed: int, as_of: date, progress: Progress | None = None
) -> dict[str, int]:
    """Write one CSV per table into ``target``; returns rows written per table."""
    target.mkdir(parents=True, exist_ok=True)
    data = generate(accounts, seed, as_of, progress)
    counts = {}
    for spec in TABLES:
        header = [c.name for c in spec.columns]
        counts[spec.name] = write_csv(target / f"{spec.name}.csv", header, data.rows[spec.name])
    return counts
