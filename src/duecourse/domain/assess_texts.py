"""The rights and advice ``assess`` gives, chosen for the case (Chinese first, English beside).

Sources: ``reference/borrower-law.md`` (B28-B35, A17, D5-D7, E1) and ``reference/regulation.md``
(CN-VIS-01/02, CN-TIME-01, CN-TGT-01..05, CN-BAN, CN-CMP-01). Honesty rules (issue 17 item 4):
an instalment plan is never a right; a possibly time-barred debt gets a warning before anything
acknowledges it; credit-report effects are stated as they are; a lawful visit is lawful, and
entering a home without consent is not.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from duecourse.domain.assess import BorrowerCase

#: Limitation period (Civil Code art. 188) and the margin before it at which we warn.
LIMITATION_DAYS = 3 * 365
LIMITATION_WARN_DAYS = LIMITATION_DAYS - 180
#: PBOC one-off relief (borrower-law.md B34): records 2020-01-01..2025-12-31, single overdue
#: amount at most 10,000 yuan, repaid in full by 2026-03-31.
RELIEF_LAST_DAY = date(2026, 3, 31)
RELIEF_MAX_AMOUNT = Decimal("10000")

LAWFUL_VISIT = (
    "合法的上门：至少两名催收人员，白天（8:00—22:00），事先书面通知，出示工作证和出借人的授权书，"
    "在门口或约定地点沟通；上门本身并不违法。 · A lawful visit: at least two collectors, in "
    "daytime (08:00-22:00), after written notice, showing staff ID and the lender's authorisation "
    "letter, talking at the door or an agreed place. A visit as such is not unlawful "
    "(CN-VIS-01, CN-TIME-01, DC-VIS-PRE)."
)
ASK_ID = (
    "有人上门时，先请对方出示工作证、所属机构和出借人的授权书，并记下姓名和工号；无法证明身份的，可以不予"
    "理会并报警。 · When someone comes, ask for their staff ID, their company and the lender's "
    "authorisation letter, and note names and staff numbers; if they cannot prove who they are, "
    "you need not deal with them and may call the police."
)
NO_ENTRY = (
    "未经您同意，任何人不得进入您的住所或办公区；您可以拒绝开门、要求对方离开，或约定其他时间地点。强行"
    "进入请拨打 110。 · Nobody may enter your home or office without your consent; you may keep "
    "the door closed, ask them to leave, or agree another time and place. Forced entry: call 110 "
    "(Civil Code art. 1033, CN-VIS-02)."
)
NO_HARASSMENT = (
    "催收不得威胁、辱骂、骚扰，不得向与债务无关的家人、同事、通讯录联系人催收或透露您的欠款。 · "
    "Collectors may not threaten, insult or harass you, nor collect from, or disclose your debt "
    "to, family, colleagues or contacts unrelated to the debt (CN-TGT-01/03/05, CN-BAN)."
)
COMPLAIN = (
    "投诉渠道：先向出借人投诉（应在 15 日内作出处理决定）；金融监管总局热线 12378；"
    "征信问题找人民银行 "
    "12363；暴力、威胁、非法侵入住宅等涉嫌犯罪的行为拨打 110。均不收费。 · Where to complain: the "
    "lender's own complaint channel first (a decision is due within 15 days); the NFRA hotline "
    "12378; credit-report problems: the PBOC, 12363; violence, threats, forced entry or other "
    "crimes: 110. All are free."
)
NIFA = (
    "网贷平台还可以向中国互联网金融协会举报（jubao.nifa.org.cn）。 · "
    "For an online platform you may "
    "also report to the National Internet Finance Association (jubao.nifa.org.cn)."
)
CREDIT_REPORT = (
    "征信记录如实反映：逾期记录自结清之日起保存 5 年后删除；"
    "每年可免费查询两次本人信用报告，对错误记录可"
    "提出异议（20 日内答复）。 · Credit reports state the facts: an overdue record is kept for 5 "
    "years from the day the debt is settled, then deleted; you may check your own report free "
    "twice a year and dispute a wrong entry (answer within 20 days)."
)
NO_CREDIT_REPAIR = (
    "不要付钱给任何“征信修复”“洗白征信”“停息挂账代办”："
    "官方渠道全部免费，收费修复都是骗局。 · Never "
    "pay for 'credit repair', 'record removal' or paid negotiation agents: every official channel "
    "is free, and paid credit repair is a scam."
)
NOT_A_CRIME = (
    "单纯欠钱不还是民事纠纷，不是犯罪；“马上抓人”“立即列入失信”"
    "这类说法在判决和执行之前是虚假的。可用 "
    "duecourse check-message 检查收到的短信。 · Owing money is a civil matter, not a crime; "
    "'arrest now' or 'blacklisted at once' are false before a judgment and an enforcement case. "
    "Check a message you received with duecourse check-message."
)
KEEP_EVIDENCE = (
    "保存证据：通话录音、短信截图、上门时间和人员，写下日期。 · Keep evidence: call recordings, "
    "message screenshots, the time of a visit and who came, with dates."
)
NEGOTIATE = (
    "主动联系出借人官方客服，说明困难，询问分期、延期或减免；出借人可以同意，也可以拒绝——这不是借款人的"
    "权利。 · Contact the lender's official service yourself, explain your situation, and ask "
    "about instalments, a deferral or a reduction; the lender may agree or refuse: it is not a "
    "borrower's right."
)
KEEP_PLAN = (
    "按约定按时还款：违约会让协商失效，催收重新升级。 · Keep to what you agreed: a broken promise "
    "ends the arrangement and collection escalates again."
)
GET_IN_TOUCH = (
    "失联或不接电话是上门的主要原因之一：通过官方渠道回复出借人，告知可联系的时间和方式。 · Lost "
    "contact or unanswered calls are among the main reasons for visits: answer the lender through "
    "its official channel and say when and how to reach you."
)
NO_ADDRESS = (
    "出借人没有核实过的地址，就不能合法上门；您不必向陌生来电者提供住址。 · Without a verified "
    "address the lender cannot make a lawful visit; you need not give your address to callers you "
    "cannot identify."
)
WRITTEN = (
    "任何协议都要书面确认，保留原件；只向出借人的官方账户还款，不要转账到个人账户。 · Get any "
    "agreement in writing and keep it; pay only into the lender's official account, never a "
    "personal one."
)


def rights(case: BorrowerCase) -> list[str]:
    """The rights that bear on this case, most relevant first."""
    out = [LAWFUL_VISIT, ASK_ID, NO_ENTRY, NO_HARASSMENT, COMPLAIN]
    if case.lender_type == "online_platform":
        out.append(NIFA)
    out.append(CREDIT_REPORT)
    return out


def advice(case: BorrowerCase, today: date) -> list[str]:
    """What this borrower can do, for this case."""
    out: list[str] = []
    if case.days_past_due >= LIMITATION_WARN_DAYS:
        out.append(time_barred_warning(case.days_past_due))
    if case.contact != "reachable":
        out.append(GET_IN_TOUCH)
    out.append(KEEP_PLAN if case.negotiating else NEGOTIATE)
    if not case.address_verified:
        out.append(NO_ADDRESS)
    relief = relief_note(case, today)
    if relief:
        out.append(relief)
    out += [WRITTEN, NOT_A_CRIME, KEEP_EVIDENCE, NO_CREDIT_REPAIR]
    return out


def time_barred_warning(days_past_due: int) -> str:
    """Warn before anything acknowledges a debt that may be time-barred (A17, E4)."""
    years = days_past_due / 365
    return (
        f"已逾期约 {years:.1f} 年：如自上次还款或催告起已满 3 年，债务可能已过诉讼时效。"
        "书面承认或同意还款会使"
        f"时效重新起算、失去时效抗辩；签任何文件前先咨询律师，可先只要求对方提供账目明细。 · About "
        f"{years:.1f} years overdue: if 3 years have passed since your last payment or the last "
        "demand, the debt may be time-barred. Acknowledging it in writing or agreeing to pay "
        "restarts the period and gives up that defence (Civil Code arts. 188, 192, 195); get "
        "legal advice before signing anything, and ask only for a statement of account first."
    )


def relief_note(case: BorrowerCase, today: date) -> str | None:
    """The PBOC one-off relief (B34), only while it applies and only for amounts it covers."""
    if today > RELIEF_LAST_DAY or case.amount_overdue > RELIEF_MAX_AMOUNT:
        return None
    return (
        "人民银行一次性信用修复政策：2020—2025 年间单笔逾期不超过 1 万元、"
        "于 2026 年 3 月 31 日前全额还清的，"
        "逾期记录不再展示，自动办理、无需申请、不收费。 · The PBOC's one-off relief: an overdue "
        "record from 2020-2025 of at most 10,000 yuan, repaid in full by 2026-03-31, is no longer "
        "shown; it is automatic, with no application and no fee."
    )
