"""Letters a borrower sends: a negotiation request (协商还款申请) with a plan computed by the
repayment engine, an information request (信息核对函) that admits nothing, and a complaint (投诉)
built from an evidence log whose message texts go through the message checker.

A letter is data (paragraphs as bilingual texts); the web layer renders it as HTML and PDF. The
letter's Chinese is what is sent; the English beside it is for a reader who needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from duecourse.borrower.honesty import (
    CREDIT_RECORD,
    LAWFUL_VISIT,
    NOT_A_RIGHT,
    OFFICIAL_FREE,
    LimitationRisk,
    credit_relief,
    limitation_risk,
    time_barred_warning,
)
from duecourse.compliance.clock import in_window, parse_window
from duecourse.compliance.message.checker import check_message
from duecourse.compliance.message.codes import Code
from duecourse.compliance.message.normalise import has_words
from duecourse.compliance.packs import BUILT_IN
from duecourse.domain.repayment.decide import Decision
from duecourse.domain.repayment.texts import Text, pct

#: Complaint deadline of the institution (银行业保险业消费投诉处理管理办法, borrower-law.md B28).
COMPLAINT_DAYS = 15
#: Findings that are crimes to report to the police as well (110).
POLICE = frozenset({Code.THREAT_VIOLENCE.value, "ENTERED_HOME"})
CHANNELS = {
    "call": ("电话", "call"),
    "sms": ("短信", "text message"),
    "im": ("即时通讯", "instant message"),
    "visit": ("上门", "visit"),
    "letter": ("信件", "letter"),
    "other": ("其他", "other"),
}


@dataclass(frozen=True, slots=True)
class Parties:
    """Who writes to whom: the borrower's name and how to reach them, the lender (and any agency
    named), the contract or account number, and the letter's date."""

    borrower: str
    contact: str
    lender: str
    account: str
    today: date


@dataclass(frozen=True, slots=True)
class Letter:
    """A letter: its kind, title, paragraphs (sent as written), and the notes shown to the
    borrower beside it (not part of the letter)."""

    kind: str  # negotiation | information_request | complaint
    title: Text
    parties: Parties
    paragraphs: tuple[Text, ...]
    notes: tuple[Text, ...]
    decision: Decision | None = None  # the plan proposed (negotiation only)
    incidents: tuple[CheckedIncident, ...] = ()  # the evidence log (complaint only)


@dataclass(frozen=True, slots=True)
class NeedsConfirmation:
    """The letter was not written: the borrower must first read ``warning`` and confirm (or ask
    for an information request instead)."""

    warning: Text
    risk: LimitationRisk


def _t(code: str, zh: str, en: str) -> Text:
    return Text(code, zh, en)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def negotiation_letter(
    parties: Parties,
    decision: Decision,
    hardship: str,
    last_activity: date | None,
    confirmed: bool,
) -> Letter | NeedsConfirmation:
    """The negotiation request, or :class:`NeedsConfirmation` when the debt may be time-barred
    (or the date is unknown) and the borrower has not confirmed after reading the warning."""
    risk = limitation_risk(last_activity, parties.today)
    warning = time_barred_warning(risk)
    if warning is not None and not confirmed:
        return NeedsConfirmation(warning, risk)
    plan = decision.plan
    p = plan.proposal
    first = plan.instalments[0].payment if plan.instalments else Decimal("0.00")
    method = (
        ("等额本息", "equal instalments")
        if p.method == "equal_instalment"
        else (
            "等额本金",
            "equal principal",
        )
    )
    rows = [
        _t("GREETING", f"{parties.lender}：", f"To {parties.lender}:"),
        _t(
            "INTRO",
            f"本人{parties.borrower}，合同/账户号 {parties.account}。因{hardship}，目前无法按原约定"
            "按期足额还款，但本人有还款意愿，特此申请协商还款。",
            f"I, {parties.borrower}, account {parties.account}, cannot currently repay as "
            f"agreed because of: {hardship}. I am willing to repay and ask to agree a plan.",
        ),
        _t(
            "PROPOSAL",
            f"本人提出以下方案，供贵司考虑：首付 {_money(p.down_payment)} 元；其余按{method[0]}分 "
            f"{p.term_months} 期偿还，计划年利率 {pct(p.annual_rate)}，首期 {_money(first)} 元；"
            f"还款总额 {_money(plan.total_payable)} 元，综合年化成本（IRR）"
            f"{pct(plan.cost.nominal) if plan.cost.nominal is not None else '—'}。"
            "还款计划表附后。",
            f"My proposal: a down payment of {_money(p.down_payment)} yuan, then "
            f"{p.term_months} monthly {method[1]} at {pct(p.annual_rate)} a year, the first "
            f"{_money(first)} yuan; {_money(plan.total_payable)} yuan in all, a total cost of "
            f"{pct(plan.cost.nominal) if plan.cost.nominal is not None else '—'} a year (IRR). "
            "The schedule is attached.",
        ),
    ]
    if p.deferral_months:
        rows.append(
            _t(
                "DEFERRAL",
                f"恳请首期还款延后 {p.deferral_months} 个月。",
                f"I ask that the first instalment be deferred by {p.deferral_months} months.",
            )
        )
    if plan.total_forgiven:
        rows.append(
            _t(
                "WAIVER",
                f"恳请减免罚息、费用等合计 {_money(plan.total_forgiven)} 元，并书面确认按本方案付清"
                "即结清全部债务、出具结清证明。",
                f"I ask you to waive {_money(plan.total_forgiven)} yuan of penalty interest and "
                "fees, and to confirm in writing that paying this plan settles the whole debt, "
                "with a settlement certificate.",
            )
        )
    rows += [
        _t(
            "ASK",
            "本方案须经贵司同意并签署书面协议后方生效。如同意，请提供书面协议，写明还款总额、每期金额、"
            "年化成本、未按期还款的后果以及征信报送方式；如不同意，请书面说明理由或提出贵司的方案。"
            "请同时提供合同、还款记录和欠款明细（本金、利息、罚息、费用）。",
            "This plan takes effect only if you agree and we both sign written terms. If you "
            "agree, please send the terms in writing: the total payable, each instalment, the "
            "annual cost, what a missed payment triggers and how it will be reported. If not, "
            "please give your reasons in writing or propose your own plan. Please also send the "
            "contract, the payment record and a breakdown of what you claim (principal, "
            "interest, penalty, fees).",
        ),
        _t(
            "CONTACT",
            f"请通过 {parties.contact} 在 8:00 至 22:00 之间与本人联系。",
            f"Please contact me at {parties.contact} between 08:00 and 22:00.",
        ),
    ]
    notes = [NOT_A_RIGHT, *decision.reasons, *decision.notes]
    if warning is not None:
        notes.insert(0, warning)
    relief = credit_relief(parties.today)
    if relief is not None:
        notes.append(relief)
    notes.append(OFFICIAL_FREE)
    return Letter(
        "negotiation",
        _t("TITLE", "协商还款申请", "Request to negotiate repayment"),
        parties,
        tuple(rows),
        tuple(dict.fromkeys(notes)),
        decision=decision,
    )


def information_request(parties: Parties) -> Letter:
    """A request for the contract and a statement that admits no debt (borrower-law.md E4)."""
    rows = (
        _t("GREETING", f"{parties.lender}：", f"To {parties.lender}:"),
        _t(
            "INFO",
            f"本人{parties.borrower}收到贵司关于合同/账户号 {parties.account} 的催收。为核实情况，"
            "请提供：借款合同；全部放款和还款记录；所主张金额的明细（本金、利息、罚息、费用）及计算"
            "依据；最后一次还款日期；如委托催收机构，请告知其名称。",
            f"I, {parties.borrower}, have been contacted about account {parties.account}. To "
            "check the claim, please send: the loan contract; every disbursement and payment; a "
            "breakdown of the amount claimed (principal, interest, penalty, fees) and how it was "
            "computed; the date of the last payment; and the name of any collection agency used.",
        ),
        _t(
            "NO_ADMISSION",
            "本函仅为核实信息，不构成对任何债务的承认或还款承诺。",
            "This letter only asks for information; it neither admits any debt nor promises "
            "to pay.",
        ),
        _t(
            "CONTACT",
            f"请以书面方式回复，或通过 {parties.contact} 在 8:00 至 22:00 之间与本人联系。",
            f"Please reply in writing, or contact me at {parties.contact} between 08:00 and 22:00.",
        ),
    )
    return Letter(
        "information_request",
        _t("TITLE", "信息核对函", "Request for information"),
        parties,
        rows,
        (OFFICIAL_FREE,),
    )


@dataclass(frozen=True, slots=True)
class Incident:
    """One entry of the evidence log.

    Attributes:
        at: when it happened, Beijing time.
        channel: ``call``, ``sms``, ``im``, ``visit``, ``letter`` or ``other``.
        number: the caller's or sender's number ("" if none).
        identity: who they said they were (name, company, staff number).
        text: the message's words, or what was said or done (a transcript or notes).
        entered_home: a visit: they entered the home without consent.
        third_party: family, colleagues or friends were contacted about the debt.
    """

    at: datetime
    channel: str
    number: str = ""
    identity: str = ""
    text: str = ""
    entered_home: bool = False
    third_party: bool = False


@dataclass(frozen=True, slots=True)
class IncidentFinding:
    """What is wrong with an incident: a code (a message-checker code, or ``NIGHT_CONTACT``,
    ``ENTERED_HOME``, ``THIRD_PARTY_CONTACT``), the rule id and the explanation."""

    code: str
    rule: str | None
    explanation: str


@dataclass(frozen=True, slots=True)
class CheckedIncident:
    incident: Incident
    verdict: str | None  # the message checker's verdict on ``text`` (None: no text)
    findings: tuple[IncidentFinding, ...]

    @property
    def channel(self) -> Text:
        """The channel's name, Chinese and English."""
        zh, en = CHANNELS[self.incident.channel]
        return Text(self.incident.channel, zh, en)


def check_incident(incident: Incident) -> CheckedIncident:
    """The incident's findings: its text through the message checker, the hour against CN-TIME-01's
    quiet window, entry without consent (CN-VIS-02) and third parties told (CN-TGT-01)."""
    found: list[IncidentFinding] = []
    verdict = None
    if incident.text and has_words(incident.text):
        result = check_message(incident.text)
        verdict = result.verdict.value
        found += [IncidentFinding(f.code.value, f.rule, f.explanation) for f in result.findings]
    (quiet_rule,) = (r for r in BUILT_IN["cn"] if r.id == "CN-TIME-01")
    quiet = parse_window(quiet_rule.params["quiet"])
    if in_window(incident.at.time(), quiet):
        found.append(
            IncidentFinding(
                "NIGHT_CONTACT",
                "CN-TIME-01",
                f"22:00 至次日 8:00 之间联系（{incident.at:%H:%M}） · contact between 22:00 and "
                f"08:00 ({incident.at:%H:%M})",
            )
        )
    if incident.channel == "visit" and incident.entered_home:
        found.append(
            IncidentFinding(
                "ENTERED_HOME",
                "CN-VIS-02",
                "未经同意进入住宅 · entered the home without consent (民法典第一千零三十三条)",
            )
        )
    if incident.third_party:
        found.append(
            IncidentFinding(
                "THIRD_PARTY_CONTACT",
                "CN-TGT-01",
                "向家人、同事或朋友催收或透露债务 · collected from or told family, colleagues or "
                "friends",
            )
        )
    return CheckedIncident(incident, verdict, tuple(found))


def complaint_letter(parties: Parties, incidents: list[Incident], request: str) -> Letter:
    """The complaint to the lender: dated incidents with what each breaks, the request, and the
    15-day deadline; the notes say where to go next (12378, 110 for crimes)."""
    checked = tuple(check_incident(i) for i in sorted(incidents, key=lambda i: i.at))
    codes = {f.code for c in checked for f in c.findings}
    unlawful = [c for c in checked if any(f.rule for f in c.findings)]
    rows = [
        _t("GREETING", f"{parties.lender}：", f"To {parties.lender}:"),
        _t(
            "INTRO",
            f"本人{parties.borrower}（合同/账户号 {parties.account}）就贵司或贵司委托的催收机构的"
            f"催收行为投诉如下。以下共 {len(checked)} 条记录，其中 {len(unlawful)} 条涉及违反"
            "催收规则的行为，详见附表。",
            f"I, {parties.borrower} (account {parties.account}), complain about collection "
            f"conduct by you or an agency acting for you. The {len(checked)} records below "
            f"include {len(unlawful)} that break collection rules; see the table.",
        ),
        _t(
            "REQUEST",
            f"本人的请求：{request}",
            f"My request: {request}",
        ),
        _t(
            "DEADLINE",
            f"请依照《银行业保险业消费投诉处理管理办法》，自收到本投诉之日起 {COMPLAINT_DAYS} 日内"
            "作出处理决定并书面答复；如系委托催收机构所为，请告知其名称。逾期未处理或处理不当，"
            "本人将向 12378 等监管渠道反映。",
            f"Under the rules on complaint handling for banking and insurance institutions, "
            f"please decide within {COMPLAINT_DAYS} days of receiving this complaint and answer "
            "in writing; if an agency acted, please name it. Without a proper answer in time I "
            "will take the matter to the regulator (12378).",
        ),
        _t(
            "CONTACT",
            f"请通过 {parties.contact} 在 8:00 至 22:00 之间与本人联系。",
            f"Please contact me at {parties.contact} between 08:00 and 22:00.",
        ),
    ]
    notes: list[Text] = []
    if not unlawful:
        notes.append(
            _t(
                "NOTHING_FOUND",
                "检查没有发现违反催收规则的行为。投诉请只写实际发生的事；合法的催收（包括合规的上门）"
                "本身不构成投诉理由。",
                "No breach of the collection rules was found. Complain only about what "
                "happened; lawful collection (a compliant visit included) is no ground in itself.",
            )
        )
    if codes & POLICE:
        notes.append(
            _t(
                "POLICE",
                "记录中有威胁人身安全或未经同意进入住宅的行为，可以同时拨打 110 报警。",
                "The log shows threats to your safety or entry into your home without consent: "
                "you may also call the police on 110.",
            )
        )
    if any(c.incident.channel == "visit" for c in checked):
        notes.append(LAWFUL_VISIT)
    notes += [CREDIT_RECORD, OFFICIAL_FREE]
    return Letter(
        "complaint",
        _t("TITLE", "投诉书", "Complaint"),
        parties,
        tuple(rows),
        tuple(notes),
        incidents=checked,
    )
